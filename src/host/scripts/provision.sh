#!/bin/bash
# Turns a plain host into an etcd member, or brings a member up to date: install the pinned etcd
# release (verified), place the files of the manifest (PKI tree, unit, operations scripts), then
# start, or restart when a file etcd reads at start changed; a member without data joins its running
# cluster (before the first bootstrap, its join step starts it). Terraform uploads this directory (the
# member's bundle) to a staging dir in its SSH user's private work dir and runs this script as root
# (through sudo for users other than root) whenever the member's inputs change. Renewed server and
# peer certificates need no restart: etcd reads them at every new connection (checked with
# openssl). Every file it places is root-owned; the staging dir goes whatever happens. Idempotent:
# running it twice changes nothing.
# Every per-member value is in params.env.
set -euo pipefail
umask 077

HERE="$(cd "$(dirname "$0")" && pwd)"
STAGING_DIR="$HERE"
# shellcheck source=/dev/null
. "$HERE/params.env"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
LOG_TAG=etcd-deploy

# Private keys must not linger in the staging area, whatever happens.
cleanup() { rm -rf -- "$STAGING_DIR"; }
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || die "must run as root (the stack runs it through sudo -n when ssh.user is not root)"
command -v systemctl >/dev/null 2>&1 || die "systemd is required on the host"

# pids_on PORT: pids of the processes listening on a TCP port (ss, from iproute2).
pids_on() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d = -f 2 | sort -u
}

