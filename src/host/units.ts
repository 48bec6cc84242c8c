/**
 * The systemd units: etcd itself, and the opt-in snapshot service and timer. Data, not scripts:
 * rendered here from the layout and the spec.
 */
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout, hostPkiPath, memberUrls, PkiItem, UNIT_MARKER } from './layout';

/**
 * The etcd flags of one member: mTLS on both planes, loopback client listener and metrics.
 * The bootstrap settings (--initial-cluster, -state, -token) are not flags: the member decides
 * them on the host at first start (new cluster, or joining a running one) and writes them to
 * bootstrap.env, so membership changes never change, or restart, the other members.
 */
export function etcdFlags(cluster: ResolvedCluster, member: ResolvedMember): string[] {
  const pki = (item: PkiItem) => hostPkiPath(cluster, item);
  const urls = memberUrls(cluster, member);
  return [
    `--name=${member.name}`,
    `--data-dir=${cluster.etcd.dataDir}`,
    `--listen-client-urls=${urls.local},${urls.client}`,
    `--advertise-client-urls=${urls.client}`,
    `--listen-peer-urls=${urls.peer}`,
    `--initial-advertise-peer-urls=${urls.peer}`,
    `--listen-metrics-urls=${urls.metrics}`,
    `--cert-file=${pki('server.crt')}`,
    `--key-file=${pki('server.key')}`,
    `--trusted-ca-file=${pki('ca.crt')}`,
    '--client-cert-auth=true',
    `--peer-cert-file=${pki('peer.crt')}`,
    `--peer-key-file=${pki('peer.key')}`,
    `--peer-trusted-ca-file=${pki('ca.crt')}`,
    '--peer-client-cert-auth=true',
    '--auto-tls=false',
    '--peer-auto-tls=false',
    '--snapshot-count=10000',
  ];
}

/**
 * The etcd unit. `Type=notify` as in etcd's sample unit: READY means "joined a quorum", so the
 * provisioner starts it with `--no-block` (a blocking start on a new cluster deadlocks).
 */
export function renderEtcdUnit(cluster: ResolvedCluster, member: ResolvedMember): string {
  const flags = etcdFlags(cluster, member);
  const layout = hostLayout(cluster);
  return [
    `${UNIT_MARKER} Local edits are overwritten on the next apply.`,
    '[Unit]',
    `Description=etcd member ${member.name} (external etcd for kubeadm)`,
    'Documentation=https://etcd.io/docs/',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=notify',
    `EnvironmentFile=${layout.bootstrapEnv}`,
    `ExecStart=${layout.binaries.etcd} \\`,
    ...flags.map((f, i) => `  ${f}${i < flags.length - 1 ? ' \\' : ''}`),
    'Restart=always',
    'RestartSec=10s',
    'TimeoutStartSec=90s',
    'LimitNOFILE=40000',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export function renderSnapshotService(cluster: ResolvedCluster): string {
  const layout = hostLayout(cluster);
  return [
    UNIT_MARKER,
    '[Unit]',
    `Description=etcd snapshot (${cluster.snapshots.retain} kept in ${cluster.snapshots.dir})`,
    `After=${layout.etcdUnit.name}`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=/bin/bash ${layout.installed.ops} snapshot-scheduled`,
    '',
  ].join('\n');
}

export function renderSnapshotTimer(cluster: ResolvedCluster): string {
  return [
    UNIT_MARKER,
    '[Unit]',
    'Description=Scheduled etcd snapshots',
    '',
    '[Timer]',
    `OnCalendar=${cluster.snapshots.onCalendar}`,
    'AccuracySec=1s',
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}
