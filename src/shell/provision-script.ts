import {
  hostPkiPath,
  MEMBERSHIP_BUNDLE_PATH,
  OPS_SCRIPT_BUNDLE_PATH,
  PkiFile,
  SNAPSHOT_SERVICE_BUNDLE_PATH,
  SNAPSHOT_TIMER_BUNDLE_PATH,
  UNIT_BUNDLE_PATH,
} from '../files/host-layout';
import { snapshotUnitName } from '../systemd/snapshot-units';
import { membershipEnvPath, opsScriptPath } from './ops-script';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { shellAssign, shellCommand } from './quote';

/** Staging directory on the host where Terraform's file provisioner uploads the bundle. */
export const stagingDir = (cluster: ResolvedCluster) => `${cluster.paths.stateDir}/staging`;

/** Static body: the logic is here once; parameters come from the typed layer, quoted. */
const BODY = String.raw`
log() { printf '[etcd-deploy %s] %s\n' "$MEMBER_NAME" "$*"; }
die() { printf '[etcd-deploy %s] ERROR: %s\n' "$MEMBER_NAME" "$*" >&2; exit 1; }

# Private keys must not linger in the staging area, whatever happens.
cleanup() { rm -rf -- "$STAGING_DIR"; }
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || die "must run as root: connect as root or as a user with root rights"
command -v systemctl >/dev/null 2>&1 || die "systemd is required on the host"

# A restart etcd owes is kept on disk until it happens: a run interrupted after changing a file
# etcd reads but before the restart leaves it owed, and the next run does it.
RESTART_PENDING="$STATE_DIR/restart-pending"
restart_needed=0
upgrading=0
if [ -f "$RESTART_PENDING" ]; then
  restart_needed=1
  if [ "$(cat "$RESTART_PENDING")" = upgrade ]; then upgrading=1; fi
fi

# owe_restart: record that etcd must restart, before making the change that needs it.
owe_restart() {
  restart_needed=1
  if [ "$upgrading" = 1 ]; then echo upgrade > "$RESTART_PENDING"; else echo plain > "$RESTART_PENDING"; fi
}

# check_upgrade_path FROM TO: etcd upgrades one minor at a time, never down, and 3.5 -> 3.6 only
# from 3.5.26 on. Checked before anything is downloaded or replaced.
check_upgrade_path() {
  local from="$1" to="$2" fmaj fmin fpat tmaj tmin
  IFS=. read -r fmaj fmin fpat <<< "$(printf '%s' "$from" | cut -d - -f 1)"
  IFS=. read -r tmaj tmin _ <<< "$(printf '%s' "$to" | cut -d - -f 1)"
  if [ "$fmaj" != "$tmaj" ]; then die "refusing etcd $from -> $to: a major version change is not supported"; fi
  if [ "$tmin" -lt "$fmin" ]; then die "refusing etcd $from -> $to: downgrades are not supported (restore a snapshot instead)"; fi
  if [ "$tmin" -gt $((fmin + 1)) ]; then die "refusing etcd $from -> $to: upgrade one minor version at a time (first to $fmaj.$((fmin + 1)).x)"; fi
  if [ "$fmaj.$fmin" = 3.5 ] && [ "$tmin" = 6 ] && [ "$fpat" -lt 26 ]; then die "refusing etcd $from -> $to: 3.5 -> 3.6 needs 3.5.26 or later first"; fi
}

download() {
  if command -v curl >/dev/null 2>&1; then
    curl --fail --silent --show-error --location --retry 3 --connect-timeout 15 --output "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget --quiet --tries=3 --timeout=15 --output-document="$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

# Download, verify, extract, then swap binaries in with rename(2). Skipped when this exact
# release (version, arch, checksum) is already installed.
install_etcd() {
  local stamp="$STATE_DIR/installed-release"
  local wanted="$ETCD_VERSION $ETCD_ARCH $ETCD_SHA256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -x "$BIN_DIR/etcd" ] && [ -x "$BIN_DIR/etcdctl" ]; then
    log "etcd $ETCD_VERSION already installed in $BIN_DIR"
    return 0
  fi
  local work actual src bin
  if [ -f "$stamp" ]; then
    check_upgrade_path "$(cut -d ' ' -f 1 "$stamp")" "$ETCD_VERSION"
    upgrading=1
  fi
  work="$(mktemp -d "$STATE_DIR/download.XXXXXX")"
  log "downloading $ETCD_URL"
  if ! download "$ETCD_URL" "$work/etcd.tar.gz"; then
    rm -rf -- "$work"
    die "download failed: $ETCD_URL (installed binaries left untouched). Check etcd.downloadUrl in the cluster spec and that this host can reach it (mirror up, proxy, firewall, DNS), then apply again"
  fi
  actual="$(sha256sum "$work/etcd.tar.gz" | cut -d ' ' -f 1)"
  if [ "$actual" != "$ETCD_SHA256" ]; then
    rm -rf -- "$work"
    die "checksum mismatch for $ETCD_URL: expected $ETCD_SHA256, got $actual (installed binaries left untouched). Set etcd.sha256 in the cluster spec to the release's published sha256 (SHA256SUMS), or fix the file the mirror serves, then apply again"
  fi
  tar -xzf "$work/etcd.tar.gz" -C "$work" --no-same-owner
  src="$(find "$work" -mindepth 2 -maxdepth 2 -type f -name etcd -print -quit)"
  src="$(dirname "$src")"
  if [ ! -f "$src/etcd" ] || [ ! -f "$src/etcdctl" ]; then
    rm -rf -- "$work"
    die "the tarball from $ETCD_URL holds no etcd and etcdctl binaries"
  fi
  install -d -m 0755 "$BIN_DIR"
  owe_restart
  for bin in etcd etcdctl etcdutl; do
    if [ -f "$src/$bin" ]; then install -m 0755 "$src/$bin" "$BIN_DIR/.$bin.new"; fi
  done
  for bin in etcd etcdctl etcdutl; do
    if [ -f "$BIN_DIR/.$bin.new" ]; then mv -f "$BIN_DIR/.$bin.new" "$BIN_DIR/$bin"; fi
  done
  printf '%s\n' "$wanted" > "$stamp.new"
  mv -f "$stamp.new" "$stamp"
  rm -rf -- "$work"
  log "installed etcd $ETCD_VERSION into $BIN_DIR"
}

# place STAGED_PATH DEST MODE RESTARTS: install a file atomically, only when it differs.
place() {
  local src="$STAGING_DIR/$1" dest="$2" mode="$3" restarts="$4"
  [ -f "$src" ] || die "missing from the upload: $1"
  if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c '%04a' "$dest")" = "$mode" ]; then
    return 0
  fi
  if [ "$restarts" = 1 ]; then owe_restart; fi
  install -m "$mode" -o root -g root "$src" "$dest.new"
  mv -f "$dest.new" "$dest"
  log "updated $dest"
}

# retire DEST: remove a file this tool no longer places (e.g. the CA key after an opt-out).
retire() {
  if [ -e "$1" ]; then
    rm -f -- "$1"
    log "removed $1"
  fi
}
`;

