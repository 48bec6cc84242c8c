#!/bin/bash
# Packs etcd and etcdctl like an upstream release tarball, reproducibly (sorted entries, fixed
# owner and mtime, gzip without name or timestamp), so the same binaries give the same sha256.
# Usage: pack-etcd-release.sh BIN_DIR VERSION_LABEL OUT_TARBALL
set -euo pipefail

bin_dir=$1 label=$2 out=$3
name="etcd-v$label-linux-amd64"

stage=$(mktemp -d)
trap 'rm -rf "$stage" "$out.tmp.$$"' EXIT
mkdir -m 0755 "$stage/$name"
install -m 0755 "$bin_dir/etcd" "$bin_dir/etcdctl" "$stage/$name/"

tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -cf - "$name" | gzip -n -9 >"$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
