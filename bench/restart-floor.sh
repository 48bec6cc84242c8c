#!/bin/bash
# One member's restart floor, run on the member itself (over plain SSH, script on stdin): restart
# etcd with systemd, then poll `etcdctl endpoint health --cluster` with the member's own
# healthcheck-client certificate every 0.1 s until the whole cluster is healthy again. Nothing but
# what a restart needs: no lock, no staging, no uploads.
#
# Usage: restart-floor.sh ADDRESS   (the member's client address)
# Prints `restart_ms=N health_ms=N polls=N`: `systemctl restart etcd` (etcd stopped, started and
# ready by its own account), then the time until the cluster answered healthy, and the failed polls.
set -euo pipefail

if [ "$#" -ne 1 ] || ! [[ $1 =~ ^[0-9.]+$ ]]; then
  echo "usage: restart-floor.sh IPV4-ADDRESS" >&2
  exit 2
fi
address=$1
pki=/etc/kubernetes/pki/etcd

healthy() {
  /usr/local/bin/etcdctl --endpoints="https://$address:2379" --cacert="$pki/ca.crt" \
    --cert="$pki/healthcheck-client.crt" --key="$pki/healthcheck-client.key" \
    --dial-timeout=2s --command-timeout=3s endpoint health --cluster >/dev/null 2>&1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

start=$(now_ms)
systemctl restart etcd
restarted=$(now_ms)
polls=0
until healthy; do
  polls=$((polls + 1))
  if [ $(($(now_ms) - start)) -gt 120000 ]; then
    echo "restart-floor.sh: the cluster is not healthy 120 s after restarting etcd on $address" >&2
    exit 1
  fi
  sleep 0.1
done
done_at=$(now_ms)
echo "restart_ms=$((restarted - start)) health_ms=$((done_at - restarted)) polls=$polls"
