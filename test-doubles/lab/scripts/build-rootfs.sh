#!/bin/bash
# Builds the shared root filesystem of every lab host once and packs it into the cache.
# Usage: build-rootfs.sh MIRROR SUITE TARBALL DEB_CACHE_DIR OUT_DIR
# Runs under a lock on TARBALL.lock, so concurrent labs build it once; prints "cached" when another
# run built it meanwhile, "built" when it built it and moved the tree to OUT_DIR.
set -euo pipefail

mirror=$1 suite=$2 tarball=$3 deb_cache=$4 out_dir=$5
packages=systemd,systemd-sysv,dbus,openssh-server,curl,ca-certificates,iproute2,procps,sudo

exec 9>"$tarball.lock"
flock -w 1800 9

if [ -s "$tarball" ]; then
  echo cached
  exit 0
fi

work="$tarball.build.$$"
trap 'rm -rf "$work" "$tarball.tmp.$$"' EXIT
rm -rf "$work"
mkdir -p "$deb_cache" "$work"

debootstrap --variant=minbase --include="$packages" --cache-dir="$deb_cache" \
  "$suite" "$work" "$mirror" >&2

# Host keys are made per host at its first boot (they live in the host's overlay, not here).
rm -f "$work"/etc/ssh/ssh_host_*
mkdir -p "$work/etc/systemd/system/ssh.service.d"
cat >"$work/etc/systemd/system/ssh.service.d/10-lab-host-keys.conf" <<'UNIT'
[Service]
ExecStartPre=
ExecStartPre=/usr/bin/ssh-keygen -A
ExecStartPre=/usr/sbin/sshd -t
UNIT

# Empty machine-id: systemd makes one per boot; each host's identity comes from its overlay.
: >"$work/etc/machine-id"
rm -f "$work/var/lib/dbus/machine-id"
rm -f "$work/etc/resolv.conf" "$work/etc/hostname"
: >"$work/etc/resolv.conf"

# Offline hosts: no apt timers; nobody logs in on the console (ssh only).
for unit in apt-daily.timer apt-daily-upgrade.timer console-getty.service container-getty@.service getty@.service; do
  ln -sf /dev/null "$work/etc/systemd/system/$unit"
done

rm -rf "$work"/var/cache/apt/archives/*.deb "$work"/var/lib/apt/lists/*

tar -C "$work" --numeric-owner --xattrs --xattrs-include='*' -I 'zstd -T0 -3' \
  -cf "$tarball.tmp.$$" .
mv -f "$tarball.tmp.$$" "$tarball"

rm -rf "$out_dir"
mkdir -p "$(dirname "$out_dir")"
mv -T "$work" "$out_dir"
echo built
