#!/bin/bash
# Shared functions of the host scripts (provision.sh, etcd-ops.sh, health.sh). Sourced, never run.
# Every per-member value comes from params.env, sourced by the calling script before this file.
# shellcheck shell=bash

# log MESSAGE / die MESSAGE: one line, prefixed with the script's tag and the member name.
log() { printf '[%s %s] %s\n' "$LOG_TAG" "$MEMBER_NAME" "$*"; }
die() {
  printf '[%s %s] ERROR: %s\n' "$LOG_TAG" "$MEMBER_NAME" "$*" >&2
  exit 1
}

# ctl ARGS: etcdctl with the healthcheck client certificate (endpoints given by the caller).
ctl() {
  "$BIN_DIR/etcdctl" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" --dial-timeout=3s --command-timeout=10s "$@"
}

# answering URLS: those of the comma-separated client URLs that accept a TCP connection within a
# second, probed all at once, comma-separated in the order given. A port nobody listens on refuses
# at once, where etcdctl would wait out its whole dial timeout: only what answers is worth asking.
answering() {
  local url hostport host port i urls=() pids=() up=()
  [ -n "$1" ] || return 0
  IFS=',' read -r -a urls <<<"$1"
  for url in "${urls[@]}"; do
    hostport="${url#*://}"
    hostport="${hostport%%/*}"
    port="${hostport##*:}"
    host="${hostport%:*}"
    host="${host#[}"
    host="${host%]}"
    # shellcheck disable=SC2016 # $0 and $1 belong to the inner shell
    timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null &
    pids+=("$!")
  done
  for i in "${!urls[@]}"; do
    if wait "${pids[$i]}"; then up+=("${urls[$i]}"); fi
  done
  (
    IFS=,
    printf '%s' "${up[*]}"
  )
}

# pause: the interval of every wait loop (each round is an etcdctl call or two).
pause() { sleep 0.2; }

# version_core VERSION: "3.5.33" from "3.5.33" or "3.5.33-rc.1".
version_core() { printf '%s' "${1%%-*}"; }

# check_upgrade_path FROM TO: etcd upgrades one minor at a time, never down, and 3.5 -> 3.6 only
# from the 3.5 patch etcd's upgrade guide asks for. Dies with the reason; returns 0 when allowed.
check_upgrade_path() {
  local from="$1" to="$2" fmaj fmin fpat tmaj tmin
  IFS=. read -r fmaj fmin fpat <<<"$(version_core "$from")"
  IFS=. read -r tmaj tmin _ <<<"$(version_core "$to")"
  if [ "$fmaj" != "$tmaj" ]; then die "refusing etcd $from -> $to: a major version change is not supported"; fi
  if [ "$tmin" -lt "$fmin" ]; then die "refusing etcd $from -> $to: downgrades are not supported (restore a snapshot instead)"; fi
  if [ "$tmin" -gt $((fmin + 1)) ]; then die "refusing etcd $from -> $to: upgrade one minor version at a time (first to $fmaj.$((fmin + 1)).x)"; fi
  if [ "$fmaj.$fmin" = 3.5 ] && [ "$tmin" = 6 ] && [ "$fpat" -lt "$UPGRADE_FLOOR_3_5_PATCH" ]; then
    die "refusing etcd $from -> $to: 3.5 -> 3.6 needs 3.5.$UPGRADE_FLOOR_3_5_PATCH or later first"
  fi
  return 0
}

# member_field URL FIELD < `member list -w simple`: the field (1 id, 2 status, 3 name, 5 client
# URLs, 6 is learner) of the member whose peer URL is URL. A member that never ran has no client
# URLs (they are published at its first start); one added by `member add` has no name either.
member_field() {
  awk -F', ' -v url="$1" -v field="$2" '$4 == url { print $field }'
}

