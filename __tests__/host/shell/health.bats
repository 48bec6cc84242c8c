#!/usr/bin/env bats
# health.sh, the deploy's health gate, on a sandbox: it waits for the client ports of the local
# member and of every expected member to take connections before its first etcdctl call (a refused
# dial costs a second of gRPC backoff), then for a healthy cluster holding exactly the spec's
# members; past the deadline it fails, naming the members. etcdctl is a stub; the ports are real
# loopback listeners (PORT the local member's, PEER_PORT another member's).

bats_require_minimum_version 1.5.0
load helpers

setup() {
  sandbox
  PORT="$(free_port)"
  PEER_PORT="$(free_port)"
  sed -i "s|^LOCAL_ENDPOINT=.*|LOCAL_ENDPOINT=https://127.0.0.1:$PORT|" "$SANDBOX/params.env"
  cp "$SCRIPTS_DIR/health.sh" "$SCRIPTS_DIR/lib.sh" "$SANDBOX/params.env" "$SANDBOX/state/"
  expect 5
  # etcdctl: notes whether both ports took a connection when it was called; healthy, three members.
  cat >"$SANDBOX/bin/etcdctl" <<STUB
#!/bin/bash
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/$PEER_PORT) 2>/dev/null; then
  echo "open \$*" >>"$SANDBOX/calls/etcdctl"
else
  echo "closed \$*" >>"$SANDBOX/calls/etcdctl"
fi
[ -f "$SANDBOX/unhealthy" ] && { echo "context deadline exceeded" >&2; exit 1; }
case "\$*" in
  *"endpoint health --cluster"*) echo "https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 2ms" ;;
  *"member list"*) printf '%s\n' "1, started, e1, https://10.0.0.1:2380, https://10.0.0.1:2379, false" "2, started, e2, https://10.0.0.2:2380, https://10.0.0.2:2379, false" "3, started, e3, https://10.0.0.3:2380, https://10.0.0.3:2379, false" ;;
esac
STUB
  chmod +x "$SANDBOX/bin/etcdctl"
}
teardown() {
  for pid in "${LISTENERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  teardown_sandbox
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# expect DEADLINE: this run's health.env: three members, the local and another member's client URL.
expect() {
  printf "EXPECTED_MEMBERS='e1 e2 e3'\nEXPECTED_ENDPOINTS=https://127.0.0.1:%s\nDEADLINE_SECONDS=%s\nINTERVAL_SECONDS=1\n" \
    "$PEER_PORT" "$1" >"$SANDBOX/health-upload.env"
}

LISTENERS=()
# listen_after PORT SECONDS: a loopback listener on PORT, opened that long from now (etcd binding
# late); like etcd it accepts every connection (a backlog left full would drop the next probes).
listen_after() {
  python3 -c 'import socket,sys,time
time.sleep(float(sys.argv[2])); s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(8); s.settimeout(30)
while True: s.accept()[0].close()' "$1" "$2" &
  LISTENERS+=("$!")
}

@test "waits for the client ports of this member and of the others, then checks: etcdctl never dials a port that refuses" {
  listen_after "$PORT" 0.2
  listen_after "$PEER_PORT" 0.6
  SECONDS=0
  run bash "$SANDBOX/state/health.sh" "$SANDBOX/health-upload.env"
  [ "$status" -eq 0 ]
  # The member list ends its line (scripts and tests read it); how long the ports took (the other
  # member's opened after 0.6 s), then health, is the next line.
  [[ "$output" == *"etcd cluster healthy after 1 attempt(s); members: e1 e2 e3"$'\n'"the members took connections"* ]]
  waited="$(printf '%s\n' "$output" | sed -n 's/.*client ports after \([0-9]*\) ms; the cluster answered healthy \([0-9]*\) ms later$/\1/p')"
  [ "$waited" -ge 500 ] && [ "$waited" -lt 3000 ]
  [ -z "$(grep '^closed' "$SANDBOX/calls/etcdctl")" ]
  [ "$(grep -c '^open' "$SANDBOX/calls/etcdctl")" = 2 ]
  [ "$SECONDS" -lt 3 ]
  # The run's expectations are kept beside the script; the upload is gone.
  [ -f "$SANDBOX/state/health.env" ]
  [ ! -e "$SANDBOX/health-upload.env" ]
}

@test "a port that never opens: etcdctl is asked anyway once the deadline passed, and the gate fails naming the members" {
  touch "$SANDBOX/unhealthy"
  listen_after "$PORT" 0
  expect 1
  run bash "$SANDBOX/state/health.sh" "$SANDBOX/health-upload.env"
  [ "$status" -eq 1 ]
  [[ "$output" == *"etcd cluster not healthy after "*"context deadline exceeded"* ]]
  [[ "$output" == *"member list unavailable (no quorum?)"* ]]
  [[ "$output" == *"journalctl -u etcd -n 50"* ]]
  [ -n "$(grep '^closed .*endpoint health --cluster' "$SANDBOX/calls/etcdctl")" ]
}
