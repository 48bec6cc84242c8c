#!/bin/bash
# Operations on one member that need the running cluster: first start (bootstrap or join),
# rolling restart, removal, leaving, snapshots. Every membership change and every restart of a
# running cluster happens under one etcd lock, so members change one at a time whatever
# Terraform's parallelism, each only after the cluster is healthy again.
# Usage: etcd-ops.sh first-start|restart|restart-upgrade|remove|leave|snapshot-scheduled
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. "$HERE/params.env"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LOG_TAG=etcd-ops

# Spec membership (changes with the member list; never a restart by itself).
if [ -f "$MEMBERSHIP_ENV" ]; then
  # shellcheck source=/dev/null
  . "$MEMBERSHIP_ENV"
fi
: "${SPEC_INITIAL_CLUSTER:?membership.env is missing}" "${CLUSTER_ENDPOINTS:?membership.env is missing}"

ctl_cluster() { ctl --endpoints="$CLUSTER_ENDPOINTS" "$@"; }
ctl_local() { ctl --endpoints="$LOCAL_ENDPOINT" "$@"; }
# The lock client talks to the other members only: the lock holder restarts or removes its own
# etcd, and a session through it would die with it and keep the lock held until its lease ends.
OTHER_ENDPOINTS="$(printf '%s' "$CLUSTER_ENDPOINTS" | tr ',' '\n' | grep -vxF "$CLIENT_URL" | paste -sd ',' - || true)"
if [ -z "$OTHER_ENDPOINTS" ]; then OTHER_ENDPOINTS="$CLUSTER_ENDPOINTS"; fi

# A running cluster has a leader: endpoint status answers at once, also from members that are
# up without a quorum (leader 0), so a new cluster's first start does not wait for a timeout.
# A leader is then confirmed by a linearizable read, which only a quorum can serve. (member
# list alone is served locally by older releases.)
# (etcdctl exits 1 when any endpoint is down, e.g. this member's own: keep its output anyway.)
cluster_has_quorum() {
  local status
  status="$(ctl_cluster --dial-timeout=1s --command-timeout=2s endpoint status -w json 2>/dev/null || true)"
  case "$status" in
    *'"leader":'[1-9]*) ctl_cluster --command-timeout=3s get etcd-deploy/quorum-probe >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

# wait_healthy SECONDS: this member and the whole cluster answer health checks.
wait_healthy() {
  local deadline=$(($(date +%s) + $1))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ctl_local endpoint health >/dev/null 2>&1 && ctl_cluster endpoint health --cluster >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  return 1
}

# with_lock OP: run this script's OP while holding the cluster-wide lock. The lock client can
# lose its session when the member it talks to restarts (another member's rolling restart): then
# the OP never ran, and the lock is requested again. The OP records its own exit status.
with_lock() {
  local rc_file="$STATE_DIR/locked-op.rc" tries=0
  log "waiting for the cluster lock ($1)"
  while :; do
    rm -f -- "$rc_file"
    timeout $((HEALTH_SECONDS * 4 + 60)) "$BIN_DIR/etcdctl" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" \
      --dial-timeout=3s --endpoints="$(lock_endpoints "$1")" lock "$LOCK_NAME" bash "$0" "$1" || true
    if [ -f "$rc_file" ]; then
      return "$(cat "$rc_file")"
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then die "could not hold the cluster lock after $tries attempts"; fi
    log "lock session lost before $1 ran; asking again"
    sleep 1
  done
}

# Restart and join: the other members when they answer with a quorum. Leave and remove: every
# member including this one, which stays up while it waits even as the others leave.
lock_endpoints() {
  case "$1" in
    leave-locked | remove-locked)
      printf '%s' "$CLUSTER_ENDPOINTS"
      return 0
      ;;
  esac
  if ctl --endpoints="$OTHER_ENDPOINTS" --dial-timeout=2s --command-timeout=3s get etcd-deploy/quorum-probe >/dev/null 2>&1; then
    printf '%s' "$OTHER_ENDPOINTS"
  else
    printf '%s' "$CLUSTER_ENDPOINTS"
  fi
}

# Locked operations report their exit status to with_lock through this file.
record_rc() { printf '%s\n' "$?" >"$STATE_DIR/locked-op.rc"; }

# reconfigure ARGS: a membership change. etcd refuses one ("unhealthy cluster") until every member
# has been connected for a few seconds, e.g. right after a start or the previous change: retry,
# still under the lock.
reconfigure() {
  local tries=0 out
  until out="$(ctl_cluster "$@" 2>&1)"; do
    tries=$((tries + 1))
    if [ "$tries" -ge "$HEALTH_SECONDS" ]; then die "etcdctl $* failed after $tries attempts: $out"; fi
    sleep 1
  done
}

write_bootstrap_env() {
  umask 077
  printf 'ETCD_INITIAL_CLUSTER=%s\nETCD_INITIAL_CLUSTER_STATE=%s\nETCD_INITIAL_CLUSTER_TOKEN=%s\n' "$1" "$2" "$CLUSTER_TOKEN" >"$BOOTSTRAP_ENV.new"
  mv -f "$BOOTSTRAP_ENV.new" "$BOOTSTRAP_ENV"
}

