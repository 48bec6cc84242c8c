/**
 * The systemd units: etcd itself, and the opt-in snapshot service and timer. Data, not scripts:
 * rendered here from the layout and the spec.
 */
import { flagName, flagValue, MLOCK_FLAGS, PEER_CERT_NAME } from '../config/etcd-flags';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { parseMetricsUrl } from '../config/rules';
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
    // server.peerPlane peers-only: only certificates naming PEER_CERT_NAME (member certificates, no
    // client certificate) on the peer port, and from the peers etcd dials. etcd 3.4 has the flag too.
    ...(cluster.server.peerPlane === 'peers-only' ? [`--peer-cert-allowed-hostname=${PEER_CERT_NAME}`] : []),
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
 * systemd's sandboxing of the etcd service (`server.sandbox`), each directive for a reason:
 * - NoNewPrivileges: no setuid binary or file capability can raise what etcd runs with.
 * - CapabilityBoundingSet: none. etcd runs as root but needs no capability: it owns its data dir
 *   and key files (root, 0700/0600), and binds ports from 1024 up. A port below 1024 keeps
 *   CAP_NET_BIND_SERVICE, etcd's mlock flags CAP_IPC_LOCK.
 * - ProtectSystem=strict + ReadWritePaths: the whole file system read-only for etcd except its data
 *   dir (and a --wal-dir from server.extraArgs), so a compromised etcd cannot rewrite binaries,
 *   certificates, units or the host's configuration. Both must exist when etcd starts (the
 *   provisioner makes the data dir).
 * - PrivateTmp: a /tmp and /var/tmp of its own (etcd writes no temporary files elsewhere than its
 *   data dir); ProtectHome: /home, /root and /run/user hidden (semantics.ts refuses etcd's
 *   directories there).
 * - ProtectKernelTunables, ProtectKernelModules, ProtectKernelLogs, ProtectControlGroups: /proc/sys,
 *   /sys, the kernel log and the cgroup tree read-only or hidden; no module loading.
 * - RestrictSUIDSGID: no setuid/setgid files can be made; RestrictRealtime: no realtime scheduling
 *   to starve the host; LockPersonality: no switching of the execution domain.
 */
export function sandboxDirectives(cluster: ResolvedCluster): string[] {
  if (!cluster.server.sandbox) return [];
  const { etcd, server } = cluster;
  const ports = [etcd.clientPort, etcd.peerPort, ...etcd.metricsUrls.map((u) => parseMetricsUrl(u)?.port ?? 0)];
  const capabilities = [
    ...(ports.some((p) => p > 0 && p < 1024) ? ['CAP_NET_BIND_SERVICE'] : []),
    ...(server.extraArgs.some((a) => MLOCK_FLAGS.includes(flagName(a))) ? ['CAP_IPC_LOCK'] : []),
  ];
  const walDirs = server.extraArgs.filter((a) => flagName(a) === 'wal-dir').map((a) => flagValue(a) ?? '');
  return [
    '# Sandbox (server.sandbox; the reason for each directive: README, "Sandbox").',
    'NoNewPrivileges=yes',
    `CapabilityBoundingSet=${capabilities.join(' ')}`,
    'ProtectSystem=strict',
    ...[etcd.dataDir, ...walDirs].map((dir) => `ReadWritePaths=${dir}`),
    'PrivateTmp=yes',
    'ProtectHome=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'RestrictSUIDSGID=yes',
    'RestrictRealtime=yes',
    'LockPersonality=yes',
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
    ...sandboxDirectives(cluster),
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
