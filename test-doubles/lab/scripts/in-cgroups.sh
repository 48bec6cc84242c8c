#!/bin/sh
# Moves itself into the given cgroup directories (creating them), then execs the command, so the
# command and everything it starts stay in the lab's own cgroups, where teardown finds and kills them.
# Usage: in-cgroups.sh CGROUP_DIR... -- COMMAND [ARG...]
set -eu
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  mkdir -p "$1"
  echo "$$" >"$1/cgroup.procs"
  shift
done
[ "$#" -gt 1 ] || { echo "usage: in-cgroups.sh CGROUP_DIR... -- COMMAND [ARG...]" >&2; exit 64; }
shift
exec "$@"
