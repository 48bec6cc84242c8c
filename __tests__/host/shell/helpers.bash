# Shared setup of the host-script tests: a sandbox whose params.env points every path into a temp
# dir, and stub commands (etcdctl, systemctl, curl, …) that record their calls and answer from
# files the test writes. Sourced by the .bats files.
# shellcheck shell=bash

SCRIPTS_DIR="$(cd "$BATS_TEST_DIRNAME/../../../src/host/scripts" && pwd)"

# sandbox: makes $SANDBOX with params.env, state/pki/data/bin dirs, and stubs first on the PATH.
sandbox() {
  SANDBOX="$(mktemp -d)"
  export SANDBOX
  mkdir -p "$SANDBOX/state" "$SANDBOX/bin" "$SANDBOX/stubs" "$SANDBOX/pki/etcd" "$SANDBOX/data" "$SANDBOX/calls" "$SANDBOX/unit"
  cat >"$SANDBOX/params.env" <<PARAMS
CLUSTER_ID=6f1c2a9e-0d7b-4e4a-9c1e-3b5d7f9a1c2e
CLUSTER_TOKEN=6f1c2a9e-0d7b-4e4a-9c1e-3b5d7f9a1c2e
MEMBER_NAME=e2
ETCD_VERSION=3.6.14
ETCD_ARCH=amd64
ETCD_URL=file://$SANDBOX/release.tar.gz
ETCD_SHA256=0000000000000000000000000000000000000000000000000000000000000000
UPGRADE_FLOOR_3_5_PATCH=32
BIN_DIR=$SANDBOX/bin
DATA_DIR=$SANDBOX/data
UNIT_NAME=etcd
UNIT=etcd.service
UNIT_FILE=$SANDBOX/unit/etcd.service
UNIT_MARKER='# Managed by etcd-kubeadm-cdktf (Terraform).'
MEMBER_STAMP=$SANDBOX/state/member.env
STATE_DIR=$SANDBOX/state
OPS_SCRIPT=$SANDBOX/state/etcd-ops.sh
BOOTSTRAP_ENV=$SANDBOX/state/bootstrap.env
MEMBERSHIP_ENV=$SANDBOX/state/membership.env
PEER_URL=https://10.0.0.2:2380
CLIENT_URL=https://10.0.0.2:2379
LOCAL_ENDPOINT=https://127.0.0.1:2379
CLIENT_PORT=2379
PEER_PORT=2380
METRICS_PORT=2381
CA_CERT=$SANDBOX/pki/etcd/ca.crt
STAGED_CA_CERT=pki/etcd/ca.crt
CLIENT_CERT=$SANDBOX/pki/etcd/healthcheck-client.crt
CLIENT_KEY=$SANDBOX/pki/etcd/healthcheck-client.key
SERVER_CERT=$SANDBOX/pki/etcd/server.crt
PEER_CERT=$SANDBOX/pki/etcd/peer.crt
PEER_KEY=$SANDBOX/pki/etcd/peer.key
PKI_DIR=$SANDBOX/pki
SNAPSHOT_DIR=$SANDBOX/state/snapshots
SCHEDULED_SNAPSHOT_DIR=$SANDBOX/snapshots
SNAPSHOT_RETAIN=2
SNAPSHOTS_ENABLED=0
SNAPSHOT_TIMER=etcd-snapshot.timer
SNAPSHOT_ON_CALENDAR=hourly
HEALTH_SECONDS=3
LOCK_NAME=etcd-deploy/membership
PARAMS
  cat >"$SANDBOX/state/membership.env" <<'MEMBERSHIP'
SPEC_INITIAL_CLUSTER=e1=https://10.0.0.1:2380,e2=https://10.0.0.2:2380,e3=https://10.0.0.3:2380
CLUSTER_ENDPOINTS=https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379
MEMBERSHIP
  PATH="$SANDBOX/stubs:$PATH"
  export PATH
}

teardown_sandbox() {
  if [ -n "${SANDBOX:-}" ]; then rm -rf -- "$SANDBOX"; fi
}

# stub NAME [BODY]: a command on the PATH that records "NAME ARGS" in calls/NAME and runs BODY
# (default: succeed silently).
stub() {
  local name="$1" body="${2:-exit 0}"
  cat >"$SANDBOX/stubs/$name" <<STUB
#!/bin/bash
printf '%s\n' "\$*" >>"$SANDBOX/calls/$name"
$body
STUB
  chmod +x "$SANDBOX/stubs/$name"
}

# calls NAME: what the stub NAME was called with, one call per line.
calls() { cat "$SANDBOX/calls/$1" 2>/dev/null || true; }

# load_lib: sources params.env and lib.sh into the test shell, as the scripts do.
load_lib() {
  # shellcheck source=/dev/null
  . "$SANDBOX/params.env"
  # shellcheck source=/dev/null
  . "$SCRIPTS_DIR/lib.sh"
  LOG_TAG=test
}
