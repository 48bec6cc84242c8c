#!/bin/bash
# A destroy-time step over SSH, run by Terraform on the APPLYING machine (local-exec), not on a
# host: a member leaving (its entry deleted, or terraform destroy). Destroy-time provisioners can
# read nothing but their own resource, so Terraform's own SSH client would have no key when it
# lives in the `ssh_private_key` variable (TF_VAR_ssh_private_key, the pipeline way). This script
# runs OpenSSH's ssh instead, with, in order: the spec's key file; the key from
# TF_VAR_ssh_private_key, loaded into an SSH agent of its own (never written to disk) that dies
# with it; or the caller's SSH agent. Everything else comes from the resource's input as
# ETCD_SSH_* variables (none of them secret). Retries the connection until ETCD_SSH_TIMEOUT, as
# Terraform does; the command's own exit status is passed on.
set -euo pipefail

log() { printf '[etcd-deploy %s] %s\n' "${ETCD_SSH_MEMBER:-?}" "$*"; }
die() {
  log "ERROR: $*" >&2
  exit 1
}

[ -n "${ETCD_SSH_NOTE:-}" ] && log "$ETCD_SSH_NOTE"
if [ -z "${ETCD_SSH_COMMAND:-}" ]; then
  log "nothing to run on a host"
  exit 0
fi
: "${ETCD_SSH_HOST:?}" "${ETCD_SSH_USER:?}" "${ETCD_SSH_PORT:?}" "${ETCD_SSH_TIMEOUT:?}"
command -v ssh >/dev/null 2>&1 || die "OpenSSH's ssh is needed where terraform runs (destroy-time steps use it)"

# seconds DURATION: a Go-style duration of Terraform's connection timeout (5m, 30s, 1h30m) in seconds.
seconds() {
  local rest="$1" total=0 n unit
  [[ "$rest" =~ ^([0-9]+[hms])+$ ]] || die "not a duration: $1"
  while [[ "$rest" =~ ^([0-9]+)([hms])(.*)$ ]]; do
    n="${BASH_REMATCH[1]}" unit="${BASH_REMATCH[2]}" rest="${BASH_REMATCH[3]}"
    case "$unit" in h) total=$((total + n * 3600)) ;; m) total=$((total + n * 60)) ;; s) total=$((total + n)) ;; esac
  done
  echo "$total"
}

work="$(mktemp -d)"
agent_pid=''
cleanup() {
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# Host keys: a pinned key is checked under an alias (no [host]:port spelling to get wrong); without
# one, whoever answers is accepted, as Terraform does without host_key (synth warned about it).
known_hosts() { # ALIAS KEY -> ssh options
  if [ -n "$2" ]; then
    printf '%s %s\n' "$1" "$2" >>"$work/known_hosts"
    printf '%s\n' -o "HostKeyAlias=$1" -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$work/known_hosts"
  else
    printf '%s\n' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
  fi
}

identity=()
if [ -n "${ETCD_SSH_KEY_FILE:-}" ]; then
  identity=(-i "${ETCD_SSH_KEY_FILE/#\~\//$HOME/}" -o IdentitiesOnly=yes)
elif [ -n "${TF_VAR_ssh_private_key:-}" ]; then
  command -v ssh-agent >/dev/null 2>&1 || die "ssh-agent is needed to use TF_VAR_ssh_private_key in destroy-time steps"
  eval "$(ssh-agent -s -a "$work/agent.sock")" >/dev/null
  agent_pid="$SSH_AGENT_PID"
  printf '%s\n' "$TF_VAR_ssh_private_key" | ssh-add -q - 2>/dev/null || die "TF_VAR_ssh_private_key is not a private key ssh-add accepts"
elif [ -z "${SSH_AUTH_SOCK:-}" ]; then
  die "no SSH key for $ETCD_SSH_HOST: set ssh.privateKeyFile, or TF_VAR_ssh_private_key, or run an SSH agent (SSH_AUTH_SOCK)"
fi

common=(-o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=15 -o LogLevel=ERROR "${identity[@]}")
mapfile -t host_opts < <(known_hosts etcd-member "${ETCD_SSH_HOST_KEY:-}")
via=()
if [ -n "${ETCD_SSH_BASTION_HOST:-}" ]; then
  bastion_identity=("${identity[@]}")
  if [ -n "${ETCD_SSH_BASTION_KEY_FILE:-}" ]; then bastion_identity=(-i "${ETCD_SSH_BASTION_KEY_FILE/#\~\//$HOME/}" -o IdentitiesOnly=yes); fi
  mapfile -t bastion_opts < <(known_hosts etcd-bastion "${ETCD_SSH_BASTION_HOST_KEY:-}")
  jump=(ssh -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR "${bastion_identity[@]}" "${bastion_opts[@]}"
    -p "${ETCD_SSH_BASTION_PORT:-22}" -l "${ETCD_SSH_BASTION_USER:-$ETCD_SSH_USER}" -W '%h:%p' "$ETCD_SSH_BASTION_HOST")
  via=(-o "ProxyCommand=$(printf '%q ' "${jump[@]}")")
fi

deadline=$(($(date +%s) + $(seconds "$ETCD_SSH_TIMEOUT")))
while :; do
  status=0
  ssh "${common[@]}" "${host_opts[@]}" "${via[@]}" -p "$ETCD_SSH_PORT" -l "$ETCD_SSH_USER" "$ETCD_SSH_HOST" "$ETCD_SSH_COMMAND" </dev/null 2>"$work/stderr" || status=$?
  cat "$work/stderr" >&2
  # 255 is ssh's own failure (no connection, refused key, wrong host key); anything else is the command's.
  if [ "$status" -ne 255 ]; then exit "$status"; fi
  # A wrong host key or a refused key does not heal by waiting.
  if grep -qE 'Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|Permission denied' "$work/stderr"; then
    die "SSH to $ETCD_SSH_USER@$ETCD_SSH_HOST:$ETCD_SSH_PORT refused (host key or login): see above"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    die "cannot reach $ETCD_SSH_USER@$ETCD_SSH_HOST:$ETCD_SSH_PORT over SSH (gave up after $ETCD_SSH_TIMEOUT)"
  fi
  sleep 2
done
