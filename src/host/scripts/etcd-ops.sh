#!/bin/bash
# Operations on one member that need the running cluster. Terraform runs them in this order:
#   found           the join steps of the apply that records the cluster's bootstrap, every
#                   founder at once: start as a founding member of a new cluster
#   ensure-member   the join steps of any other apply: a founder prepared earlier starts; a member
#                   without data joins the running cluster as a learner and is promoted (a founder
#                   its peers list as never started starts as one); a member with data is started
#                   if it is not running
#   join-running    from provisioning, a member without data: ensure-member when its cluster runs
#                   (a new member, a host provisioned again after it lost its data); before the
#                   bootstrap nothing answers, and its join step starts it
#   restart[-upgrade]  a member whose inputs changed: one at a time, health-gated; an upgrade saves
#                   a snapshot first, before it waits for its turn
#   remove-member NAME PEER_URL CLIENT_URL   on a healthy peer: take a member out (remove: true)
#   retire          on the removed member, best effort: stop it and archive its data
#   leave           destroy-time, on the member itself: leave the cluster, stop, archive
#   snapshot-scheduled   the snapshot timer's job
# Membership changes and restarts happen under one etcd lock, taken through the other members (a
# lock held through the member that is restarted or removed would die with it), so members change
# one at a time whatever Terraform's parallelism, each only after the cluster is healthy again.
# Reads of the lock's keys are serializable: hints that never wait for a leader (`etcdctl lock`
# itself decides, linearizably).
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

# without URL LIST: the comma-separated LIST without URL.
without() { printf '%s' "$2" | tr ',' '\n' | grep -vxF "$1" | paste -sd ',' - || true; }

# Under the lock, "the others" are the live members the lock was taken through.
OTHER_ENDPOINTS="${LOCK_ENDPOINTS:-$(without "$CLIENT_URL" "$CLUSTER_ENDPOINTS")}"
ctl_local() { ctl --endpoints="$LOCAL_ENDPOINT" "$@"; }
# Written by found, for the join step to start this founder; gone once etcd has data.
FOUNDING="$STATE_DIR/founding"
ctl_others() { ctl --endpoints="$OTHER_ENDPOINTS" "$@"; }

# has_quorum ENDPOINTS: a cluster with a leader answers there. Only the endpoints that accept a
# connection are asked (none: no quorum, at once). endpoint status answers at once, also from
# members that are up without a quorum (leader 0); a leader is then confirmed by a linearizable
# read, which only a quorum can serve. (etcdctl exits 1 when any endpoint is down: keep its output
# anyway.)
has_quorum() {
  local status up
  up="$(answering "$1")"
  [ -n "$up" ] || return 1
  status="$(ctl --endpoints="$up" --dial-timeout=1s --command-timeout=2s endpoint status -w json 2>/dev/null || true)"
  case "$status" in
    *'"leader":'[1-9]*) ctl --endpoints="$up" --command-timeout=3s get etcd-deploy/quorum-probe >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

# wait_for_quorum ENDPOINTS SECONDS: has_quorum, retried until the deadline.
wait_for_quorum() {
  local deadline=$(($(date +%s) + $2))
  until has_quorum "$1"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    pause
  done
}

# wait_healthy SECONDS: every member the cluster lists, this one included (at its client URL),
# answers a health check.
wait_healthy() {
  local deadline=$(($(date +%s) + $1))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if ctl --endpoints="$CLUSTER_ENDPOINTS" endpoint health --cluster >/dev/null 2>&1; then
      return 0
    fi
    pause
  done
  return 1
}

# live_endpoints EXCLUDE: the client URLs of the members the running cluster lists as started, but
# those in EXCLUDE (comma-separated). Asked through every endpoint of the spec, so members that left
# or are leaving (a deleted entry, a parallel destroy) drop out as soon as the cluster says so.
# Exits 1 when no endpoint answers (nothing is known), 0 with an empty output when none remains.
live_endpoints() {
  local list up
  up="$(answering "$CLUSTER_ENDPOINTS")"
  [ -n "$up" ] || return 1
  list="$(ctl --endpoints="$up" --dial-timeout=1s --command-timeout=3s member list -w simple 2>/dev/null)" || return 1
  printf '%s\n' "$list" | awk -F', ' -v ex=",$1," '$5 != "" { split($5, u, ","); if (index(ex, "," u[1] ",") == 0) print u[1] }' | paste -sd ',' -
}