const START = String.raw`
systemctl daemon-reload
systemctl enable --quiet "$UNIT_NAME.service"
if [ ! -d "$DATA_DIR/member" ] && ! systemctl is-active --quiet "$UNIT_NAME.service"; then
  # Never started: bootstrap a new cluster, or join the running one (decided on the host).
  bash "$OPS" first-start
elif [ "$restart_needed" = 1 ]; then
  # One member at a time under the cluster lock, each after the cluster is healthy again.
  if [ "$upgrading" = 1 ]; then bash "$OPS" restart-upgrade; else bash "$OPS" restart; fi
elif ! systemctl is-active --quiet "$UNIT_NAME.service"; then
  systemctl reset-failed "$UNIT_NAME.service" 2>/dev/null || true
  log "starting $UNIT_NAME"
  systemctl start --no-block "$UNIT_NAME.service"
else
  log "nothing changed: $UNIT_NAME left running"
fi
rm -f -- "$RESTART_PENDING"
`;

/** The script that turns a plain host into an etcd member; idempotent and shellcheck-clean. */
export function renderProvisionScript(cluster: ResolvedCluster, member: ResolvedMember, files: PkiFile[]): string {
  const { etcd, paths } = cluster;
  const unitFile = `/etc/systemd/system/${etcd.unitName}.service`;
  const placed = new Set(files.map((f) => f.item));
  const retired = (['ca.key'] as const).filter((item) => !placed.has(item));
  const timer = `${snapshotUnitName(cluster)}.timer`;
  const snapshotFiles = [
    [SNAPSHOT_SERVICE_BUNDLE_PATH, `/etc/systemd/system/${snapshotUnitName(cluster)}.service`],
    [SNAPSHOT_TIMER_BUNDLE_PATH, `/etc/systemd/system/${timer}`],
  ];
  const snapshotLines = cluster.snapshots.enabled
    ? ['', '# scheduled snapshots', ...snapshotFiles.map(([from, to]) => `place ${shellCommand([from, to, '0644', '0'])}`)]
    : ['', '# scheduled snapshots are off: remove a timer left from an earlier apply', `systemctl disable --now ${shellCommand([timer])} 2>/dev/null || true`, ...snapshotFiles.map(([, to]) => `retire ${shellCommand([to])}`)];
  const timerLines = cluster.snapshots.enabled
    ? [`systemctl daemon-reload`, `systemctl enable --quiet ${shellCommand([timer])}`, `systemctl restart ${shellCommand([timer])}`, `log ${shellCommand([`snapshot timer ${timer}: ${cluster.snapshots.onCalendar}`])}`]
    : [];
  return [
    '#!/bin/bash',
    `# Provisions etcd member ${member.name}. Generated by etcd-kubeadm-cdktf; Terraform runs it`,
    "# again whenever this member's inputs change. Idempotent: running it twice changes nothing.",
    'set -euo pipefail',
    'umask 077',
    '',
    shellAssign('MEMBER_NAME', member.name),
    shellAssign('ETCD_VERSION', etcd.version),
    shellAssign('ETCD_ARCH', etcd.arch),
    shellAssign('ETCD_URL', etcd.downloadUrl),
    shellAssign('ETCD_SHA256', etcd.sha256),
    shellAssign('BIN_DIR', etcd.binDir),
    shellAssign('DATA_DIR', etcd.dataDir),
    shellAssign('UNIT_NAME', etcd.unitName),
    shellAssign('STATE_DIR', paths.stateDir),
    shellAssign('STAGING_DIR', stagingDir(cluster)),
    BODY,
    'install -d -m 0700 "$STATE_DIR"',
    '# A run killed mid-download leaves its work dir behind: clear those before starting.',
    `find "$STATE_DIR" -maxdepth 1 -type d -name 'download.*' -exec rm -rf -- {} +`,
    'install_etcd',
    '',
    `# kubeadm's PKI tree`,
    shellCommand(['install', '-d', '-m', '0755', paths.pkiDir, `${paths.pkiDir}/etcd`]),
    ...files.map((f) => `place ${shellCommand([f.bundlePath, f.hostPath, f.mode, f.restartsEtcd ? '1' : '0'])}`),
    ...retired.map((item) => `retire ${shellCommand([hostPkiPath(cluster, item)])}`),
    '',
    '# etcd refuses or warns on a data dir that others can read',
    'install -d -m 0700 "$DATA_DIR"',
    'chmod 0700 "$DATA_DIR"',
    '',
    `place ${shellCommand([UNIT_BUNDLE_PATH, unitFile, '0644', '1'])}`,
    `place ${shellCommand([OPS_SCRIPT_BUNDLE_PATH, opsScriptPath(cluster), '0700', '0'])}`,
    `place ${shellCommand([MEMBERSHIP_BUNDLE_PATH, membershipEnvPath(cluster), '0600', '0'])}`,
    ...snapshotLines,
    shellAssign('OPS', opsScriptPath(cluster)),
    START,
    ...timerLines,
  ].join('\n');
}