# member_names < `member list -w simple`: the names, sorted, one line, space separated.
member_names() {
  awk -F', ' 'NF >= 3 { print $3 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# initial_cluster_of NAME PEER_URL < `member list -w simple`: --initial-cluster for a joining
# member: every listed member as name=peerURL, the unstarted one at PEER_URL named NAME. Fails
# when another added member never started (it has no name yet).
initial_cluster_of() {
  awk -F', ' -v me="$1" -v url="$2" '
    { name = $3; if (name == "" && $4 == url) name = me
      if (name == "") { print "unstarted member " $1 " (" $4 ") is in the way" > "/dev/stderr"; bad = 1 }
      out = out (out == "" ? "" : ",") name "=" $4 }
    END { if (bad) exit 1; print out }'
}

# added_member_id < `member add` output: the new member's id, from "Member 8e9e05c52164694d added
# to cluster …" or "… added as learner to cluster …" (etcdctl pads the id to 16 columns).
added_member_id() {
  sed -n 's/^Member  *\([0-9a-f]\{1,16\}\) added .*/\1/p' | head -n 1
}

# status_field FIELD JSON (`endpoint status -w json`): the first number FIELD holds ("member_id",
# "leader"), as decimal digits: ids are compared as text, never as (signed) shell integers. Bash's
# own match: no process started.
status_field() {
  if [[ "$2" =~ \"$1\":([0-9]+) ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; fi
}

# started_voters < `member list -w simple`: ids of started members that are not learners.
started_voters() {
  awk -F', ' '$2 == "started" && $3 != "" && $6 != "true" { print $1 }'
}

# removal_keeps_quorum HEALTHY TOTAL: whether removing one healthy member of TOTAL leaves the
# other healthy members a majority of the TOTAL - 1 that remain.
removal_keeps_quorum() {
  local healthy="$1" total="$2"
  [ $((healthy - 1)) -ge $(((total - 1) / 2 + 1)) ]
}

# snapshot DIR TAG: etcdctl snapshot save of the local member into DIR, named after the member,
# the tag and the time; written to a .part file first so that a failed save leaves no .db. Returns
# non-zero, saying why, when the save fails (callers may be in a context where set -e is off).
snapshot() {
  local dir="$1" tag="$2" file out
  install -d -m 0700 "$dir" || return 1
  file="$dir/etcd-$MEMBER_NAME-$tag-$(date -u +%Y%m%dT%H%M%SZ).db"
  if ! out="$(ctl --endpoints="$LOCAL_ENDPOINT" snapshot save "$file.part" 2>&1)"; then
    rm -f -- "$file.part"
    printf '[%s %s] snapshot of %s into %s failed: %s\n' "$LOG_TAG" "$MEMBER_NAME" "$LOCAL_ENDPOINT" "$dir" "$(printf '%s' "$out" | tail -n 3)" >&2
    return 1
  fi
  mv -f "$file.part" "$file" || return 1
  log "snapshot saved: $file"
}

# write_stamp: records on the host which cluster, member, unit and data dir it holds (state dir,
# member.env); the preflight refuses hosts whose stamp says otherwise.
write_stamp() {
  umask 077
  printf 'STAMP_CLUSTER_ID=%s\nSTAMP_MEMBER_NAME=%s\nSTAMP_UNIT=%s\nSTAMP_DATA_DIR=%s\n' "$CLUSTER_ID" "$MEMBER_NAME" "$UNIT" "$DATA_DIR" >"$MEMBER_STAMP.new"
  mv -f "$MEMBER_STAMP.new" "$MEMBER_STAMP"
}

# archive_data_dir: moves the data dir aside (never deletes it) and forgets the stamp (and a
# founder's mark: a removed member joins again, never as a founder).
archive_data_dir() {
  local archive
  if [ -d "$DATA_DIR/member" ]; then
    archive="$DATA_DIR.removed-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$DATA_DIR" "$archive"
    log "data dir archived to $archive (not deleted)"
  fi
  rm -f -- "$MEMBER_STAMP" "$STATE_DIR/founding"
}

# prune_snapshots DIR KEEP: keeps the KEEP newest scheduled snapshots of this member in DIR.
prune_snapshots() {
  local dir="$1" keep="$2" old
  find "$dir" -maxdepth 1 -type f -name "etcd-$MEMBER_NAME-scheduled-*.db" -printf '%T@ %p\n' | sort -rn | tail -n +"$((keep + 1))" | cut -d ' ' -f 2- |
    while IFS= read -r old; do
      rm -f -- "$old"
      log "pruned $old"
    done
}
