#!/usr/bin/env bats
# provision.sh end to end on a sandbox: install (verified, atomic, refused on a bad upgrade path),
# the manifest's place/retire semantics, and the restart-pending bookkeeping that makes a restart
# owed by an interrupted run happen on the next one. systemctl, curl and the ops script are stubs.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  sandbox
  mkdir -p "$SANDBOX/staging/pki/etcd" "$SANDBOX/release/etcd-v3.6.14-linux-amd64"
  for bin in etcd etcdctl etcdutl; do printf '#!/bin/sh\necho %s 3.6.14\n' "$bin" >"$SANDBOX/release/etcd-v3.6.14-linux-amd64/$bin"; done
  chmod +x "$SANDBOX/release/etcd-v3.6.14-linux-amd64/"*
  tar -C "$SANDBOX/release" -czf "$SANDBOX/release.tar.gz" etcd-v3.6.14-linux-amd64
  sed -i "s/^ETCD_SHA256=.*/ETCD_SHA256=$(sha256sum "$SANDBOX/release.tar.gz" | cut -d ' ' -f 1)/" "$SANDBOX/params.env"
  # root-owned installs need root: the sandbox runs as whoever runs the tests.
  stub id 'echo 0'
  stub install 'args=(); while [ $# -gt 0 ]; do case "$1" in -o|-g) shift 2 ;; *) args+=("$1"); shift ;; esac; done; exec /usr/bin/install "${args[@]}"'
  stub curl 'out=; while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) url="$1"; shift ;; esac; done; cp "${url#file://}" "$out"'
  stub systemctl 'if [ "$1" = is-active ]; then [ -f "$SANDBOX/active" ]; else exit 0; fi'
  cat >"$SANDBOX/state/etcd-ops.sh" <<OPS
#!/bin/bash
echo "\$*" >>"$SANDBOX/calls/ops"
[ ! -f "$SANDBOX/ops-fails" ]
OPS
  echo "server v1" >"$SANDBOX/staging/pki/etcd/server.crt"
  echo "client v1" >"$SANDBOX/staging/pki/etcd/healthcheck-client.crt"
  printf '[Unit]\n' >"$SANDBOX/staging/etcd.service"
  printf 'dir\t-\t%s\t0755\t0\n' "$SANDBOX/pki/etcd" >"$SANDBOX/staging/manifest.tsv"
  printf 'place\tpki/etcd/server.crt\t%s\t0644\t1\n' "$SANDBOX/pki/etcd/server.crt" >>"$SANDBOX/staging/manifest.tsv"
  printf 'place\tpki/etcd/healthcheck-client.crt\t%s\t0644\t0\n' "$SANDBOX/pki/etcd/healthcheck-client.crt" >>"$SANDBOX/staging/manifest.tsv"
  printf 'retire\t-\t%s\t-\t0\n' "$SANDBOX/pki/etcd/ca.key" >>"$SANDBOX/staging/manifest.tsv"
  printf 'place\tetcd.service\t%s\t0644\t1\n' "$SANDBOX/unit/etcd.service" >>"$SANDBOX/staging/manifest.tsv"
  mkdir -p "$SANDBOX/unit"
  cp "$SCRIPTS_DIR/provision.sh" "$SCRIPTS_DIR/lib.sh" "$SANDBOX/params.env" "$SANDBOX/staging/"
  cp -r "$SANDBOX/staging" "$SANDBOX/bundle" # what Terraform uploads again on the next run
}
teardown() { teardown_sandbox; }

# provision: uploads the bundle again (as Terraform does) and runs the script.
provision() {
  rm -rf "$SANDBOX/staging"
  cp -r "$SANDBOX/bundle" "$SANDBOX/staging"
  run bash "$SANDBOX/staging/provision.sh"
}

# running: the member has data and its unit is active.
running() {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active"
}

