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
    ...serverFlags(cluster),
  ];
}

/** The `server` settings as flags, in the names the release's minor version expects. */
export function serverFlags(cluster: ResolvedCluster): string[] {
  const s = cluster.server;
  const minor = Number(cluster.etcd.version.split('.')[1]);
  const flags: string[] = [];
  if (minor >= 5) {
    flags.push(`--tls-min-version=${s.tlsMinVersion}`);
    if (s.cipherSuites.length > 0) flags.push(`--cipher-suites=${s.cipherSuites.join(',')}`);
  }
  flags.push(
    `--heartbeat-interval=${s.heartbeatIntervalMs}`,
    `--election-timeout=${s.electionTimeoutMs}`,
    `--quota-backend-bytes=${s.quotaBackendBytes}`,
    `--log-level=${s.logLevel}`,
  );
  if (s.autoCompactionRetention !== '0') {
    flags.push(`--auto-compaction-mode=${s.autoCompactionMode}`, `--auto-compaction-retention=${s.autoCompactionRetention}`);
  }
  if (s.initialCorruptCheck) flags.push(minor >= 6 ? '--feature-gates=InitialCorruptCheck=true' : '--experimental-initial-corrupt-check=true');
  if (!/^0(ms|s|m|h)?$/.test(s.corruptCheckTime)) {
    flags.push(`${minor >= 6 ? '--corrupt-check-time' : '--experimental-corrupt-check-time'}=${s.corruptCheckTime}`);
  }
  return [...flags, ...s.extraArgs];
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
