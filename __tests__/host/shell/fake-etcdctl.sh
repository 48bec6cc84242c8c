#!/bin/bash
# A stand-in for etcdctl in the shell tests: a small cluster kept in files under $FAKE (set by the
# test), enough for the host scripts' logic:
#   $FAKE/members   `member list -w simple` lines (ids in hex below 2^63, so the shell can print
#                   them in decimal as etcd's JSON does)
#   $FAKE/up        client URLs that answer, one per line ("local" for the member's own endpoint)
#   $FAKE/leader    the leader's id (hex)
#   $FAKE/local-id  the id the local endpoint reports (hex)
#   $FAKE/lock-block  while it exists, `lock` waits (another holder) without running its command,
#                   and `get --prefix` of the lock's keys shows the holder's key, and one key for
#                   each waiting `lock` client that is still alive
#   $FAKE/lock-hidden with lock-block: the holder's key is not shown (it got the lock a moment ago)
#                   until a `lock` client of ours waits behind it
#   $FAKE/lock-alone  with lock-hidden: no key shows at all (a `lock` client waits alone, slow)
#   $FAKE/lock-stuck  a waiting `lock` told to stop cannot end (its members are gone) and never runs
#   $FAKE/on-lock   run (then removed) when a `lock` client gets the lock, before its command
#   $FAKE/kv        other keys, one per line (`put`, `del`, `get --prefix --keys-only`; leases are
#                   granted and never expire)
#   $FAKE/fail-<op> makes `member <op>` (add, promote, remove), `snapshot` or `move-leader` (fail-move) fail
# Every call is appended to $FAKE/calls.
set -uo pipefail
printf '%s\n' "$*" >>"$FAKE/calls"

endpoints=() words=() cluster=0
for a in "$@"; do
  case "$a" in
    --endpoints=*) IFS=, read -r -a endpoints <<<"${a#--endpoints=}" ;;
    --cluster) cluster=1 ;;
    --*) ;;
    *) words+=("$a") ;;
  esac
done

up() {
  case "$1" in https://127.0.0.1:*) grep -qx local "$FAKE/up" ;; *) grep -qxF "$1" "$FAKE/up" ;; esac
}
id_of() {
  case "$1" in
    https://127.0.0.1:*) cat "$FAKE/local-id" ;;
    *) awk -F', ' -v url="$1" '$5 == url { print $1 }' "$FAKE/members" ;;
  esac
}
# any_up: the command reaches the cluster through one of its endpoints.
any_up() {
  local e
  for e in "${endpoints[@]}"; do if up "$e"; then return 0; fi; done
  echo "context deadline exceeded" >&2
  return 1
}

