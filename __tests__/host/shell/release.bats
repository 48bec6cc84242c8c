#!/usr/bin/env bats
# release.sh, a member's release step, on a sandbox: the release is downloaded (or taken from the
# upload), verified and extracted into the state dir, never installed; nothing is fetched again
# once it is installed or staged; a bad checksum, a failed download or an upgrade etcd does not
# allow leaves nothing staged and says why; the upload dir goes whatever happens. curl and id are
# stubs.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  sandbox
  mkdir -p "$SANDBOX/release/etcd-v3.6.14-linux-amd64"
  for bin in etcd etcdctl etcdutl; do printf '#!/bin/sh\necho %s 3.6.14\n' "$bin" >"$SANDBOX/release/etcd-v3.6.14-linux-amd64/$bin"; done
  chmod +x "$SANDBOX/release/etcd-v3.6.14-linux-amd64/"*
  tar -C "$SANDBOX/release" -czf "$SANDBOX/release.tar.gz" etcd-v3.6.14-linux-amd64
  SHA="$(sha256sum "$SANDBOX/release.tar.gz" | cut -d ' ' -f 1)"
  sed -i "s/^ETCD_SHA256=.*/ETCD_SHA256=$SHA/" "$SANDBOX/params.env"
  stub id 'echo 0'
  stub curl 'out=; while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) url="$1"; shift ;; esac; done; [ -f "${url#file://}" ] || { echo "curl: (7) Failed to connect" >&2; exit 7; }; cp "${url#file://}" "$out"'
}
teardown() { teardown_sandbox; }

# release_step [TARBALL]: a fresh upload dir (the scripts, params.env, an uploaded release), then release.sh.
release_step() {
  rm -rf "$SANDBOX/upload"
  mkdir -p "$SANDBOX/upload"
  cp "$SCRIPTS_DIR/release.sh" "$SCRIPTS_DIR/lib.sh" "$SANDBOX/params.env" "$SANDBOX/upload/"
  if [ -n "${1:-}" ]; then cp "$1" "$SANDBOX/upload/etcd-release.tar.gz"; fi
  run bash "$SANDBOX/upload/release.sh"
}

# nothing_staged: no release and no partial download in the state dir.
nothing_staged() {
  [ -z "$(ls -A "$SANDBOX/state/releases" 2>/dev/null || true)" ]
}

@test "a fresh host: the release is downloaded, verified and staged by its sha256, not installed; the upload goes" {
  release_step
  [ "$status" -eq 0 ]
  [[ "$output" == *"[etcd-deploy e2] downloading file://$SANDBOX/release.tar.gz"* ]]
  [[ "$output" == *"staged etcd 3.6.14"* ]]
  [ "$(ls -A "$SANDBOX/state/releases/$SHA" | sort | tr '\n' ' ')" = ".staged etcd etcdctl etcdutl " ]
  [ "$(cat "$SANDBOX/state/releases/$SHA/.staged")" = "3.6.14 amd64 $SHA" ]
  [ "$("$SANDBOX/state/releases/$SHA/etcd")" = "etcd 3.6.14" ]
  [ "$(ls -A "$SANDBOX/state/releases")" = "$SHA" ]
  [ -z "$(ls -A "$SANDBOX/bin")" ]
  [ ! -e "$SANDBOX/state/installed-release" ]
  [ ! -e "$SANDBOX/upload" ]
}

@test "staged already, or installed already: nothing is downloaded again" {
  release_step
  release_step
  [ "$status" -eq 0 ]
  [[ "$output" == *"etcd 3.6.14 already staged"* ]]
  [ "$(grep -c . "$SANDBOX/calls/curl")" = 1 ]

  rm -rf "$SANDBOX/state/releases"
  printf '#!/bin/sh\n' >"$SANDBOX/bin/etcd"
  printf '#!/bin/sh\n' >"$SANDBOX/bin/etcdctl"
  chmod +x "$SANDBOX/bin/etcd" "$SANDBOX/bin/etcdctl"
  echo "3.6.14 amd64 $SHA" >"$SANDBOX/state/installed-release"
  release_step
  [ "$status" -eq 0 ]
  [[ "$output" == *"etcd 3.6.14 already installed in $SANDBOX/bin"* ]]
  [ "$(grep -c . "$SANDBOX/calls/curl")" = 1 ]
  nothing_staged
}

