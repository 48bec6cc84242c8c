#!/bin/bash
# Packs etcd, etcdctl and (when present) etcdutl like an upstream release tarball, reproducibly
# (sorted entries, fixed owner and mtime, gzip without name or timestamp): the same binaries give
# the same sha256.
# Usage: pack-etcd-release.sh BIN_DIR VERSION OUT_TARBALL
set -euo pipefail

bin_dir=$1 version=$2 out=$3
name="etcd-v$version-linux-amd64"

stage=$(mktemp -d)
trap 'rm -rf "$stage" "$out.tmp.$$"' EXIT
mkdir -m 0755 "$stage/$name"
for bin in etcd etcdctl etcdutl; do
  if [ -f "$bin_dir/$bin" ]; then
    install -m 0755 "$bin_dir/$bin" "$stage/$name/"
  elif [ "$bin" != etcdutl ]; then
    echo "pack-etcd-release.sh: $bin_dir/$bin is missing" >&2
    exit 1
  fi
done

tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -cf - "$name" | gzip -n -9 >"$out.tmp.$$"
mv -f "$out.tmp.$$" "$out"
