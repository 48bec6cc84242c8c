/**
 * Where everything lives on a host, in one place: kubeadm's PKI tree, the state dir and its
 * files, the installed scripts, the units, the binaries, and each member's URLs. Whatever renders
 * a path, a unit name or a URL takes it from here.
 */
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { MEMBER_ADDRESS_PLACEHOLDER } from '../config/rules';
import { httpsUrl, urlHost } from '../private/urls';

/** Which certificate or key a PKI file holds. */
export type PkiItem =
  | 'ca.crt'
  | 'ca.key'
  | 'server.crt'
  | 'server.key'
  | 'peer.crt'
  | 'peer.key'
  | 'healthcheck-client.crt'
  | 'healthcheck-client.key'
  | 'apiserver-etcd-client.crt'
  | 'apiserver-etcd-client.key';

/** One file of a member's PKI tree: where it sits in the bundle and on the host. */
export interface PkiFile {
  readonly item: PkiItem;
  /** Path inside the member's bundle directory, e.g. `pki/etcd/server.crt`. */
  readonly bundlePath: string;
  /** Absolute path on the host, e.g. `/etc/kubernetes/pki/etcd/server.crt`. */
  readonly hostPath: string;
  readonly mode: '0600' | '0644';
  readonly sensitive: boolean;
  /** How etcd takes a new version of it (client certificates for others: etcd does not read them). */
  readonly etcdReads: EtcdReads;
}

/**
 * How etcd takes a changed file: `restart`, read at start only (the CA, the keys, the unit, the
 * binary); `reload`, read again at every new TLS connection (its server and peer certificates,
 * etcd 3.2 and later), so a new one is placed without a restart and then checked on the ports;
 * `no`, etcd does not read it.
 */
export type EtcdReads = 'restart' | 'reload' | 'no';

/** kubeadm's layout, relative to its PKI directory. */
// A new key restarts etcd: a connection made between placing a key and its certificate would pair
// them wrongly, so both are read once, after both are in place.
const KUBEADM_LAYOUT: Record<PkiItem, { rel: string; etcdReads: EtcdReads }> = {
  'ca.crt': { rel: 'etcd/ca.crt', etcdReads: 'restart' },
  'ca.key': { rel: 'etcd/ca.key', etcdReads: 'no' },
  'server.crt': { rel: 'etcd/server.crt', etcdReads: 'reload' },
  'server.key': { rel: 'etcd/server.key', etcdReads: 'restart' },
  'peer.crt': { rel: 'etcd/peer.crt', etcdReads: 'reload' },
  'peer.key': { rel: 'etcd/peer.key', etcdReads: 'restart' },
  'healthcheck-client.crt': { rel: 'etcd/healthcheck-client.crt', etcdReads: 'no' },
  'healthcheck-client.key': { rel: 'etcd/healthcheck-client.key', etcdReads: 'no' },
  'apiserver-etcd-client.crt': { rel: 'apiserver-etcd-client.crt', etcdReads: 'no' },
  'apiserver-etcd-client.key': { rel: 'apiserver-etcd-client.key', etcdReads: 'no' },
};

/** Names of the files in a member's bundle (the staging dir on the host), besides `pki/`. */
export const BUNDLE = {
  unit: 'etcd.service',
  snapshotService: 'etcd-snapshot.service',
  snapshotTimer: 'etcd-snapshot.timer',
  params: 'params.env',
  manifest: 'manifest.tsv',
  /** The spec's member list: deliberately not a trigger (see provisioning/member-triggers.ts). */
  membership: 'membership.env',
  lib: 'lib.sh',
  provision: 'provision.sh',
  ops: 'etcd-ops.sh',
  health: 'health.sh',
  /** etcd.localTarball, uploaded beside the bundle (not a file of it: the bundle is generated). */
  localTarball: 'etcd-release.tar.gz',
} as const;

/** The health gate: its script is installed with every member's bundle; its params come per run. */
export const HEALTH_FILES = { script: 'health.sh', params: 'health.env' } as const;

/**
 * Where Terraform's SSH user works on a host, relative to its home directory (Terraform's SSH
 * sessions start there; root's is /root). Never /tmp: Terraform makes each uploaded inline script
 * mode 0777 (hashicorp/terraform's communicator), so it must sit in a directory nobody else can
 * enter, and the bundle it uploads holds private keys (scp gives every file 0644).
 * - `dir`: 0700, made at first contact, owned by the SSH user.
 * - `firstScript`: the script of that first contact, in the home directory itself (it makes `dir`;
 *   `./` because Terraform runs the path as a command).
 * - `script`: every later inline script (Terraform's `script_path`).
 * - `staging`: the member's bundle, removed by provision.sh whatever happens.
 * - `healthParams`: this run's health.env, read by the installed health.sh.
 */
export const REMOTE_WORK = {
  dir: '.etcd-kubeadm-cdktf',
  firstScript: './.etcd-kubeadm-cdktf-first-%RAND%.sh',
  script: '.etcd-kubeadm-cdktf/terraform-%RAND%.sh',
  staging: '.etcd-kubeadm-cdktf/staging',
  healthParams: '.etcd-kubeadm-cdktf/health.env',
} as const;

export interface UnitFile {
  /** Unit name with its suffix, e.g. `etcd.service`. */
  readonly name: string;
  /** `/etc/systemd/system/<name>`. */
  readonly path: string;
}