# with_lock EXCLUDE OP ARGS: run this script's OP while holding the cluster-wide lock, taken through
# the live members but EXCLUDE (the member that restarts or leaves: a lock held through it would
# die with it). While another member holds the lock (or asks for it), this one waits with short
# reads that keep no stream open: a waiting `etcdctl lock` keeps streams open on the members it
# talks to, and a member that restarts waits for its open client streams to end (up to etcd's
# request timeout, 7 s at the default election timeout) before it stops. When the lock looks free,
# a lock client asks for it; if another member asked at the same moment (both saw it free), the
# one whose OP has not started after a quarter of a second while the lock's keys show two clients
# steps back (stopped with SIGTERM, etcdctl deletes its place in the queue) and the wait starts
# again: its waiting stream may sit on the member that won, whose etcd would then wait for it
# before it stops. Any client whose OP has not started after a second steps back too. Each round
# chooses its endpoints afresh: members may leave meanwhile (members leaving in parallel). A client
# whose OP has started is never stopped. The OP records its exit status (and its start) in files;
# the "context canceled" a stopped client reports is ours, not shown. Returns 3 when no other
# member remains to take the lock through. A restart whose member leads the cluster lets the
# members that announced a restart go first (yields_to_followers).
with_lock() {
  local exclude="$1" rc_file="$STATE_DIR/locked-op.rc" started="$STATE_DIR/locked-op.started" tries=0 endpoints pid polls keys stepped silent_since='' busy=0 local_free
  shift
  log "waiting for the cluster lock ($1)"
  while :; do
    # Once the lock was seen busy, a member whose own etcd runs (all but a joining one) watches it
    # through its own copy of the lock's keys: one short read every 0.1 s, no connection to the
    # member that restarts meanwhile. Every tenth look, and when it looks free, goes the full way;
    # but a restart that saw it free takes it through the members of the last full look (ten looks,
    # about 1.5 s, old at most; a restart changes no membership, and a member gone since fails
    # over to the rest).
    local_free=0
    if [ "$busy" -gt 0 ] && [ "$busy" -lt 10 ] && [ "$1" != join-locked ] && keys="$(lock_keys "$LOCAL_ENDPOINT")"; then
      if [ -n "$keys" ]; then
        busy=$((busy + 1))
        sleep 0.1
        continue
      fi
      local_free=1
    fi
    busy=0
    if [ "$local_free" = 0 ] || [[ "$1" != restart-locked-* ]] || [ -z "${endpoints:-}" ]; then
      if ! endpoints="$(live_endpoints "$exclude")"; then endpoints="$(without "$exclude" "$CLUSTER_ENDPOINTS")"; fi
    fi
    [ -n "$endpoints" ] || return 3
    if [ "$local_free" = 0 ]; then
      if ! keys="$(lock_keys "$endpoints")"; then
        silent_since="${silent_since:-$(date +%s)}"
        if [ $(($(date +%s) - silent_since)) -ge "$HEALTH_SECONDS" ]; then
          die "none of the members to take the cluster lock through ($endpoints) answered for $HEALTH_SECONDS s: $1 not done. Make them reachable (or healthy), then apply again"
        fi
        pause
        continue
      fi
      silent_since=''
      if [ -n "$keys" ]; then
        busy=1
        # The next looks are local, 0.1 s apart: this one waits no longer (a joining member, whose
        # etcd does not run yet, keeps going the full way at the slower pace).
        if [ "$1" = join-locked ]; then pause; else sleep 0.1; fi
        continue
      fi
    fi
    YIELD_RECHECK=1
    if [[ "$1" == restart-locked-* ]] && yields_to_followers "${YIELD_UNTIL:-0}"; then
      pause
      continue
    fi
    rm -f -- "$rc_file" "$started"
    LOCK_ENDPOINTS="$endpoints" YIELD_RECHECK="$YIELD_RECHECK" "$BIN_DIR/etcdctl" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" \
      --dial-timeout=3s --endpoints="$endpoints" lock "$LOCK_NAME" bash "$0" "$@" 2> >(grep --line-buffered -vx 'Error: context canceled' >&2) &
    pid=$!
    polls=0 stepped=0
    while kill -0 "$pid" 2>/dev/null && [ ! -f "$started" ]; do
      sleep 0.05
      polls=$((polls + 1))
      [ ! -f "$started" ] || break
      if [ "$polls" -ge 20 ] || { [ "$polls" -eq 5 ] && lock_contended "$endpoints"; }; then
        kill -TERM "$pid" 2>/dev/null || true
        stepped=1
        break
      fi
    done
    if [ "$stepped" = 1 ]; then
      # A client whose members went away (they left meanwhile) cannot delete its place in the
      # queue and would retry for ever (its lease expires instead): it gets 2 s to end, then is
      # killed, unless its OP started meanwhile.
      polls=0
      while kill -0 "$pid" 2>/dev/null && [ "$polls" -lt 10 ]; do
        pause
        polls=$((polls + 1))
      done
      if kill -0 "$pid" 2>/dev/null && [ ! -f "$started" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    wait "$pid" || true
    if [ -f "$rc_file" ]; then
      return "$(cat "$rc_file")"
    fi
    if [ "$stepped" = 0 ] || [ -f "$started" ]; then
      tries=$((tries + 1))
      if [ "$tries" -ge 30 ]; then die "could not hold the cluster lock after $tries attempts"; fi
      log "lock session lost before $1 ended; asking again"
    fi
    pause
  done
}

# Leader last. A leader that stops hands its leadership over first and its peers elect anew: its
# restart takes longer than a follower's (the bench's restart floor: 1.5-1.6 s against 1.0-1.2 s),
# and the member it hands over to is likely to be the next to restart. So every member that waits to
# restart announces it (a key under RESTART_WAITERS, on a lease that ends by itself should its
# provisioner die), and a member that leads the cluster waits while another member has announced
# one: the followers restart first, the leader once, last, moving its leadership to a restarted
# member right before its restart (hand_over_leadership), which makes that restart a follower's. The
# first to ask may be the leader (nobody announced yet): under the lock, right before it restarts,
# it looks again, and hands the lock back (exit 4, it asks again) when others announced meanwhile.
# A leader waits at most YIELD_SECONDS (a waiter that died leaves its key until its lease ends).
RESTART_WAITERS="$LOCK_NAME-restarts/"
YIELD_SECONDS=$((HEALTH_SECONDS < 30 ? HEALTH_SECONDS : 30))

# announce_restart: this member waits to restart (best effort: without it, no leader waits for it).
# Succeeds only when the announcement is in: a lease is granted, and a key put, only through a
# quorum, so success also says that the cluster runs and this member is part of it.
announce_restart() {
  local lease
  lease="$(ctl_local --dial-timeout=1s --command-timeout=2s lease grant "$HEALTH_SECONDS" 2>/dev/null | awk '$1 == "lease" { print $2 }')" || true
  [ -n "$lease" ] &&
    ctl_local --dial-timeout=1s --command-timeout=2s put --lease="$lease" "$RESTART_WAITERS$MEMBER_NAME" "$CLIENT_URL" >/dev/null 2>&1
}

# withdraw_restart ENDPOINTS: its turn came (or it gave up): the announcement goes.
withdraw_restart() {
  ctl --endpoints="$1" --dial-timeout=1s --command-timeout=2s del "$RESTART_WAITERS$MEMBER_NAME" >/dev/null 2>&1 || true
}

# yields_to_followers UNTIL [leader]: this member leads the cluster and another member announced
# that it waits to restart, before the epoch second UNTIL. Said once per wait. "leader": it led a
# moment ago, under the same lock round: only the announcements are read again. Sets YIELD_RECHECK
# for the look under the lock: "follower" when it follows (and stays one: leadership moves only
# with a restart, and none runs while the lock looks free), 0 past the deadline (nobody yields),
# "leader" when it leads, 1 when unknown. Only 1 and "leader" look again.
yields_to_followers() {
  local status me waiting
  YIELD_RECHECK=1
  if [ "$(date +%s)" -ge "$1" ]; then
    YIELD_RECHECK=0
    return 1
  fi
  if [ "${2:-}" != leader ]; then
    status="$(ctl_local --dial-timeout=1s --command-timeout=2s endpoint status -w json 2>/dev/null)" || return 1
    me="$(status_field member_id "$status")"
    [ -n "$me" ] || return 1
    if [ "$me" != "$(status_field leader "$status")" ]; then
      YIELD_RECHECK=follower
      return 1
    fi
  fi
  YIELD_RECHECK=leader
  waiting="$(ctl_local --dial-timeout=1s --command-timeout=2s get --consistency=s --prefix --keys-only "$RESTART_WAITERS" 2>/dev/null |
    sed -n "s|^$RESTART_WAITERS||p" | grep -vxF "$MEMBER_NAME" | paste -sd ' ' -)" || return 1
  [ -n "$waiting" ] || return 1
  if [ ! -f "$STATE_DIR/yielding" ]; then
    log "leads the cluster: letting $waiting restart first (a leader restarts last)"
    : >"$STATE_DIR/yielding"
  fi
}