# cmdline_of PID: the command line of a process, shortened (a process may be gone meanwhile).
cmdline_of() {
  { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | cut -c 1-160 || true
}

# read_stamp: the host's member stamp into STAMP_* (the caller declares them local); fails when
# there is none (any more: a leaving member drops it).
read_stamp() {
  local text
  text="$(cat -- "$MEMBER_STAMP" 2>/dev/null)" || return 1
  # shellcheck source=/dev/null
  . /dev/stdin <<<"$text"
}

# await_handover: a host whose stamp names another member of this cluster is handed over when that
# member leaves in this same apply: renamed (the same host under a new name), or its entry deleted
# with a new entry for its host. Its leave is a step Terraform does not order before this one; it
# archives the data dir and drops the stamp last. Wait for that, up to HEALTH_SECONDS; changes
# nothing (the preflight refuses the host if the stamp stays).
await_handover() {
  local STAMP_CLUSTER_ID='' STAMP_MEMBER_NAME='' STAMP_UNIT='' STAMP_DATA_DIR='' deadline=$((SECONDS + HEALTH_SECONDS))
  read_stamp || return 0
  if [ "$STAMP_CLUSTER_ID" != "$CLUSTER_ID" ] || [ "$STAMP_MEMBER_NAME" = "$MEMBER_NAME" ]; then return 0; fi
  log "host $(hostname) holds member $STAMP_MEMBER_NAME of this cluster: waiting up to ${HEALTH_SECONDS} s for it to leave (its entry left the spec or was renamed)"
  while [ -f "$MEMBER_STAMP" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if [ ! -f "$MEMBER_STAMP" ]; then log "$STAMP_MEMBER_NAME left host $(hostname)"; fi
}

# preflight: before anything on the host changes, refuse a host that is not this member's to take,
# saying what was found: a unit of that name this tool did not write, a foreign etcd or listener on
# etcd's ports, a data dir or stamp of another cluster or member, a renamed unit, a moved data dir.
preflight() {
  local problems=() main pid port fragment adopt=0
  local STAMP_CLUSTER_ID='' STAMP_MEMBER_NAME='' STAMP_UNIT='' STAMP_DATA_DIR=''
  await_handover
  if read_stamp; then
    if [ "$STAMP_CLUSTER_ID" != "$CLUSTER_ID" ]; then
      problems+=("it holds member $STAMP_MEMBER_NAME of another cluster (id $STAMP_CLUSTER_ID, data in $STAMP_DATA_DIR; this cluster is $CLUSTER_ID): remove it from that cluster first")
    elif [ "$STAMP_MEMBER_NAME" != "$MEMBER_NAME" ]; then
      problems+=("it holds member $STAMP_MEMBER_NAME of this cluster, which did not leave within ${HEALTH_SECONDS} s: remove $STAMP_MEMBER_NAME first (remove: true), then add $MEMBER_NAME")
    else
      if [ "$STAMP_UNIT" != "$UNIT" ]; then
        problems+=("etcd.unitName changed from ${STAMP_UNIT%.service} to $UNIT_NAME: renaming the unit of a running member is not supported; set etcd.unitName back to ${STAMP_UNIT%.service}")
      fi
      if [ "$STAMP_DATA_DIR" != "$DATA_DIR" ]; then
        problems+=("etcd.dataDir changed from $STAMP_DATA_DIR to $DATA_DIR: moving a member's data is not supported; set etcd.dataDir back to $STAMP_DATA_DIR")
      fi
    fi
  elif [ -d "$DATA_DIR/member" ]; then
    if [ -f "$UNIT_FILE" ] && grep -qF -- "$UNIT_MARKER" "$UNIT_FILE" && cmp -s "$STAGING_DIR/$STAGED_CA_CERT" "$CA_CERT"; then
      # Written by this tool for this cluster (same etcd CA) before member stamps existed.
      adopt=1
    else
      problems+=("$DATA_DIR holds etcd data that no member of this cluster wrote (another cluster's, or one destroyed earlier): move it away if it is not needed (mv $DATA_DIR $DATA_DIR.old)")
    fi
  fi
  if [ -f "$UNIT_FILE" ] && ! grep -qF -- "$UNIT_MARKER" "$UNIT_FILE"; then
    problems+=("$UNIT_FILE exists and was not written by this tool: choose another etcd.unitName")
  fi
  fragment="$(systemctl show -p FragmentPath --value "$UNIT" 2>/dev/null || true)"
  if [ -n "$fragment" ] && [ "$fragment" != "$UNIT_FILE" ]; then
    problems+=("systemd already has a unit $UNIT, from $fragment: choose another etcd.unitName")
  fi
  main="$(systemctl show -p MainPID --value "$UNIT" 2>/dev/null || true)"
  for pid in $(pgrep -x etcd || true); do
    if [ "$pid" != "$main" ]; then
      problems+=("an etcd this tool does not run is running (pid $pid: $(cmdline_of "$pid"))")
    fi
  done
  if command -v ss >/dev/null 2>&1; then
    for port in "$CLIENT_PORT" "$PEER_PORT" "$METRICS_PORT"; do
      for pid in $(pids_on "$port"); do
        if [ "$pid" != "$main" ]; then
          problems+=("port $port is taken by pid $pid ($(cmdline_of "$pid"))")
        fi
      done
    done
  fi
  if [ "${#problems[@]}" -gt 0 ]; then
    printf '[%s %s] ERROR: refusing to provision %s on host %s, before changing anything:\n' "$LOG_TAG" "$MEMBER_NAME" "$MEMBER_NAME" "$(hostname)" >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
  if [ "$adopt" = 1 ]; then
    log "adopting $DATA_DIR: this cluster's data (same etcd CA), written before member stamps existed"
    install -d -m 0700 "$STATE_DIR"
    write_stamp
  fi
}

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
  if [ "$upgrading" = 1 ]; then echo upgrade >"$RESTART_PENDING"; else echo plain >"$RESTART_PENDING"; fi
}

# etcd (3.2 and later) reads its server and peer certificates again at every new TLS connection: a
# renewed one is placed without a restart, and etcd is then seen serving it (serves_placed_certs),
# or restarted. Owed on disk like a restart, from before the file changes until that check.
RELOAD_PENDING="$STATE_DIR/reload-pending"

# owe_reload_check: record that etcd must be seen serving a renewed certificate, before placing it.
owe_reload_check() { : >"$RELOAD_PENDING"; }

# fingerprint: the sha256 fingerprint of the first certificate on stdin.
fingerprint() { openssl x509 -noout -fingerprint -sha256 2>/dev/null; }

# served_fingerprint URL CERT KEY: that of the certificate etcd presents to a new connection at URL
# (made with CERT and KEY, so that etcd takes it; the certificate comes before etcd checks them).
served_fingerprint() {
  local hostport="${1#*://}"
  hostport="${hostport%%/*}"
  timeout 10 openssl s_client -connect "$hostport" -cert "$2" -key "$3" -CAfile "$CA_CERT" </dev/null 2>/dev/null | fingerprint
}

# serves_placed_certs: etcd presents the server certificate on disk at its local client URL and the
# peer certificate on disk at its peer URL. Says why not.
serves_placed_certs() {
  local url file cert key want got
  if ! command -v openssl >/dev/null 2>&1; then
    log "openssl is not installed: cannot see which certificates etcd serves"
    return 1
  fi
  while read -r url file cert key; do
    want="$(fingerprint <"$file")"
    got="$(served_fingerprint "$url" "$cert" "$key")"
    if [ -z "$want" ] || [ "$got" != "$want" ]; then
      log "etcd does not serve $file at $url yet (${got:-no certificate seen})"
      return 1
    fi
  done <<EOF
$LOCAL_ENDPOINT $SERVER_CERT $CLIENT_CERT $CLIENT_KEY
$PEER_URL $PEER_CERT $PEER_CERT $PEER_KEY
EOF
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

# Download (or take the tarball Terraform uploaded from the applying machine, ETCD_LOCAL_TARBALL),
# verify, extract, then swap binaries in with rename(2). Skipped when this exact release (version,
# arch, checksum) is already installed.
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
  local from="$ETCD_URL" fix="Set etcd.sha256 in the cluster spec to the release's published sha256 (SHA256SUMS), or fix the file the mirror serves"
  if [ -n "${ETCD_LOCAL_TARBALL:-}" ]; then
    from="the tarball uploaded from the applying machine (etcd.localTarball)"
    fix="The file changed on its way or on the host: apply again"
    log "installing from $from, not downloading"
    if [ ! -f "$STAGING_DIR/$ETCD_LOCAL_TARBALL" ]; then
      rm -rf -- "$work"
      die "$from is missing from the upload (installed binaries left untouched)"
    fi
    mv -- "$STAGING_DIR/$ETCD_LOCAL_TARBALL" "$work/etcd.tar.gz"
  else
    log "downloading $ETCD_URL"
    if ! download "$ETCD_URL" "$work/etcd.tar.gz"; then
      rm -rf -- "$work"
      die "download failed: $ETCD_URL (installed binaries left untouched). Check etcd.downloadUrl in the cluster spec and that this host can reach it (mirror up, proxy, firewall, DNS), or upload the release from the applying machine (etcd.localTarball), then apply again"
    fi
  fi
  actual="$(sha256sum "$work/etcd.tar.gz" | cut -d ' ' -f 1)"
  if [ "$actual" != "$ETCD_SHA256" ]; then
    rm -rf -- "$work"
    die "checksum mismatch for $from: expected $ETCD_SHA256, got $actual (installed binaries left untouched). $fix, then apply again"
  fi
  tar -xzf "$work/etcd.tar.gz" -C "$work" --no-same-owner
  src="$(find "$work" -mindepth 2 -maxdepth 2 -type f -name etcd -print -quit)"
  src="$(dirname "$src")"
  if [ ! -f "$src/etcd" ] || [ ! -f "$src/etcdctl" ]; then
    rm -rf -- "$work"
    die "the tarball from $from holds no etcd and etcdctl binaries"
  fi
  install -d -m 0755 "$BIN_DIR"
  owe_restart
  # Moved, not copied: the extracted files are root's already (--no-same-owner), and on the same file
  # system a move costs no copy of some 60 MB on the way to the restart.
  local bins=()
  for bin in etcd etcdctl etcdutl; do
    if [ -f "$src/$bin" ]; then bins+=("$src/$bin"); fi
  done
  chmod 0755 -- "${bins[@]}"
  for bin in "${bins[@]}"; do
    mv -f -- "$bin" "$BIN_DIR/.${bin##*/}.new"
  done
  for bin in etcd etcdctl etcdutl; do
    if [ -f "$BIN_DIR/.$bin.new" ]; then mv -f "$BIN_DIR/.$bin.new" "$BIN_DIR/$bin"; fi
  done
  printf '%s\n' "$wanted" >"$stamp.new"
  mv -f "$stamp.new" "$stamp"
  rm -rf -- "$work"
  log "installed etcd $ETCD_VERSION into $BIN_DIR"
}

# note_unit_change PATH: a file in systemd's unit dir changes, so systemd must re-read its units.
units_changed=0
note_unit_change() {
  if [ "$(dirname "$1")" = "$(dirname "$UNIT_FILE")" ]; then units_changed=1; fi
}

# place STAGED_PATH DEST MODE ETCD: install a file atomically, only when it differs. ETCD: how etcd
# takes the change (restart, reload, - when it does not read the file).
place() {
  local src="$STAGING_DIR/$1" dest="$2" mode="$3" reads="$4"
  [ -f "$src" ] || die "missing from the upload: $1"
  if in_place "$src" "$dest" "$mode"; then
    return 0
  fi
  case "$reads" in
    restart) owe_restart ;;
    reload) owe_reload_check ;;
    -) ;;
    *) die "unknown manifest ETCD value: $reads" ;;
  esac
  note_unit_change "$dest"
  install -m "$mode" -o root -g root "$src" "$dest.new"
  mv -f "$dest.new" "$dest"
  log "updated $dest"
}

