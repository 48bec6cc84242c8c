// Makes used lab hosts fresh again for the next first deploy: every etcd* unit stopped, disabled
// and removed, and every file a deploy or the floor placed deleted (binaries, PKI tree, data,
// state and snapshot dirs). Broad globs on purpose: the provisioning script may place more files
// over time (ops script, snapshot timer), and the hosts are throwaway lab containers.
import { Lab, LabHost } from '../test-doubles/lab/lab';

const WIPE = `set -eu
units=$(systemctl list-units --all --plain --no-legend 'etcd*' | awk '{ print $1 }')
for unit in $units; do
  systemctl disable --now "$unit" >/dev/null 2>&1 || true
  systemctl reset-failed "$unit" >/dev/null 2>&1 || true
done
rm -rf /etc/systemd/system/etcd* /etc/systemd/system/*.wants/etcd* /var/lib/etcd* /etc/kubernetes /usr/local/bin/etcd*
systemctl daemon-reload
if pgrep -x etcd >/dev/null || [ -n "$(systemctl list-units --all --plain --no-legend 'etcd*')" ] || compgen -G '/usr/local/bin/etcd*' >/dev/null; then
  echo "etcd is still installed or running" >&2
  exit 1
fi
`;

export async function wipeHosts(lab: Lab, hosts: readonly LabHost[]): Promise<void> {
  const results = await Promise.all(hosts.map((h) => lab.sshExec(h, WIPE, { timeoutMs: 60_000 })));
  const failed = results.map((r, i) => ({ r, h: hosts[i] })).filter(({ r }) => r.code !== 0);
  if (failed.length > 0) {
    throw new Error(`wiping ${failed.map(({ h, r }) => `${h.name} (exit ${r.code}: ${r.stderr.trim()})`).join(', ')} failed`);
  }
}