# lock_keys ENDPOINTS: the lock's keys, one per client (the holder and each waiter), as the member
# asked holds them (serializable).
lock_keys() {
  ctl --endpoints="$1" --dial-timeout=1s --command-timeout=2s get --consistency=s --prefix --keys-only "$LOCK_NAME/" 2>/dev/null
}

# lock_contended ENDPOINTS: the lock's keys show two clients or more (a holder and a waiter).
lock_contended() { [ "$(lock_keys "$1" | grep -c .)" -ge 2 ]; }

# lock_busy: this member's own copy of the lock's keys shows a holder or a waiter: the cluster
# runs, and another member may be restarting right now.
lock_busy() { [ -n "$(lock_keys "$LOCAL_ENDPOINT")" ]; }

# Locked operations report their exit status to with_lock through this file.
record_rc() { printf '%s\n' "$?" >"$STATE_DIR/locked-op.rc"; }

# reconfigure ENDPOINTS ARGS: a membership change. etcd refuses one ("unhealthy cluster") until
# every member has been connected for a few seconds, e.g. right after a start or the previous
# change: retry, still under the lock. Prints etcdctl's output.
reconfigure() {
  local endpoints="$1" tries=0 out deadline=$(($(date +%s) + HEALTH_SECONDS))
  shift
  until out="$(ctl --endpoints="$endpoints" "$@" 2>&1)"; do
    # A removal whose answer was lost (the leader changed) is done already.
    if [ "$1 $2" = "member remove" ] && [[ "$out" == *"member not found"* ]]; then break; fi
    tries=$((tries + 1))
    if [ "$(date +%s)" -ge "$deadline" ]; then die "etcdctl $* failed after $tries attempts in $HEALTH_SECONDS s: $out"; fi
    pause
  done
  printf '%s\n' "$out"
}

