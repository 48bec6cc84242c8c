#!/bin/bash
# Runs one lab host: in its own mount namespace (tmpfs on /run/systemd/nspawn, the host's overlay
# on the shared rootfs), boots systemd-nspawn, and boots it again whenever the guest reboots
# (nspawn exits 133). SIGTERM powers the guest off and ends the launcher; the mounts vanish with it.
# Usage: host-launcher.sh MACHINE HOSTNAME ROOTFS HOST_DIR NETNS_PATH MACHINE_UUID
set -euo pipefail

machine=$1 hostname=$2 rootfs=$3 host_dir=$4 netns_path=$5 machine_uuid=$6

if [ "${ETCD_LAB_LAUNCHER_STAGE:-}" != inner ]; then
  # Slave propagation: our mounts stay private, but other labs' `ip netns del` still reaches us.
  export ETCD_LAB_LAUNCHER_STAGE=inner
  exec unshare --mount --propagation slave -- "$0" "$@"
fi

mkdir -p /run/systemd/nspawn "$host_dir/merged"
mount -t tmpfs -o mode=0755 "$machine-nspawn" /run/systemd/nspawn
mount -t overlay "$machine" \
  -o "lowerdir=$rootfs,upperdir=$host_dir/upper,workdir=$host_dir/work" "$host_dir/merged"

stop=0
child=
stop_guest() {
  stop=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap stop_guest TERM INT HUP

boots=0
while :; do
  boots=$((boots + 1))
  echo "$boots" >"$host_dir/boots"
  echo "[launcher] $(date -Is) boot $boots of $machine"
  systemd-nspawn --quiet --boot --register=no --keep-unit \
    --machine="$machine" --hostname="$hostname" --uuid="$machine_uuid" \
    --directory="$host_dir/merged" \
    --network-namespace-path="$netns_path" --resolv-conf=off --timezone=off \
    --link-journal=no --console=read-only &
  child=$!
  rc=0
  wait "$child" || rc=$?
  # A trapped signal interrupts `wait` early: keep waiting until nspawn itself has exited.
  while kill -0 "$child" 2>/dev/null; do
    rc=0
    wait "$child" || rc=$?
  done
  child=
  echo "[launcher] $(date -Is) nspawn exited $rc"
  if [ "$stop" = 1 ] || [ "$rc" != 133 ]; then break; fi
done
