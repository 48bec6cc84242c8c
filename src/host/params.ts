/**
 * params.env: every per-member value the host scripts read, as quoted shell assignments. The
 * scripts themselves are static (the same for every member and every cluster).
 */
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { parseMetricsUrl } from '../config/rules';
import { shellAssign } from '../private/shell-quote';
import { terraformLiteral } from '../private/terraform-literal';
import { BUNDLE, bundlePkiPath, hostLayout, hostPkiPath, memberUrls, UNIT_MARKER } from './layout';

/**
 * The 3.5 patch etcd's upgrade guide asks to run before a 3.5 → 3.6 upgrade: 3.5.32 since the
 * guide's update of August 2026 (3.5.26 before; 3.5.32 adds `--v2-deprecation=write-only-skip-check`
 * and a WAL-aware `etcdutl check v2store`).
 */
export const UPGRADE_FLOOR_3_5_PATCH = 32;

/**
 * Values known only to Terraform (the cluster identity's id): written into params.env as
 * Terraform expressions. They must be shell-safe once resolved (a UUID, a validated token).
 */
export interface ClusterIdentityRefs {
  /** Expression of the cluster's id, e.g. `${terraform_data.etcd_cluster.id}`. */
  readonly clusterId: string;
  /** The spec's token, or an expression of the default one. */
  readonly clusterToken: string;
}

/** A parameter: a literal, or a Terraform expression (written unquoted, resolved at apply). */
export type ParamValue = string | number | { readonly expression: string };

/** The cluster lock (an etcd lock key) under which membership changes and restarts happen. */
export const LOCK_NAME = 'etcd-deploy/membership';

/** Name → value of every parameter, in the order they are written. */
export function memberParams(cluster: ResolvedCluster, member: ResolvedMember, identity: ClusterIdentityRefs): Array<[string, ParamValue]> {
  const { etcd } = cluster;
  const layout = hostLayout(cluster);
  const urls = memberUrls(cluster, member);
  const token: ParamValue = etcd.clusterToken ?? { expression: identity.clusterToken };
  return [
    ['CLUSTER_ID', { expression: identity.clusterId }],
    ['CLUSTER_TOKEN', token],
    ['MEMBER_NAME', member.name],
    ['ETCD_VERSION', etcd.version],
    ['ETCD_ARCH', etcd.arch],
    ['ETCD_URL', etcd.downloadUrl],
    ['ETCD_SHA256', etcd.sha256],
    // Only when the release is uploaded from the applying machine (the default stack's file stays as it was).
    ...(etcd.localTarball ? [['ETCD_LOCAL_TARBALL', BUNDLE.localTarball] as [string, ParamValue]] : []),
    ['UPGRADE_FLOOR_3_5_PATCH', UPGRADE_FLOOR_3_5_PATCH],
    ['BIN_DIR', layout.binDir],
    ['DATA_DIR', layout.dataDir],
    ['UNIT_NAME', layout.etcdUnit.base],
    ['UNIT', layout.etcdUnit.name],
    ['UNIT_FILE', layout.etcdUnit.path],
    ['UNIT_MARKER', UNIT_MARKER],
    ['MEMBER_STAMP', layout.memberStamp],
    ['STATE_DIR', layout.stateDir],
    ['OPS_SCRIPT', layout.installed.ops],
    ['BOOTSTRAP_ENV', layout.bootstrapEnv],
    ['MEMBERSHIP_ENV', layout.installed.membership],
    ['PEER_URL', urls.peer],
    ['CLIENT_URL', urls.client],
    ['LOCAL_ENDPOINT', urls.local],
    ['CLIENT_PORT', etcd.clientPort],
    ['PEER_PORT', etcd.peerPort],
    // The preflight's port check (provision.sh) takes one metrics port: the first URL's.
    ['METRICS_PORT', parseMetricsUrl(etcd.metricsUrls[0])?.port ?? etcd.metricsPort],
    ['PKI_DIR', layout.pkiDir],
    ['CA_CERT', hostPkiPath(cluster, 'ca.crt')],
    ['STAGED_CA_CERT', bundlePkiPath('ca.crt')],
    ['CLIENT_CERT', hostPkiPath(cluster, 'healthcheck-client.crt')],
    ['CLIENT_KEY', hostPkiPath(cluster, 'healthcheck-client.key')],
    // What etcd serves, for the check that it reads its renewed certificates (provision.sh).
    ['SERVER_CERT', hostPkiPath(cluster, 'server.crt')],
    ['PEER_CERT', hostPkiPath(cluster, 'peer.crt')],
    ['PEER_KEY', hostPkiPath(cluster, 'peer.key')],
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

/**
 * params.env of one member, as the content of a Terraform `local_file`: literal text escaped for
 * Terraform, the identity's expressions left for Terraform to fill in at apply.
 */
export function renderParams(cluster: ResolvedCluster, member: ResolvedMember, identity: ClusterIdentityRefs): string {
  const line = ([name, value]: [string, ParamValue]): string =>
    typeof value === 'object' ? `${name}=${value.expression}` : terraformLiteral(shellAssign(name, value));
  return [
    terraformLiteral(`# Parameters of etcd member ${member.name}, written by etcd-kubeadm-cdktf (Terraform); read by the host scripts.`),
    '# shellcheck disable=SC2034 # sourced',
    ...memberParams(cluster, member, identity).map(line),
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
  const staying = cluster.members.filter((m) => !m.remove);
  const expected = staying
    .map((m) => m.name)
    .sort()
    .join(' ');
  return [
    '# What the health gate of this apply waits for, written by etcd-kubeadm-cdktf.',
    '# shellcheck disable=SC2034 # sourced by health.sh',
    shellAssign('EXPECTED_MEMBERS', expected),
    shellAssign('EXPECTED_ENDPOINTS', staying.map((m) => memberUrls(cluster, m).client).join(',')),
    shellAssign('DEADLINE_SECONDS', cluster.health.timeoutSeconds),
    shellAssign('INTERVAL_SECONDS', cluster.health.intervalSeconds),
    '',
  ].join('\n');
}
