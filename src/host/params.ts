/**
 * params.env: every per-member value the host scripts read, as quoted shell assignments. The
 * scripts themselves are static (the same for every member and every cluster).
 */
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { shellAssign } from '../private/shell-quote';
import { hostLayout, hostPkiPath, memberUrls } from './layout';

/** The 3.5 patch etcd's upgrade guide asks to run before a 3.5 → 3.6 upgrade. */
export const UPGRADE_FLOOR_3_5_PATCH = 26;

/** The cluster lock (an etcd lock key) under which membership changes and restarts happen. */
export const LOCK_NAME = 'etcd-deploy/membership';

/** Name → value of every parameter, in the order they are written. */
export function memberParams(cluster: ResolvedCluster, member: ResolvedMember): Array<[string, string | number]> {
  const { etcd } = cluster;
  const layout = hostLayout(cluster);
  const urls = memberUrls(cluster, member);
  return [
    ['MEMBER_NAME', member.name],
    ['ETCD_VERSION', etcd.version],
    ['ETCD_ARCH', etcd.arch],
    ['ETCD_URL', etcd.downloadUrl],
    ['ETCD_SHA256', etcd.sha256],
    ['UPGRADE_FLOOR_3_5_PATCH', UPGRADE_FLOOR_3_5_PATCH],
    ['BIN_DIR', layout.binDir],
    ['DATA_DIR', layout.dataDir],
    ['UNIT_NAME', layout.etcdUnit.base],
    ['UNIT', layout.etcdUnit.name],
    ['STATE_DIR', layout.stateDir],
    ['STAGING_DIR', layout.stagingDir],
    ['OPS_SCRIPT', layout.installed.ops],
    ['BOOTSTRAP_ENV', layout.bootstrapEnv],
    ['MEMBERSHIP_ENV', layout.installed.membership],
    ['PEER_URL', urls.peer],
    ['CLIENT_URL', urls.client],
    ['LOCAL_ENDPOINT', urls.local],
    ['CLUSTER_TOKEN', etcd.clusterToken],
    ['PKI_DIR', layout.pkiDir],
    ['CA_CERT', hostPkiPath(cluster, 'ca.crt')],
    ['CLIENT_CERT', hostPkiPath(cluster, 'healthcheck-client.crt')],
    ['CLIENT_KEY', hostPkiPath(cluster, 'healthcheck-client.key')],
    ['SNAPSHOT_DIR', layout.upgradeSnapshotDir],
    ['SCHEDULED_SNAPSHOT_DIR', layout.scheduledSnapshotDir],
    ['SNAPSHOT_RETAIN', cluster.snapshots.retain],
    ['SNAPSHOTS_ENABLED', cluster.snapshots.enabled ? 1 : 0],
    ['SNAPSHOT_TIMER', layout.snapshotTimer.name],
    ['SNAPSHOT_ON_CALENDAR', cluster.snapshots.onCalendar],
    ['HEALTH_SECONDS', cluster.health.timeoutSeconds],
    ['LOCK_NAME', LOCK_NAME],
  ];
}

/** params.env of one member. */
export function renderParams(cluster: ResolvedCluster, member: ResolvedMember): string {
  return [
    `# Parameters of etcd member ${member.name}, written by etcd-kubeadm-cdktf (Terraform); read by the host scripts.`,
    '# shellcheck disable=SC2034 # sourced',
    ...memberParams(cluster, member).map(([name, value]) => shellAssign(name, value)),
    '',
  ].join('\n');
}

/** membership.env: the spec's members, for a first start and for cluster operations. */
export function renderMembership(cluster: ResolvedCluster): string {
  const active = cluster.members.filter((m) => !m.remove);
  return [
    '# Spec membership, managed by etcd-kubeadm-cdktf. Read at first start and for cluster operations.',
    '# shellcheck disable=SC2034 # sourced by etcd-ops.sh',
    shellAssign('SPEC_INITIAL_CLUSTER', active.map((m) => `${m.name}=${memberUrls(cluster, m).peer}`).join(',')),
    shellAssign('CLUSTER_ENDPOINTS', active.map((m) => memberUrls(cluster, m).client).join(',')),
    '',
  ].join('\n');
}

/** health.env: what one run of the health gate waits for. */
export function renderHealthParams(cluster: ResolvedCluster): string {
  const expected = cluster.members
    .filter((m) => !m.remove)
    .map((m) => m.name)
    .sort()
    .join(' ');
  return [
    '# What the health gate of this apply waits for, written by etcd-kubeadm-cdktf.',
    '# shellcheck disable=SC2034 # sourced by health.sh',
    shellAssign('EXPECTED_MEMBERS', expected),
    shellAssign('DEADLINE_SECONDS', cluster.health.timeoutSeconds),
    shellAssign('INTERVAL_SECONDS', cluster.health.intervalSeconds),
    '',
  ].join('\n');
}