write_bootstrap_env() {
  umask 077
  printf 'ETCD_INITIAL_CLUSTER=%s\nETCD_INITIAL_CLUSTER_STATE=%s\nETCD_INITIAL_CLUSTER_TOKEN=%s\n' "$1" "$2" "$CLUSTER_TOKEN" >"$BOOTSTRAP_ENV.new"
  mv -f "$BOOTSTRAP_ENV.new" "$BOOTSTRAP_ENV"
}

ensure_running() {
  systemctl enable --quiet --no-reload "$UNIT"
  if ! systemctl is-active --quiet "$UNIT"; then
    systemctl reset-failed "$UNIT" 2>/dev/null || true
    log "starting $UNIT_NAME"
    systemctl start --no-block "$UNIT"
  fi
}

# found: the apply that records the cluster's one bootstrap (Terraform creates it after every
# founder's provisioner) runs this from each founder's join step, all at once. A founder without
# data is prepared to start as "new" with the founders' initial cluster, and starts. It does not
# probe for a running cluster: each founder's provisioner did (join-running) before any founder
# started, and one it found joined it there and has data now; nothing in this stack starts a member
# without data otherwise. A founder started alongside would hold such a probe up: a member without
# a quorum accepts connections but answers nothing.
found() {
  if [ -d "$DATA_DIR/member" ]; then
    rm -f -- "$FOUNDING"
    log "already holds cluster data: not bootstrapping"
    ensure_running
    return 0
  fi
  prepare_founder "bootstrapping: a founding member of a new cluster"
  ensure_member
}

# prepare_founder MESSAGE: to start as "new" with the founders' initial cluster; marked, so that a
# start that fails is retried as a founder's (ensure-member) until etcd has written its data.
prepare_founder() {
  log "$1"
  write_bootstrap_env "$SPEC_INITIAL_CLUSTER" new
  write_stamp
  : >"$FOUNDING"
}