# retire DEST: remove a file this tool no longer places (e.g. the CA key after an opt-out).
retire() {
  if [ -e "$1" ]; then
    note_unit_change "$1"
    rm -f -- "$1"
    log "removed $1"
  fi
}

# look_in_place FILE: which of the manifest's files are in place already (the staged content, the
# mode wanted), for all of them at once: one sha256sum and one stat, where a look per file would
# start two processes each (a run that changes nothing places none). Sets IN_PLACE[DEST]; LOOKED=1
# when the answer is complete (a path the output cannot carry one per line leaves it 0: every file
# is then compared on its own).
declare -A IN_PLACE=()
LOOKED=0
look_in_place() {
  local action staged dest mode reads srcs=() dests=() modes=() sums=() actual=() i n
  while IFS=$'\t' read -r action staged dest mode reads; do
    if [ "$action" = place ] && [ -f "$dest" ] && [ -f "$STAGING_DIR/$staged" ]; then
      srcs+=("$STAGING_DIR/$staged") dests+=("$dest") modes+=("$mode")
    fi
  done <"$1"
  n="${#dests[@]}"
  if [ "$n" -gt 0 ]; then
    mapfile -t sums < <(sha256sum -- "${srcs[@]}" "${dests[@]}" | cut -d ' ' -f 1)
    mapfile -t actual < <(stat -c '%04a' -- "${dests[@]}")
    [ "${#sums[@]}" -eq $((2 * n)) ] && [ "${#actual[@]}" -eq "$n" ] || return 0
    for ((i = 0; i < n; i++)); do
      if [ "${sums[i]}" = "${sums[n + i]}" ] && [ "${actual[i]}" = "${modes[i]}" ]; then IN_PLACE["${dests[i]}"]=1; fi
    done
  fi
  LOOKED=1
}