first_start() {
  if cluster_has_quorum; then
    with_lock join-locked
  else
    log "no running cluster reachable: bootstrapping a new cluster"
    write_bootstrap_env "$SPEC_INITIAL_CLUSTER" new
    # --no-block: Type=notify reports READY only once a quorum is up.
    systemctl start --no-block "$UNIT"
  fi
}

join_locked() {
  if ! ctl_cluster member list -w simple | grep -qF ", $PEER_URL,"; then
    log "adding $MEMBER_NAME ($PEER_URL) to the running cluster"
    reconfigure member add "$MEMBER_NAME" --peer-urls="$PEER_URL"
  fi
  local initial
  initial="$(ctl_cluster member list -w simple | initial_cluster_of "$MEMBER_NAME" "$PEER_URL")" ||
    die "cannot join: another added member never started; remove it (etcdctl member remove ID) or start it, then apply again"
  write_bootstrap_env "$initial" existing
  log "joining with --initial-cluster=$initial"
  systemctl start "$UNIT"
  wait_healthy "$HEALTH_SECONDS" || die "joined but not healthy after $HEALTH_SECONDS s: journalctl -u $UNIT -n 50"
  log "joined; cluster healthy"
}

# restart [upgrade]: one member at a time under the lock when the cluster runs; plain otherwise.
rolling_restart() {
  if cluster_has_quorum; then
    with_lock "restart-locked-$1"
  else
    log "no quorum reachable: restarting without waiting"
    systemctl restart --no-block "$UNIT"
  fi
}

restart_locked() {
  wait_healthy "$HEALTH_SECONDS" || die "cluster not healthy before restarting $MEMBER_NAME: not restarting (would risk quorum)"
  if [ "$1" = upgrade ]; then snapshot "$SNAPSHOT_DIR" "pre-upgrade"; fi
  log "restarting $UNIT"
  systemctl restart "$UNIT"
  wait_healthy "$HEALTH_SECONDS" || die "$MEMBER_NAME not healthy $HEALTH_SECONDS s after restart: journalctl -u $UNIT -n 50"
  log "restarted; cluster healthy"
}

remove_locked() {
  local id total started
  id="$(ctl_cluster member list -w simple | member_field "$PEER_URL" 1)"
  if [ -z "$id" ]; then
    log "$MEMBER_NAME is not a member (already removed)"
  else
    total="$(ctl_cluster member list -w simple | grep -c .)"
    started="$(ctl_cluster endpoint health --cluster 2>&1 | grep -c 'is healthy' || true)"
    # After removal, the healthy members other than this one must still be a majority.
    removal_keeps_quorum "$started" "$total" ||
      die "refusing to remove $MEMBER_NAME: only $started of $total members are healthy; fix the others first"
    log "removing member $MEMBER_NAME ($id)"
    reconfigure member remove "$id"
  fi
  systemctl disable --now "$UNIT" 2>/dev/null || true
  if [ -d "$DATA_DIR/member" ]; then
    local archive
    archive="$DATA_DIR.removed-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$DATA_DIR" "$archive"
    log "data dir archived to $archive (not deleted)"
  fi
}

# leave: what a member does when its entry leaves the spec, or on terraform destroy. Members
# leave one at a time under the lock; the last member cannot be removed and is only stopped,
# its data kept in place; without a reachable quorum nothing can be removed safely.
leave() {
  if cluster_has_quorum; then
    with_lock leave-locked
    # The last member stops only after the lock is released (the lock lives in its own etcd).
    if [ -f "$STATE_DIR/leave-last" ]; then
      rm -f -- "$STATE_DIR/leave-last"
      log "last member of the cluster: stopping $UNIT; data kept in $DATA_DIR"
      systemctl disable --now "$UNIT" 2>/dev/null || true
    fi
  else
    log "WARNING: no quorum reachable: stopping $UNIT without a membership change; data kept in $DATA_DIR"
    systemctl disable --now "$UNIT" 2>/dev/null || true
  fi
  log "etcd on $MEMBER_NAME stopped and disabled; data not deleted (in $DATA_DIR or archived beside it), certificates kept in $PKI_DIR/etcd"
}

leave_locked() {
  local total
  total="$(ctl_cluster member list -w simple | grep -c .)"
  if [ "$total" -le 1 ] && ctl_cluster member list -w simple | grep -qF ", $PEER_URL,"; then
    : >"$STATE_DIR/leave-last"
  else
    remove_locked
  fi
}

case "${1:-}" in
  *-locked*) trap record_rc EXIT ;;
esac

case "${1:-}" in
  first-start) first_start ;;
  join-locked) join_locked ;;
  restart) rolling_restart plain ;;
  restart-upgrade) rolling_restart upgrade ;;
  restart-locked-plain) restart_locked plain ;;
  restart-locked-upgrade) restart_locked upgrade ;;
  remove) with_lock remove-locked ;;
  remove-locked) remove_locked ;;
  leave) leave ;;
  leave-locked) leave_locked ;;
  snapshot-scheduled) snapshot "$SCHEDULED_SNAPSHOT_DIR" scheduled && prune_snapshots "$SCHEDULED_SNAPSHOT_DIR" "$SNAPSHOT_RETAIN" ;;
  *) die "usage: $0 first-start|restart|restart-upgrade|remove|leave|snapshot-scheduled" ;;
esac
