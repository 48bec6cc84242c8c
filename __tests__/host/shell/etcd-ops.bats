#!/usr/bin/env bats
# etcd-ops.sh on a sandbox, with an etcdctl stub that answers from files the test writes
# (status, member list, health) and runs the command of `etcdctl lock`: first start (new cluster or
# join), removal and its quorum rule, leaving (the last member only stops), scheduled snapshots.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  sandbox
  mkdir -p "$SANDBOX/ctl"
  cp "$SCRIPTS_DIR/etcd-ops.sh" "$SCRIPTS_DIR/lib.sh" "$SANDBOX/params.env" "$SANDBOX/state/"
  stub systemctl
  # A cluster of three started members, all healthy, with a leader.
  cat >"$SANDBOX/ctl/members" <<'LIST'
8e9e05c52164694d, started, e1, https://10.0.0.1:2380, https://10.0.0.1:2379, false
91bc3c398fb3c146, started, e2, https://10.0.0.2:2380, https://10.0.0.2:2379, false
fd422379fda50e48, started, e3, https://10.0.0.3:2380, https://10.0.0.3:2379, false
LIST
  printf 'https://10.0.0.1:2379 is healthy\nhttps://10.0.0.2:2379 is healthy\nhttps://10.0.0.3:2379 is healthy\n' >"$SANDBOX/ctl/health"
  echo '[{"Status":{"leader":9271234}}]' >"$SANDBOX/ctl/status"
  cat >"$SANDBOX/bin/etcdctl" <<CTL
#!/bin/bash
echo "\$*" >>"$SANDBOX/calls/etcdctl"
args=()
for a in "\$@"; do case "\$a" in --*=*|--*) ;; *) args+=("\$a") ;; esac; done
case "\${args[*]}" in
  "endpoint status"*) cat "$SANDBOX/ctl/status" ;;
  get*) [ -s "$SANDBOX/ctl/status" ] ;;
  "member list"*) cat "$SANDBOX/ctl/members" ;;
  "member add"*) echo "Member added" ;;
  "member remove"*) echo "Member removed" ;;
  "endpoint health"*) cat "$SANDBOX/ctl/health"; [ ! -f "$SANDBOX/ctl/unhealthy" ] ;;
  "snapshot save"*) [ ! -f "$SANDBOX/ctl/snapshot-fails" ] && echo db >"\${args[2]}" ;;
  lock*) shift_to=("\${args[@]:2}"); "\${shift_to[@]}" ;;
  *) echo "unexpected etcdctl \$*" >&2; exit 9 ;;
esac
CTL
  chmod +x "$SANDBOX/bin/etcdctl"
}
teardown() { teardown_sandbox; }

ops() { run bash "$SANDBOX/state/etcd-ops.sh" "$@"; }

@test "first start with no running cluster: bootstraps the spec's initial cluster as new, without blocking" {
  : >"$SANDBOX/ctl/status" # nothing answers
  ops first-start
  [ "$status" -eq 0 ]
  [[ "$output" == *"no running cluster reachable: bootstrapping a new cluster"* ]]
  grep -qx 'ETCD_INITIAL_CLUSTER=e1=https://10.0.0.1:2380,e2=https://10.0.0.2:2380,e3=https://10.0.0.3:2380' "$SANDBOX/state/bootstrap.env"
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=new' "$SANDBOX/state/bootstrap.env"
  [ "$(calls systemctl)" = "start --no-block etcd.service" ]
}

@test "first start with a running cluster: member add under the lock, then existing with the live member list" {
  sed -i 's/^91bc3c398fb3c146, started, e2, .*$/91bc3c398fb3c146, unstarted, , https:\/\/10.0.0.2:2380, , false/' "$SANDBOX/ctl/members"
  ops first-start
  [ "$status" -eq 0 ]
  [[ "$output" == *"waiting for the cluster lock (join-locked)"* ]]
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=existing' "$SANDBOX/state/bootstrap.env"
  grep -qx 'ETCD_INITIAL_CLUSTER=e1=https://10.0.0.1:2380,e2=https://10.0.0.2:2380,e3=https://10.0.0.3:2380' "$SANDBOX/state/bootstrap.env"
  [[ "$(calls systemctl)" == *"start etcd.service"* ]]
  [[ "$output" == *"joined; cluster healthy"* ]]
}

@test "remove: member remove by id while the others stay a healthy majority; data archived, never deleted" {
  mkdir -p "$SANDBOX/data/member"
  ops remove
  [ "$status" -eq 0 ]
  grep -q 'member remove 91bc3c398fb3c146' "$SANDBOX/calls/etcdctl"
  [[ "$(calls systemctl)" == *"disable --now etcd.service"* ]]
  ls -d "$SANDBOX"/data.removed-*/member
  [ ! -e "$SANDBOX/data" ]
}

@test "remove is refused when the others would not stay a healthy majority" {
  printf 'https://10.0.0.2:2379 is healthy\nhttps://10.0.0.1:2379 is unhealthy\nhttps://10.0.0.3:2379 is unhealthy\n' >"$SANDBOX/ctl/health"
  mkdir -p "$SANDBOX/data/member"
  ops remove
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing to remove e2: only 1 of 3 members are healthy; fix the others first"* ]]
  run ! grep -q 'member remove' "$SANDBOX/calls/etcdctl"
  [ -d "$SANDBOX/data/member" ]
}

@test "leave as the last member: not removed (it cannot be), only stopped after the lock, data kept in place" {
  grep '^91bc3c398fb3c146' "$SANDBOX/ctl/members" >"$SANDBOX/ctl/one" && mv "$SANDBOX/ctl/one" "$SANDBOX/ctl/members"
  mkdir -p "$SANDBOX/data/member"
  ops leave
  [ "$status" -eq 0 ]
  [[ "$output" == *"last member of the cluster: stopping etcd.service; data kept in $SANDBOX/data"* ]]
  [[ "$output" == *"etcd on e2 stopped and disabled; data not deleted (in $SANDBOX/data or archived beside it), certificates kept in $SANDBOX/pki/etcd"* ]]
  run ! grep -q 'member remove' "$SANDBOX/calls/etcdctl"
  [ -d "$SANDBOX/data/member" ]
}

@test "leave without a reachable quorum: only stops, with a warning" {
  : >"$SANDBOX/ctl/status"
  ops leave
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARNING: no quorum reachable: stopping etcd.service without a membership change"* ]]
}

@test "a scheduled snapshot is saved and older ones pruned" {
  mkdir -p "$SANDBOX/snapshots"
  for i in 1 2 3; do touch -d "2026-01-0$i" "$SANDBOX/snapshots/etcd-e2-scheduled-2026010${i}T000000Z.db"; done
  ops snapshot-scheduled
  [ "$status" -eq 0 ]
  [[ "$output" == *"snapshot saved: $SANDBOX/snapshots/etcd-e2-scheduled-"* ]]
  [ "$(ls "$SANDBOX/snapshots" | grep -c 'scheduled.*\.db$')" = 2 ]
}