# in_place SRC DEST MODE: DEST holds SRC's content with MODE.
in_place() {
  if [ "$LOOKED" = 1 ]; then
    [ -n "${IN_PLACE["$2"]:-}" ]
  else
    [ -f "$2" ] && cmp -s "$1" "$2" && [ "$(stat -c '%04a' "$2")" = "$3" ]
  fi
}

# apply_manifest FILE: every line "ACTION<TAB>STAGED<TAB>DEST<TAB>MODE<TAB>ETCD", in order:
# dir (create DEST with MODE), place, retire.
apply_manifest() {
  local action staged dest mode reads
  look_in_place "$1"
  while IFS=$'\t' read -r action staged dest mode reads; do
    case "$action" in
      dir) install -d -m "$mode" "$dest" ;;
      place) place "$staged" "$dest" "$mode" "$reads" ;;
      retire) retire "$dest" ;;
      '' | '#'*) ;;
      *) die "unknown manifest action: $action" ;;
    esac
  done <"$1"
}

preflight
install -d -m 0700 "$STATE_DIR"
# A run killed mid-download leaves its work dir behind: clear those before starting.
find "$STATE_DIR" -maxdepth 1 -type d -name 'download.*' -exec rm -rf -- {} +
install_etcd

if [ "$SNAPSHOTS_ENABLED" != 1 ]; then
  # Scheduled snapshots are off: stop a timer left from an earlier apply (the manifest then
  # retires its unit files).
  systemctl disable --now --no-reload "$SNAPSHOT_TIMER" 2>/dev/null || true