case "${words[*]}" in
  "endpoint status"*)
    rc=0 out=()
    for e in "${endpoints[@]}"; do
      if up "$e"; then
        out+=("{\"Endpoint\":\"$e\",\"Status\":{\"header\":{\"member_id\":$((16#$(id_of "$e"))),\"raft_term\":2},\"leader\":$((16#$(cat "$FAKE/leader")))}}")
      else rc=1; fi
    done
    if [ "${#out[@]}" -gt 0 ]; then (IFS=,; printf '[%s]\n' "${out[*]}"); fi
    exit "$rc"
    ;;
  "endpoint health"*)
    rc=0
    if [ "$cluster" = 1 ]; then
      any_up || exit 1
      mapfile -t endpoints < <(awk -F', ' '$5 != "" { print $5 }' "$FAKE/members")
    fi
    for e in "${endpoints[@]}"; do
      if up "$e"; then echo "$e is healthy: successfully committed proposal"; else echo "$e is unhealthy: failed to commit proposal" >&2; rc=1; fi
    done
    exit "$rc"
    ;;
  get*)
    any_up || exit 1
    if [[ "${words[1]}" != etcd-deploy/membership/* ]]; then
      if [ -f "$FAKE/kv" ]; then grep -F "${words[1]}" "$FAKE/kv" | grep "^${words[1]}" || true; fi
    elif [[ " $* " == *" --prefix "* ]] && [ -f "$FAKE/lock-block" ]; then
      waiting=()
      for q in "$FAKE"/lock-queued.*; do
        if [ -f "$q" ] && kill -0 "${q##*.}" 2>/dev/null; then waiting+=("${words[1]}${q##*.}"); fi
      done
      [ ! -f "$FAKE/lock-alone" ] || waiting=()
      if [ ! -f "$FAKE/lock-hidden" ] || [ "${#waiting[@]}" -gt 0 ]; then echo "${words[1]}694d7a1c2b3e4f50"; fi
      if [ "${#waiting[@]}" -gt 0 ]; then printf '%s\n' "${waiting[@]}"; fi
    fi
    ;;
  "lease grant"*)
    any_up || exit 1
    echo "lease 694d7a1c2b3e4f77 granted with TTL(${words[2]}s)"
    ;;
  put*)
    any_up || exit 1
    touch "$FAKE/kv"
    grep -vxF "${words[1]}" "$FAKE/kv" >"$FAKE/kv.new" || true
    echo "${words[1]}" >>"$FAKE/kv.new" && mv "$FAKE/kv.new" "$FAKE/kv"
    echo OK
    ;;
  del*)
    any_up || exit 1
    touch "$FAKE/kv"
    grep -vxF "${words[1]}" "$FAKE/kv" >"$FAKE/kv.new" || true
    mv "$FAKE/kv.new" "$FAKE/kv"
    echo 1
    ;;
  "member list"*) any_up && cat "$FAKE/members" ;;
  "member add"*)
    any_up || exit 1
    [ ! -f "$FAKE/fail-add" ] || { echo "etcdserver: unhealthy cluster" >&2; exit 1; }
    peer=
    for a in "$@"; do case "$a" in --peer-urls=*) peer="${a#--peer-urls=}" ;; esac; done
    learner=false
    [[ " $* " == *" --learner "* ]] && learner=true
    echo "4a5b6c7d8e9f0a1b, unstarted, , $peer, , $learner" >>"$FAKE/members"
    # etcdctl's format: the id padded to 16 columns, " as learner" for a learner.
    if [ "$learner" = true ]; then as=" as learner "; else as=" "; fi
    printf 'Member %16s added%sto cluster %16s\n' 4a5b6c7d8e9f0a1b "$as" 1c2d3e4f5a6b7c8d
    ;;
  "member promote"*)
    any_up || exit 1
    [ ! -f "$FAKE/fail-promote" ] || { echo "etcdserver: can only promote a learner member which is in sync with leader" >&2; exit 1; }
    sed -i "s/^\(${words[2]}, .*\), true$/\1, false/" "$FAKE/members"
    echo "Member ${words[2]} promoted in cluster 1c2d3e4f5a6b7c8d"
    ;;
  "member remove"*)
    any_up || exit 1
    [ ! -f "$FAKE/fail-remove" ] || { echo "etcdserver: unhealthy cluster" >&2; exit 1; }
    sed -i "/^${words[2]}, /d" "$FAKE/members"
    echo "Member ${words[2]} removed from cluster 1c2d3e4f5a6b7c8d"
    ;;
  move-leader*)
    any_up || exit 1
    [ ! -f "$FAKE/fail-move" ] || { echo "etcdserver: request timed out, leader transfer took too long" >&2; exit 1; }
    echo "${words[1]}" >"$FAKE/leader"
    echo "Leadership transferred to ${words[1]}"
    ;;
  lock*)
    any_up || exit 1
    if [ -f "$FAKE/lock-stuck" ]; then trap 'while :; do sleep 0.2; done' TERM; fi
    if [ -f "$FAKE/lock-block" ]; then
      : >"$FAKE/lock-queued.$$"
      # etcdctl reports the cancellation when it is told to stop while it waits.
      [ -f "$FAKE/lock-stuck" ] || trap 'echo "Error: context canceled" >&2; rm -f "$FAKE/lock-queued.$$"; exit 1' TERM
    fi
    while [ -f "$FAKE/lock-block" ]; do sleep 0.05; done
    rm -f "$FAKE/lock-queued.$$"
    trap - TERM
    if [ -f "$FAKE/on-lock" ]; then
      bash "$FAKE/on-lock"
      rm -f "$FAKE/on-lock"
    fi
    "${words[@]:2}"
    ;;
  "snapshot save"*)
    [ ! -f "$FAKE/fail-snapshot" ] || { echo "Error: rpc error: code = Unavailable desc = connection refused" >&2; exit 1; }
    echo db >"${words[2]}"
    ;;
  *)
    echo "fake etcdctl: unexpected call: $*" >&2
    exit 9
    ;;
esac