# never_started_founder: the running cluster lists this member as a voter that never ran (no client
# URLs published; a learner added by a join is listed as one): a founder whose start never came
# (its join step failed before it ran, in the apply that recorded the bootstrap).
never_started_founder() {
  local list
  list="$(ctl_others member list -w simple)"
  [ -n "$(printf '%s\n' "$list" | member_field "$PEER_URL" 1)" ] &&
    [ -z "$(printf '%s\n' "$list" | member_field "$PEER_URL" 5)" ] &&
    [ "$(printf '%s\n' "$list" | member_field "$PEER_URL" 6)" = false ]
}

# ensure-member: a member with data runs; a member without data joins the running cluster. It
# never bootstraps a new one: the bootstrap happened once, when Terraform recorded it.
ensure_member() {
  if [ ! -d "$DATA_DIR/member" ] && [ -f "$FOUNDING" ]; then
    # --no-block: Type=notify reports READY only once a quorum is up. etcd writes its data dir at
    # once, before it waits for its peers: from then on this member is never a founder again.
    log "starting as a founding member of the new cluster"
    ensure_running
    local deadline=$(($(date +%s) + 10))
    until [ -d "$DATA_DIR/member" ] || [ "$(date +%s)" -ge "$deadline" ]; do sleep 0.05; done
    if [ -d "$DATA_DIR/member" ]; then rm -f -- "$FOUNDING"; fi
    return 0
  fi
  rm -f -- "$FOUNDING"
  if [ -d "$DATA_DIR/member" ]; then
    # Up and READY (Type=notify: it published itself through the cluster's quorum): a member.
    if [ "$(systemctl show -p ActiveState --value "$UNIT" 2>/dev/null || true)" = active ]; then
      return 0
    fi
    if has_quorum "$OTHER_ENDPOINTS" && [ -z "$(ctl_others member list -w simple | member_field "$PEER_URL" 1)" ]; then
      # Removed while its host was away (remove: true of a dead host, then put back): its data
      # belongs to a member the cluster no longer has, and etcd would refuse to run with it.
      log "the cluster no longer lists $MEMBER_NAME (it was removed): its old data is archived and it joins again"
      systemctl disable --now "$UNIT" 2>/dev/null || true
      archive_data_dir
    else
      ensure_running
      return 0
    fi
  fi
  log "not a member yet: joining the running cluster"
  wait_for_quorum "$OTHER_ENDPOINTS" "$HEALTH_SECONDS" ||
    die "no running cluster answers at $OTHER_ENDPOINTS after $HEALTH_SECONDS s. The cluster was bootstrapped already (Terraform recorded it), so $MEMBER_NAME will not start a new one: make the other members reachable from this host on the client and peer ports, then apply again"
  if never_started_founder; then
    prepare_founder "the running cluster lists $MEMBER_NAME as a founder that never started: it starts as one"
    ensure_member
    return 0
  fi
  with_lock "$CLIENT_URL" join-locked
}

# join-running: provisioning reached a member without data. When its cluster runs (a member added to
# a running cluster, or a host provisioned again after it lost its data: its join step is not
# replaced with its provisioner), it joins now, as its join step would. While no other member
# answers (the first deploy, before the bootstrap: their ports are closed, so the probe costs
# nothing) it is left to its join step, which runs after the bootstrap.
join_running() {
  [ ! -d "$DATA_DIR/member" ] || return 0
  if has_quorum "$OTHER_ENDPOINTS"; then
    ensure_member
  else
    log "not started yet: no member of its cluster answers, so its join step starts it (a founder of a new cluster, or joining once the cluster runs)"
  fi
}