export interface HostLayout {
  readonly pkiDir: string;
  readonly pkiEtcdDir: string;
  readonly dataDir: string;
  readonly binDir: string;
  readonly binaries: { readonly etcd: string; readonly etcdctl: string; readonly etcdutl: string };
  readonly stateDir: string;
  readonly installed: {
    readonly lib: string;
    readonly ops: string;
    readonly params: string;
    readonly membership: string;
    readonly healthScript: string;
    readonly healthParams: string;
  };
  /** Written at a member's first start: --initial-cluster, -state, -token. */
  readonly bootstrapEnv: string;
  /** Which cluster, member, unit and data dir the host holds; checked before every provisioning. */
  readonly memberStamp: string;
  /** Pre-upgrade snapshots. */
  readonly upgradeSnapshotDir: string;
  readonly scheduledSnapshotDir: string;
  readonly etcdUnit: UnitFile & { readonly base: string };
  readonly snapshotService: UnitFile;
  readonly snapshotTimer: UnitFile;
}

const unitFile = (name: string): UnitFile => ({ name, path: `/etc/systemd/system/${name}` });

/** The on-host layout of a cluster (the same on every member). */
export function hostLayout(cluster: ResolvedCluster): HostLayout {
  const { etcd, paths } = cluster;
  const state = paths.stateDir;
  const snapshotBase = `${etcd.unitName}-snapshot`;
  return {
    pkiDir: paths.pkiDir,
    pkiEtcdDir: `${paths.pkiDir}/etcd`,
    dataDir: etcd.dataDir,
    binDir: etcd.binDir,
    binaries: { etcd: `${etcd.binDir}/etcd`, etcdctl: `${etcd.binDir}/etcdctl`, etcdutl: `${etcd.binDir}/etcdutl` },
    stateDir: state,
    installed: {
      lib: `${state}/${BUNDLE.lib}`,
      ops: `${state}/${BUNDLE.ops}`,
      params: `${state}/${BUNDLE.params}`,
      membership: `${state}/${BUNDLE.membership}`,
      healthScript: `${state}/${HEALTH_FILES.script}`,
      healthParams: `${state}/${HEALTH_FILES.params}`,
    },
    bootstrapEnv: `${state}/bootstrap.env`,
    memberStamp: `${state}/member.env`,
    upgradeSnapshotDir: `${state}/snapshots`,
    scheduledSnapshotDir: cluster.snapshots.dir,
    etcdUnit: { ...unitFile(`${etcd.unitName}.service`), base: etcd.unitName },
    snapshotService: unitFile(`${snapshotBase}.service`),
    snapshotTimer: unitFile(`${snapshotBase}.timer`),
  };
}

export function caKeyGoesTo(cluster: ResolvedCluster, member: ResolvedMember): boolean {
  return cluster.pki.caKeyOnHosts === 'all' || (cluster.pki.caKeyOnHosts === 'first' && member === cluster.members.find((m) => !m.remove));
}

/** Host path of a PKI item (whether or not a member gets it). */
export function hostPkiPath(cluster: ResolvedCluster, item: PkiItem): string {
  return `${cluster.paths.pkiDir}/${KUBEADM_LAYOUT[item].rel}`;
}

/** Path of a PKI item in a member's bundle (the staging dir on the host). */
export function bundlePkiPath(item: PkiItem): string {
  return `pki/${KUBEADM_LAYOUT[item].rel}`;
}

/**
 * First line of every unit file this tool writes: the preflight refuses to overwrite a unit file
 * without it.
 */
export const UNIT_MARKER = '# Managed by etcd-kubeadm-cdktf (Terraform).';

/** The kubeadm PKI tree of one member. Private keys are 0600 and sensitive; certs 0644. */
export function memberPkiFiles(cluster: ResolvedCluster, member: ResolvedMember): PkiFile[] {
  const items = (Object.keys(KUBEADM_LAYOUT) as PkiItem[]).filter((item) => item !== 'ca.key' || caKeyGoesTo(cluster, member));
  return items.map((item) => {
    const isKey = item.endsWith('.key');
    return {
      item,
      bundlePath: bundlePkiPath(item),
      hostPath: hostPkiPath(cluster, item),
      mode: isKey ? '0600' : '0644',
      sensitive: isKey,
      etcdReads: KUBEADM_LAYOUT[item].etcdReads,
    };
  });
}

/** PKI items a member does not get, whose files must go if an earlier apply placed them. */
export function retiredPkiItems(cluster: ResolvedCluster, member: ResolvedMember): PkiItem[] {
  return caKeyGoesTo(cluster, member) ? [] : ['ca.key'];
}

/** A member's URLs: what it advertises and listens on, and how the scripts reach it locally. */
export function memberUrls(cluster: ResolvedCluster, member: ResolvedMember): { client: string; peer: string; local: string; metrics: string } {
  const { etcd } = cluster;
  return {
    client: httpsUrl(member.address, etcd.clientPort),
    peer: httpsUrl(member.address, etcd.peerPort),
    local: httpsUrl('127.0.0.1', etcd.clientPort),
    // --listen-metrics-urls: the spec's URLs (etcd.metricsUrls), {address} as this member's.
    metrics: etcd.metricsUrls.map((url) => url.replace(MEMBER_ADDRESS_PLACEHOLDER, urlHost(member.address))).join(','),
  };
}
