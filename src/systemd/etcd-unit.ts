import { hostPkiPath } from '../files/host-layout';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { hostPort, httpsUrl } from './urls';
import { bootstrapEnvPath } from '../shell/ops-script';

/**
 * The etcd flags of one member: mTLS on both planes, loopback client listener and metrics.
 * The bootstrap settings (--initial-cluster, -state, -token) are not flags: the member decides
 * them on the host at first start (new cluster, or joining a running one) and writes them to
 * bootstrap.env, so membership changes never change, or restart, the other members.
 */
export function etcdFlags(cluster: ResolvedCluster, member: ResolvedMember): string[] {
  const { etcd } = cluster;
  const pki = (item: Parameters<typeof hostPkiPath>[1]) => hostPkiPath(cluster, item);
  return [
    `--name=${member.name}`,
    `--data-dir=${etcd.dataDir}`,
    `--listen-client-urls=${httpsUrl('127.0.0.1', etcd.clientPort)},${httpsUrl(member.address, etcd.clientPort)}`,
    `--advertise-client-urls=${httpsUrl(member.address, etcd.clientPort)}`,
    `--listen-peer-urls=${httpsUrl(member.address, etcd.peerPort)}`,
    `--initial-advertise-peer-urls=${httpsUrl(member.address, etcd.peerPort)}`,
    `--listen-metrics-urls=http://${hostPort('127.0.0.1', etcd.metricsPort)}`,
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
 * The systemd unit. `Type=notify` as in etcd's sample unit: READY means "joined a quorum", so the
 * provisioner starts it with `--no-block` (a blocking start on a new cluster deadlocks).
 */
export function renderEtcdUnit(cluster: ResolvedCluster, member: ResolvedMember): string {
  const flags = etcdFlags(cluster, member);
  return [
    '# Managed by etcd-kubeadm-cdktf (Terraform). Local edits are overwritten on the next apply.',
    '[Unit]',
    `Description=etcd member ${member.name} (external etcd for kubeadm)`,
    'Documentation=https://etcd.io/docs/',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=notify',
    `EnvironmentFile=${bootstrapEnvPath(cluster)}`,
    `ExecStart=${cluster.etcd.binDir}/etcd \\`,
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