# join-locked: add this member as a learner, start it, promote it once it caught up. A stale entry
# with this peer URL (the member's data is gone) is removed first; if the learner does not catch up
# in time it is removed again, so the voters never change for a member that does not run.
join_locked() {
  local list id name learner out initial deadline
  list="$(ctl_others member list -w simple)"
  id="$(printf '%s\n' "$list" | member_field "$PEER_URL" 1)"
  name="$(printf '%s\n' "$list" | member_field "$PEER_URL" 3)"
  learner="$(printf '%s\n' "$list" | member_field "$PEER_URL" 6)"
  if [ -n "$id" ] && [ -n "$name" ] && [ "$learner" != true ]; then
    log "removing the stale member $name ($id): its data is gone from this host"
    remove_voter "$id" "$OTHER_ENDPOINTS"
    id=
  fi
  if [ -z "$id" ]; then
    log "adding $MEMBER_NAME ($PEER_URL) as a learner"
    out="$(reconfigure "$OTHER_ENDPOINTS" member add "$MEMBER_NAME" --peer-urls="$PEER_URL" --learner)"
    id="$(printf '%s\n' "$out" | added_member_id)"
    [ -n "$id" ] || die "member add gave no member id: $out"
  fi
  initial="$(ctl_others member list -w simple | initial_cluster_of "$MEMBER_NAME" "$PEER_URL")" ||
    die "cannot join: another added member never started; remove it (etcdctl member remove ID) or start it, then apply again"
  write_bootstrap_env "$initial" existing
  write_stamp
  log "starting as a learner with --initial-cluster=$initial"
  systemctl enable --quiet --no-reload "$UNIT"
  systemctl start --no-block "$UNIT"
  deadline=$(($(date +%s) + HEALTH_SECONDS))
  until out="$(ctl_others member promote "$id" 2>&1)"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "the learner did not catch up in $HEALTH_SECONDS s ($out): removing it again"
      ctl_others member remove "$id" >/dev/null 2>&1 || true
      systemctl disable --now "$UNIT" 2>/dev/null || true
      archive_data_dir
      die "$MEMBER_NAME did not catch up with the cluster as a learner within $HEALTH_SECONDS s and was removed again; see journalctl -u $UNIT -n 50"
    fi
    pause
  done
  log "promoted $MEMBER_NAME ($id) to a voting member"
  wait_healthy "$HEALTH_SECONDS" || die "joined but not healthy after $HEALTH_SECONDS s: journalctl -u $UNIT -n 50"
  log "joined; cluster healthy"
}

# remove_voter ID ENDPOINTS: member remove, refused unless the healthy members other than ID stay a
# majority of those that remain (counted from the live member list, not the spec's); leadership
# moves off ID first when it leads, so writes do not wait for an election.
remove_voter() {
  local id="$1" endpoints="$2" list total stay_urls healthy leaver_url leaver_status target
  list="$(ctl --endpoints="$endpoints" member list -w simple)"
  total="$(printf '%s\n' "$list" | grep -c .)"
  stay_urls="$(printf '%s\n' "$list" | awk -F', ' -v id="$id" '$1 != id && $5 != "" { split($5, u, ","); print u[1] }' | paste -sd ',' -)"
  healthy=0
  if [ -n "$stay_urls" ]; then
    healthy="$(ctl --endpoints="$stay_urls" --dial-timeout=2s endpoint health 2>&1 | grep -c 'is healthy' || true)"
  fi
  # +1: the member to remove counts as healthy in removal_keeps_quorum's arithmetic.
  removal_keeps_quorum "$((healthy + 1))" "$total" ||
    die "refusing to remove member $id: only $healthy of the $((total - 1)) members that would remain are healthy; fix them first"
  leaver_url="$(printf '%s\n' "$list" | awk -F', ' -v id="$id" '$1 == id { split($5, u, ","); print u[1] }')"
  if [ -n "$leaver_url" ] && leaver_status="$(ctl --endpoints="$leaver_url" --dial-timeout=2s endpoint status -w json 2>/dev/null)" &&
    [ "$(status_field member_id "$leaver_status")" = "$(status_field leader "$leaver_status")" ]; then
    target="$(printf '%s\n' "$list" | started_voters | grep -vx "$id" | head -n 1)"
    log "moving leadership from $id to $target first"
    ctl --endpoints="$leaver_url" move-leader "$target" >/dev/null 2>&1 || log "move-leader failed; removing the leader directly"
  fi
  log "removing member $id"
  reconfigure "$endpoints" member remove "$id" >/dev/null
}