fi
# kubeadm's PKI tree, the unit, the operations scripts and their parameters
apply_manifest "$STAGING_DIR/manifest.tsv"

# etcd refuses or warns on a data dir that others can read
install -d -m 0700 "$DATA_DIR"
chmod 0700 "$DATA_DIR"

# systemd re-reads unit files only when told (a reload takes a good part of a second): when one
# changed in this run, or when its copy of the unit is stale or missing (a run stopped between
# placing the unit and this reload). Every enable below then skips its own implicit reload.
if [ "$units_changed" = 1 ] || [ "$(systemctl show -p NeedDaemonReload --value "$UNIT" 2>/dev/null || true)" != no ] ||
  [ "$(systemctl show -p LoadState --value "$UNIT" 2>/dev/null || true)" != loaded ]; then
  systemctl daemon-reload
fi
# Renewed server or peer certificates of a running member: etcd takes them at its next connections,
# which is checked on its ports; it restarts (one at a time, below) only when it does not serve them.
reloaded=0
if [ -f "$RELOAD_PENDING" ] && [ "$restart_needed" = 0 ] && [ -d "$DATA_DIR/member" ] && systemctl is-active --quiet "$UNIT"; then
  if serves_placed_certs; then
    log "etcd serves its renewed certificates (it reads them at every new connection): no restart"
    reloaded=1
  else
    log "restarting etcd to take its renewed certificates"
    owe_restart
  fi
fi
if [ ! -d "$DATA_DIR/member" ]; then
  # Never started here, or its data is gone (a host provisioned again after it lost it): it joins
  # its cluster now if that runs; otherwise (the first deploy) its join step starts it, as a founder
  # the cluster's one bootstrap prepared.
  bash "$OPS_SCRIPT" join-running
elif [ "$restart_needed" = 1 ]; then
  # One member at a time under the cluster lock, each after the cluster is healthy again.
  systemctl enable --quiet --no-reload "$UNIT"
  if [ "$upgrading" = 1 ]; then bash "$OPS_SCRIPT" restart-upgrade; else bash "$OPS_SCRIPT" restart; fi
elif ! systemctl is-active --quiet "$UNIT"; then
  systemctl enable --quiet --no-reload "$UNIT"
  systemctl reset-failed "$UNIT" 2>/dev/null || true
  log "starting $UNIT_NAME"
  systemctl start --no-block "$UNIT"
else
  systemctl enable --quiet --no-reload "$UNIT"
  if [ "$reloaded" = 0 ]; then log "nothing changed: $UNIT_NAME left running"; fi
fi
rm -f -- "$RESTART_PENDING" "$RELOAD_PENDING"

if [ "$SNAPSHOTS_ENABLED" = 1 ]; then
  systemctl enable --quiet --no-reload "$SNAPSHOT_TIMER"
  systemctl restart "$SNAPSHOT_TIMER"
  log "snapshot timer $SNAPSHOT_TIMER: $SNAPSHOT_ON_CALENDAR"
fi