@test "another release staged earlier is replaced by the wanted one" {
  mkdir -p "$SANDBOX/state/releases/$(printf 'b%.0s' {1..64})" "$SANDBOX/state/releases/.incoming.abc123"
  release_step
  [ "$status" -eq 0 ]
  [ "$(ls -A "$SANDBOX/state/releases")" = "$SHA" ]
}

@test "a checksum mismatch stages nothing, leaves the installed binaries alone and says what to do" {
  echo "old etcd" >"$SANDBOX/bin/etcd"
  sed -i "s/^ETCD_SHA256=.*/ETCD_SHA256=$(printf 'a%.0s' {1..64})/" "$SANDBOX/params.env"
  release_step
  [ "$status" -eq 1 ]
  [[ "$output" == *"ERROR: checksum mismatch for file://$SANDBOX/release.tar.gz: expected $(printf 'a%.0s' {1..64}), got $SHA (installed binaries left untouched). Set etcd.sha256 in the cluster spec"* ]]
  [ "$(cat "$SANDBOX/bin/etcd")" = "old etcd" ]
  nothing_staged
  [ ! -e "$SANDBOX/upload" ]
}

@test "a download that fails stages nothing and names the URL and the way out" {
  sed -i "s|^ETCD_URL=.*|ETCD_URL=file://$SANDBOX/missing.tar.gz|" "$SANDBOX/params.env"
  release_step
  [ "$status" -eq 1 ]
  [[ "$output" == *"ERROR: download failed: file://$SANDBOX/missing.tar.gz (installed binaries left untouched)."*"(etcd.localTarball), then apply again"* ]]
  nothing_staged
}

@test "an air-gapped host: the uploaded release is staged without a download; a tampered upload is refused" {
  echo 'ETCD_LOCAL_TARBALL=etcd-release.tar.gz' >>"$SANDBOX/params.env"
  release_step "$SANDBOX/release.tar.gz"
  [ "$status" -eq 0 ]
  [[ "$output" == *"installing from the tarball uploaded from the applying machine (etcd.localTarball), not downloading"* ]]
  [ -f "$SANDBOX/state/releases/$SHA/.staged" ]
  [ -z "$(calls curl)" ]
  [ ! -e "$SANDBOX/upload" ]

  rm -rf "$SANDBOX/state/releases"
  printf 'tampered' >"$SANDBOX/tampered.tar.gz"
  release_step "$SANDBOX/tampered.tar.gz"
  [ "$status" -eq 1 ]
  [[ "$output" == *"checksum mismatch for the tarball uploaded from the applying machine (etcd.localTarball)"*"The file changed on its way or on the host: apply again"* ]]
  nothing_staged
  [ -z "$(calls curl)" ]
  [ ! -e "$SANDBOX/upload" ]

  release_step
  [ "$status" -eq 1 ]
  [[ "$output" == *"the tarball uploaded from the applying machine (etcd.localTarball) is missing from the upload"* ]]
  nothing_staged
}

@test "an upgrade etcd does not allow is refused before anything is downloaded" {
  echo "3.4.23 amd64 0000" >"$SANDBOX/state/installed-release"
  release_step
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing etcd 3.4.23 -> 3.6.14: upgrade one minor version at a time (first to 3.5.x)"* ]]
  [ -z "$(calls curl)" ]
  nothing_staged
}

@test "an allowed upgrade is staged; the installed release stays in place" {
  printf '#!/bin/sh\necho etcd 3.5.33\n' >"$SANDBOX/bin/etcd"
  echo "3.5.33 amd64 0000" >"$SANDBOX/state/installed-release"
  release_step
  [ "$status" -eq 0 ]
  [ -f "$SANDBOX/state/releases/$SHA/.staged" ]
  [ "$(cat "$SANDBOX/state/installed-release")" = "3.5.33 amd64 0000" ]
}

@test "not root: refused before anything" {
  stub id 'echo 1000'
  release_step
  [ "$status" -eq 1 ]
  [[ "$output" == *"must run as root"* ]]
  [ -z "$(calls curl)" ]
}