@test "a fresh host: installs the release, places the files, first start; staging removed, nothing owed" {
  provision
  [ "$status" -eq 0 ]
  [[ "$output" == *"installed etcd 3.6.14 into $SANDBOX/bin"* ]]
  [ "$("$SANDBOX/bin/etcd")" = "etcd 3.6.14" ]
  [ "$(cat "$SANDBOX/state/installed-release")" = "3.6.14 amd64 $(sha256sum "$SANDBOX/release.tar.gz" | cut -d ' ' -f 1)" ]
  [ "$(cat "$SANDBOX/pki/etcd/server.crt")" = "server v1" ]
  [ "$(stat -c %a "$SANDBOX/data")" = 700 ]
  [ "$(calls ops)" = "first-start" ]
  [ ! -e "$SANDBOX/state/restart-pending" ]
  [ ! -e "$SANDBOX/staging" ]
}

@test "nothing changed: no download, no restart, etcd left running" {
  provision
  running
  provision
  [ "$status" -eq 0 ]
  [[ "$output" == *"etcd 3.6.14 already installed"* ]]
  [[ "$output" == *"nothing changed: etcd left running"* ]]
  [ "$(grep -c . "$SANDBOX/calls/curl")" = 1 ]
  [ "$(calls ops)" = "first-start" ]
}

@test "a file etcd reads changed: a rolling restart; a client certificate only: placed, no restart" {
  provision
  running
  echo "client v2" >"$SANDBOX/bundle/pki/etcd/healthcheck-client.crt"
  provision
  [ "$status" -eq 0 ]
  [ "$(cat "$SANDBOX/pki/etcd/healthcheck-client.crt")" = "client v2" ]
  [ "$(calls ops | tail -n 1)" = "first-start" ]
  echo "server v2" >"$SANDBOX/bundle/pki/etcd/server.crt"
  provision
  [ "$status" -eq 0 ]
  [ "$(calls ops | tail -n 1)" = "restart" ]
  [ ! -e "$SANDBOX/state/restart-pending" ]
}

@test "restart-pending: a run interrupted before the restart leaves it owed, and the next run does it" {
  provision
  running
  echo "server v2" >"$SANDBOX/bundle/pki/etcd/server.crt"
  touch "$SANDBOX/ops-fails"
  provision
  [ "$status" -ne 0 ]
  [ "$(cat "$SANDBOX/state/restart-pending")" = plain ]
  rm "$SANDBOX/ops-fails"
  provision # the files are in place already: only the owed restart is left
  [ "$status" -eq 0 ]
  [[ "$output" != *"updated $SANDBOX/pki/etcd/server.crt"* ]]
  [ "$(calls ops | tail -n 1)" = "restart" ]
  [ ! -e "$SANDBOX/state/restart-pending" ]
}

@test "an upgrade: the new release is verified and installed, then a rolling restart with snapshots" {
  provision
  running
  echo "3.5.33 amd64 0000" >"$SANDBOX/state/installed-release"
  provision
  [ "$status" -eq 0 ]
  [[ "$output" == *"installed etcd 3.6.14"* ]]
  [ "$(calls ops | tail -n 1)" = "restart-upgrade" ]
}

@test "an unsupported jump is refused before anything is downloaded or replaced" {
  provision
  running
  echo "old etcd" >"$SANDBOX/bin/etcd"
  echo "3.4.23 amd64 0000" >"$SANDBOX/state/installed-release"
  provision
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing etcd 3.4.23 -> 3.6.14: upgrade one minor version at a time (first to 3.5.x)"* ]]
  [ "$(grep -c . "$SANDBOX/calls/curl")" = 1 ]
  [ "$(cat "$SANDBOX/bin/etcd")" = "old etcd" ]
}

@test "a checksum mismatch leaves the installed binaries untouched and says what to do" {
  sed -i "s/^ETCD_SHA256=.*/ETCD_SHA256=$(printf 'a%.0s' {1..64})/" "$SANDBOX/bundle/params.env"
  provision
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch for file://$SANDBOX/release.tar.gz"* ]]
  [[ "$output" == *"installed binaries left untouched"* ]]
  [ ! -e "$SANDBOX/bin/etcd" ]
  [ -z "$(ls -d "$SANDBOX/state"/download.* 2>/dev/null || true)" ]
}

@test "the manifest retires a file this tool no longer places" {
  echo "stale CA key" >"$SANDBOX/pki/etcd/ca.key"
  provision
  [ "$status" -eq 0 ]
  [ ! -e "$SANDBOX/pki/etcd/ca.key" ]
  [[ "$output" == *"removed $SANDBOX/pki/etcd/ca.key"* ]]
}
