#!/bin/bash
# The floor of a deploy: the work of the Terraform deploy's member provisioners and health check,
# done by hand over plain parallel SSH with nothing but what the work needs. For every host at
# once: stream its pre-generated PKI tree over ssh, download the release tarball from the artefact
# URL, check its sha256, extract, install etcd and etcdctl, place the certificates, write a unit
# with the library's etcd flags, start etcd without blocking. Then poll
# `etcdctl endpoint health --cluster` from here until the cluster is healthy.
# Runs inside the lab's controller network namespace, as root.
#
# Usage: [FLOOR_SERIAL=1] floor.sh KEY URL SHA256 ETCDCTL BUNDLES NAME=ADDRESS...
#   BUNDLES/NAME/pki is kubeadm's PKI tree of member NAME (e.g. a Terraform deploy's hosts/ dir).
#   FLOOR_SERIAL=1: one host after another instead of all at once (what -parallelism=1 allows).
# Prints `[floor NAME] installed`, `[floor NAME] started` and `[floor] healthy after N polls`.
set -euo pipefail

if [ "$#" -lt 6 ]; then
  echo "usage: $0 KEY URL SHA256 ETCDCTL BUNDLES NAME=ADDRESS..." >&2
  exit 2
fi
key=$1 url=$2 sha256=$3 etcdctl=$4 bundles=$5
shift 5

ssh_opts=(-i "$key" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
  -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR)

# Runs on each host as `bash -c SCRIPT floor NAME ADDRESS INITIAL_CLUSTER URL SHA256`, with the
# PKI tree as a tar on stdin. No single quote inside: it travels single-quoted through the remote
# login shell. The unit has the flags of the library's unit (src/systemd/etcd-unit.ts).
# shellcheck disable=SC2016 # expanded on the host, not here
remote='set -euo pipefail
name=$1 address=$2 initial_cluster=$3 url=$4 sha256=$5
pki=/etc/kubernetes/pki
umask 077
work=$(mktemp -d)
trap "rm -rf -- \"$work\"" EXIT
tar -xf - -C "$work"
curl --fail --silent --show-error --output "$work/etcd.tar.gz" "$url"
printf "%s  %s\n" "$sha256" "$work/etcd.tar.gz" | sha256sum --check --quiet -
tar -xzf "$work/etcd.tar.gz" -C "$work" --no-same-owner --strip-components=1 --wildcards "*/etcd" "*/etcdctl"
install -m 0755 "$work/etcd" "$work/etcdctl" /usr/local/bin/
echo "[floor $name] installed"
install -d -m 0755 "$pki" "$pki/etcd"
cp -R --preserve=mode "$work/pki/." "$pki/"
install -d -m 0700 /var/lib/etcd
cat > /etc/systemd/system/etcd.service <<UNIT
[Unit]
Description=etcd member $name (floor)
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
ExecStart=/usr/local/bin/etcd --name=$name --data-dir=/var/lib/etcd --listen-client-urls=https://127.0.0.1:2379,https://$address:2379 --advertise-client-urls=https://$address:2379 --listen-peer-urls=https://$address:2380 --initial-advertise-peer-urls=https://$address:2380 --listen-metrics-urls=http://127.0.0.1:2381 --initial-cluster=$initial_cluster --initial-cluster-state=new --initial-cluster-token=etcd-cluster --cert-file=$pki/etcd/server.crt --key-file=$pki/etcd/server.key --trusted-ca-file=$pki/etcd/ca.crt --client-cert-auth=true --peer-cert-file=$pki/etcd/peer.crt --peer-key-file=$pki/etcd/peer.key --peer-trusted-ca-file=$pki/etcd/ca.crt --peer-client-cert-auth=true --auto-tls=false --peer-auto-tls=false --snapshot-count=10000
Restart=always
RestartSec=10s
TimeoutStartSec=90s
LimitNOFILE=40000

[Install]
WantedBy=multi-user.target
UNIT
chmod 0644 /etc/systemd/system/etcd.service
systemctl daemon-reload
systemctl start --no-block etcd.service
echo "[floor $name] started"'

valid() { [[ $1 =~ $2 ]] || { echo "floor.sh: invalid $3: $1" >&2; exit 2; }; }
valid "$url" '^[A-Za-z0-9:/._~-]+$' URL
valid "$sha256" '^[0-9a-f]{64}$' SHA256

names=() addresses=() initial_cluster=''
for pair in "$@"; do
  name=${pair%%=*} address=${pair#*=}
  valid "$name" '^[a-z0-9][a-z0-9-]*$' 'member name'
  valid "$address" '^[0-9.]+$' 'IPv4 address'
  [ -d "$bundles/$name/pki" ] || { echo "floor.sh: no $bundles/$name/pki" >&2; exit 2; }
  names+=("$name") addresses+=("$address")
  initial_cluster+="${initial_cluster:+,}$name=https://$address:2380"
done

provision() {
  # shellcheck disable=SC2029 # on purpose: the validated values are expanded here
  tar -C "$bundles/${names[$1]}" -cf - pki \
    | ssh "${ssh_opts[@]}" "root@${addresses[$1]}" \
      "bash -c '$remote' floor ${names[$1]} ${addresses[$1]} $initial_cluster $url $sha256"
}
pids=() failed=0
for i in "${!names[@]}"; do
  if [ "${FLOOR_SERIAL:-0}" = 1 ]; then
    provision "$i" || failed=1
  else
    provision "$i" &
    pids+=("$!")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
if [ "$failed" -ne 0 ]; then
  echo "floor.sh: provisioning a host failed" >&2
  exit 1
fi

pki=$bundles/${names[0]}/pki
polls=0
deadline=$((SECONDS + 120))
until "$etcdctl" --endpoints="https://${addresses[0]}:2379" --cacert="$pki/etcd/ca.crt" \
  --cert="$pki/apiserver-etcd-client.crt" --key="$pki/apiserver-etcd-client.key" \
  --dial-timeout=2s --command-timeout=3s endpoint health --cluster >/dev/null 2>&1; do
  polls=$((polls + 1))
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "floor.sh: cluster not healthy after 120 s" >&2
    exit 1
  fi
  sleep 0.2
done
echo "[floor] healthy after $polls polls"
