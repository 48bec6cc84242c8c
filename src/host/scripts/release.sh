#!/bin/bash
# A member's release step: brings the etcd release the spec pins onto the host ahead of the
# member's provisioning, so that the download (or the upload from the applying machine), the
# sha256 check and the extraction overlap with Terraform making the certificates. The release is
# staged under the state dir (root-owned, 0700), never installed: the binaries in use and the
# running etcd are left alone; provision.sh installs it later, in turn with the restarts. Refuses a
# release the installed one may not be upgraded to, before downloading anything. Terraform uploads
# this directory (the host scripts and params.env) to the SSH user's work dir and runs this script
# as root (through sudo for users other than root); the upload goes whatever happens.
set -euo pipefail
umask 077

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=/dev/null
. "$HERE/params.env"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
from_upload

if release_installed; then
  log "etcd $ETCD_VERSION already installed in $BIN_DIR"
  exit 0
fi
if [ -f "$STATE_DIR/installed-release" ]; then
  check_upgrade_path "$(cut -d ' ' -f 1 "$STATE_DIR/installed-release")" "$ETCD_VERSION"
fi
stage_release "${ETCD_LOCAL_TARBALL:+$HERE/$ETCD_LOCAL_TARBALL}"
