#!/bin/bash
# The health gate of a deploy, on the first member after every member is provisioned: waits for
# every member's client port, then for `etcdctl endpoint health --cluster` with the healthcheck
# client certificate, then for the member list to hold exactly the spec's names; on a failure,
# names each member with its health.
# Installed in the state dir with the member's params.env; its one argument is this run's
# expectations (health.env, written into the SSH user's work dir by the inline script that runs
# this one), kept as a copy in the state dir.
# Usage: health.sh HEALTH_ENV
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. "$HERE/params.env"
[ "$#" -eq 1 ] || { echo "usage: health.sh HEALTH_ENV" >&2; exit 2; }
if [ "$1" != "$HERE/health.env" ]; then
  install -m 0600 -- "$1" "$HERE/health.env"
  rm -f -- "$1"
fi
# shellcheck source=/dev/null
. "$HERE/health.env"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

ctl_local() {
  "$BIN_DIR/etcdctl" --endpoints="$LOCAL_ENDPOINT" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" \
    --dial-timeout=3s --command-timeout=5s "$@"
}

# Names each member with the health of its client URL, so a failure says which host to look at.
report_members() {
  local list line name url
  if ! list="$(ctl_local member list -w simple 2>&1)"; then
    printf 'member list unavailable (no quorum?): %s\n' "$list"
    printf 'expected members: %s\n' "$EXPECTED_MEMBERS"
    return 0
  fi
  printf 'members:\n'
  while IFS= read -r line; do
    name="$(printf '%s' "$line" | awk -F', ' '{ print $3 }')"
    url="$(printf '%s' "$line" | awk -F', ' '{ print $5 }' | cut -d ',' -f 1)"
    if [ -z "$name" ]; then name='(not started)'; fi
    if [ -n "$url" ] && "$BIN_DIR/etcdctl" --endpoints="$url" --cacert="$CA_CERT" --cert="$CLIENT_CERT" --key="$CLIENT_KEY" \
      --dial-timeout=2s --command-timeout=3s endpoint health >/dev/null 2>&1; then
      printf '  %s  %s  healthy\n' "$name" "$url"
    else
      printf '  %s  %s  UNHEALTHY\n' "$name" "$url"
    fi
  done <<<"$list"
}

# One clock for the deadline and the figures reported: milliseconds since the gate started.
started_ns="$(date +%s%N)"
ms_since_start() { echo $((($(date +%s%N) - started_ns) / 1000000)); }
# Until the client port of this member and of every expected member takes connections (every
# 0.05 s, within the deadline): a port not bound yet (etcd just started, on this host or another)
# refuses, and etcdctl's gRPC client then waits a whole second before it dials again, a second
# the gate would spend on nothing (`endpoint health --cluster` dials every member's client URL).
while [ "$(answering "$LOCAL_ENDPOINT,$EXPECTED_ENDPOINTS")" != "$LOCAL_ENDPOINT,$EXPECTED_ENDPOINTS" ] &&
  [ "$(ms_since_start)" -lt $((DEADLINE_SECONDS * 1000)) ]; do
  sleep 0.05
done
# How long that took, and then etcdctl: where a slow gate spent its time.
waited="$(ms_since_start)"
attempt=0
while :; do
  attempt=$((attempt + 1))
  # Healthy, and exactly the spec's members: a member leaving in the same apply may still be
  # listed for a moment, so the member list is part of what is waited for.
  if output="$(ctl_local endpoint health --cluster 2>&1)"; then
    members="$(ctl_local member list -w simple 2>&1 || true)"
    actual="$(printf '%s\n' "$members" | member_names)"
    if [ "$actual" = "$EXPECTED_MEMBERS" ]; then
      printf '%s\n' "$output"
      break
    fi
    output="$(printf 'all listed members are healthy, but the member list does not match the spec.\n  expected: %s\n  actual:   %s\netcdctl member list:\n%s' "$EXPECTED_MEMBERS" "$actual" "$members")"
  fi
  elapsed=$(($(ms_since_start) / 1000))
  if [ "$elapsed" -ge "$DEADLINE_SECONDS" ]; then
    printf 'etcd cluster not healthy after %ss (%s attempts). Last output of etcdctl endpoint health --cluster:\n%s\n' \
      "$elapsed" "$attempt" "$output" >&2
    report_members >&2
    printf 'On a failing member, look at: journalctl -u %s -n 50\n' "$UNIT_NAME" >&2
    exit 1
  fi
  sleep "$INTERVAL_SECONDS"
done

printf 'etcd cluster healthy after %s attempt(s); members: %s\n' "$attempt" "$actual"
printf 'the members took connections on their client ports after %s ms; the cluster answered healthy %s ms later\n' \
  "$waited" "$(($(ms_since_start) - waited))"