# restart [upgrade]: one member at a time under the lock when the cluster runs; plain otherwise.
# A member whose announcement went in (only a quorum grants it) knows the cluster runs; so does one
# that sees the lock busy: either waits for its turn at once, without probing the others for a
# quorum (a probe that meets a member in the middle of its restart waits for its dial timeout, and
# a read it leaves on a stopping member holds up that member's stop).
rolling_restart() {
  local rc
  if [ -n "$OTHER_ENDPOINTS" ] && { announce_restart || lock_busy || has_quorum "$OTHER_ENDPOINTS"; }; then
    rm -f -- "$STATE_DIR/yielding"
    YIELD_UNTIL=$(($(date +%s) + YIELD_SECONDS))
    export YIELD_UNTIL
    trap 'withdraw_restart "$LOCAL_ENDPOINT,$OTHER_ENDPOINTS"' EXIT
    pre_upgrade_snapshot "$1"
    # 4: it led the cluster and handed the lock back to members that announced a restart meanwhile.
    while :; do
      rc=0
      with_lock "$CLIENT_URL" "restart-locked-$1" || rc=$?
      [ "$rc" = 4 ] || break
    done
    [ "$rc" = 0 ] || exit "$rc"
    trap - EXIT
  elif has_quorum "$LOCAL_ENDPOINT"; then
    # A cluster of one: nobody else to hold the lock through, nobody to wait for.
    pre_upgrade_snapshot "$1"
    restart_locked "$1"
  else
    log "no quorum reachable: restarting without waiting"
    systemctl restart --no-block "$UNIT"
  fi
}

# pre_upgrade_snapshot plain|upgrade: before an upgrade, the member's data as the running release
# holds it, or no upgrade. Taken before the member waits for the lock, not under it: the members
# save theirs side by side instead of one after another, and each still precedes its own restart.
pre_upgrade_snapshot() {
  if [ "$1" = upgrade ]; then
    snapshot "$SNAPSHOT_DIR" "pre-upgrade" || die "no pre-upgrade snapshot: not upgrading $MEMBER_NAME"
  fi
}

# hand_over_leadership: a member that leads the cluster moves its leadership to another started
# voter before it restarts. etcd hands it over as it stops anyway, but a leader's stop takes longer
# than a follower's (etcd's own part of a restart in the bench's floor: about 1.3 s against 1.0 s);
# moved while the old leader still serves, its clients' requests go on through the new leader, and
# the restart is a follower's. One election either way.
# Best effort: should the move fail, etcd still hands over as it stops. A member known to follow
# ($YIELD_RECHECK from yields_to_followers) asks nothing; one known to lead does not ask again.
hand_over_leadership() {
  local status member_id list own_id target
  [ "${YIELD_RECHECK:-1}" != follower ] || return 0
  if [ "${YIELD_RECHECK:-1}" != leader ]; then
    status="$(ctl_local --dial-timeout=1s --command-timeout=2s endpoint status -w json 2>/dev/null)" || return 0
    member_id="$(status_field member_id "$status")"
    if [ -z "$member_id" ] || [ "$member_id" != "$(status_field leader "$status")" ]; then return 0; fi
  fi
  # The member list's ids are hex (endpoint status gives decimal ones): this member's by its peer URL.
  list="$(ctl_local --dial-timeout=1s --command-timeout=2s member list -w simple 2>/dev/null)" || return 0
  own_id="$(printf '%s\n' "$list" | member_field "$PEER_URL" 1)"
  target="$(printf '%s\n' "$list" | started_voters | grep -vxF "${own_id:-none}" | head -n 1)" || true
  [ -n "$target" ] || return 0
  log "leads the cluster: moving its leadership to $target before it restarts"
  ctl_local --dial-timeout=1s --command-timeout=5s move-leader "$target" >/dev/null 2>&1 ||
    log "move-leader failed: etcd hands its leadership over as it stops"
}

restart_locked() {
  local withdrawing=''
  # A leader that hands the lock back does so before the health gate: the member it yields to runs
  # its own.
  if [ -n "${LOCK_ENDPOINTS:-}" ] && { [ "${YIELD_RECHECK:-1}" = 1 ] || [ "${YIELD_RECHECK:-1}" = leader ]; } &&
    yields_to_followers "${YIELD_UNTIL:-0}" "${YIELD_RECHECK:-1}"; then exit 4; fi
  wait_healthy "$HEALTH_SECONDS" || die "cluster not healthy before restarting $MEMBER_NAME: not restarting (would risk quorum)"
  hand_over_leadership
  if [ -n "${LOCK_ENDPOINTS:-}" ]; then
    # Through the others, beside the restart: done long before the lock passes on.
    withdraw_restart "$LOCK_ENDPOINTS" &
    withdrawing=$!
  fi
  log "restarting $UNIT"
  systemctl restart "$UNIT"
  if [ -n "$withdrawing" ]; then wait "$withdrawing" || true; fi
  wait_healthy "$HEALTH_SECONDS" || die "$MEMBER_NAME not healthy $HEALTH_SECONDS s after restart: journalctl -u $UNIT -n 50"
  log "restarted; cluster healthy"
}

