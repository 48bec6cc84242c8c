#!/bin/bash
# Tears a lab down when the process that owns it dies without doing so (killed test runner,
# crashed script). Exits quietly once the lab is down (its registry file is gone).
# Usage: lab-watchdog.sh LAB REGISTRY_FILE OWNER_PID OWNER_START_TIME -- TEARDOWN_COMMAND...
set -u

lab=$1 registry=$2 owner=$3 owner_start=$4
shift 5

# Field 22 of /proc/PID/stat (start time) tells a live owner from a reused pid; the command name
# (field 2) may contain spaces, so count fields after its closing parenthesis.
owner_alive() {
  local stat
  stat=$(cat "/proc/$owner/stat" 2>/dev/null) || return 1
  [ "$(echo "${stat##*) }" | cut -d' ' -f20)" = "$owner_start" ]
}

while [ -e "$registry" ] && owner_alive; do
  sleep 1
done
if [ -e "$registry" ]; then
  echo "[lab-watchdog] $(date -Is) owner $owner of $lab is gone: tearing the lab down"
  exec "$@"
fi