# remove-member NAME PEER_URL CLIENT_URL, on a healthy member that stays: takes NAME out of the
# cluster whether or not its host answers (remove: true).
remove_member() {
  with_lock "$3" remove-member-locked "$@"
}

remove_member_locked() {
  local leaver="$1" leaver_peer="$2" leaver_client="$3" stay id
  stay="$(without "$leaver_client" "$CLUSTER_ENDPOINTS")"
  id="$(ctl --endpoints="$stay" member list -w simple | member_field "$leaver_peer" 1)"
  if [ -z "$id" ]; then
    log "$leaver is not a member (already removed)"
    return 0
  fi
  log "removing member $leaver ($id) from the cluster"
  remove_voter "$id" "$stay"
  log "removed $leaver"
}

# retire: on a removed member's host, best effort: stop etcd for good and archive its data.
retire() {
  systemctl disable --now "$UNIT" 2>/dev/null || true
  archive_data_dir
  log "etcd on $MEMBER_NAME stopped and disabled; data not deleted"
}

# leave: what a member does when its entry leaves the spec, or on terraform destroy. Members
# leave one at a time under the lock (through the others); the last member cannot be removed and is
# only stopped, its data kept in place; without a reachable quorum nothing can be removed safely.
leave() {
  local others rc=0
  others="$(live_endpoints "$CLIENT_URL")" || others="$OTHER_ENDPOINTS"
  if has_quorum "$others"; then
    with_lock "$CLIENT_URL" leave-locked || rc=$?
  else
    rc=3
  fi
  case "$rc" in
    0)
      systemctl disable --now "$UNIT" 2>/dev/null || true
      archive_data_dir
      ;;
    3)
      if has_quorum "$LOCAL_ENDPOINT" && [ "$(ctl_local member list -w simple | grep -c .)" -le 1 ]; then
        log "last member of the cluster: stopping $UNIT; data kept in $DATA_DIR"
      else
        log "WARNING: no quorum reachable: stopping $UNIT without a membership change; data kept in $DATA_DIR"
      fi
      systemctl disable --now "$UNIT" 2>/dev/null || true
      ;;
    *) exit "$rc" ;;
  esac
  log "etcd on $MEMBER_NAME stopped and disabled; data not deleted (in $DATA_DIR or archived beside it), certificates kept in $PKI_DIR/etcd"
}

leave_locked() {
  local id
  id="$(ctl_others member list -w simple | member_field "$PEER_URL" 1)"
  if [ -z "$id" ]; then
    log "$MEMBER_NAME is not a member (already removed)"
    return 0
  fi
  log "removing member $MEMBER_NAME ($id)"
  remove_voter "$id" "$OTHER_ENDPOINTS"
}

scheduled_snapshot() {
  snapshot "$SCHEDULED_SNAPSHOT_DIR" scheduled || die "scheduled snapshot failed; earlier snapshots kept in $SCHEDULED_SNAPSHOT_DIR"
  prune_snapshots "$SCHEDULED_SNAPSHOT_DIR" "$SNAPSHOT_RETAIN"
}

case "${1:-}" in
  *-locked*)
    : >"$STATE_DIR/locked-op.started"
    trap record_rc EXIT
    ;;
esac

case "${1:-}" in
  found) found ;;
  ensure-member) ensure_member ;;
  join-running) join_running ;;
  join-locked) join_locked ;;
  restart) rolling_restart plain ;;
  restart-upgrade) rolling_restart upgrade ;;
  restart-locked-plain) restart_locked plain ;;
  restart-locked-upgrade) restart_locked upgrade ;;
  remove-member) remove_member "$2" "$3" "$4" ;;
  remove-member-locked) remove_member_locked "$2" "$3" "$4" ;;
  retire) retire ;;
  leave) leave ;;
  leave-locked) leave_locked ;;
  snapshot-scheduled) scheduled_snapshot ;;
  *) die "usage: $0 found|ensure-member|join-running|restart|restart-upgrade|remove-member NAME PEER_URL CLIENT_URL|retire|leave|snapshot-scheduled" ;;
esac
