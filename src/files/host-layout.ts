import { ResolvedCluster, ResolvedMember } from '../spec/resolved';

/** Which certificate or key a file holds. */
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

/** One file of a member's PKI tree: where it sits in the local bundle and on the host. */
export interface PkiFile {
  readonly item: PkiItem;
  /** Path inside the member's bundle directory, e.g. `pki/etcd/server.crt`. */
  readonly bundlePath: string;
  /** Absolute path on the host, e.g. `/etc/kubernetes/pki/etcd/server.crt`. */
  readonly hostPath: string;
  readonly mode: '0600' | '0644';
  readonly sensitive: boolean;
  /** etcd reads it: a change needs a restart. Client certs for others do not. */
  readonly restartsEtcd: boolean;
}

/** Where each item lives, relative to kubeadm's PKI directory. */
const KUBEADM_LAYOUT: Record<PkiItem, { rel: string; restartsEtcd: boolean }> = {
  'ca.crt': { rel: 'etcd/ca.crt', restartsEtcd: true },
  'ca.key': { rel: 'etcd/ca.key', restartsEtcd: false },
  'server.crt': { rel: 'etcd/server.crt', restartsEtcd: true },
  'server.key': { rel: 'etcd/server.key', restartsEtcd: true },
  'peer.crt': { rel: 'etcd/peer.crt', restartsEtcd: true },
  'peer.key': { rel: 'etcd/peer.key', restartsEtcd: true },
  'healthcheck-client.crt': { rel: 'etcd/healthcheck-client.crt', restartsEtcd: false },
  'healthcheck-client.key': { rel: 'etcd/healthcheck-client.key', restartsEtcd: false },
  'apiserver-etcd-client.crt': { rel: 'apiserver-etcd-client.crt', restartsEtcd: false },
  'apiserver-etcd-client.key': { rel: 'apiserver-etcd-client.key', restartsEtcd: false },
};

export function caKeyGoesTo(cluster: ResolvedCluster, member: ResolvedMember): boolean {
  return cluster.pki.caKeyOnHosts === 'all' || (cluster.pki.caKeyOnHosts === 'first' && member.index === 0);
}

/** The kubeadm PKI tree of one member. Private keys are 0600 and sensitive; certs 0644. */
export function memberPkiFiles(cluster: ResolvedCluster, member: ResolvedMember): PkiFile[] {
  const items = (Object.keys(KUBEADM_LAYOUT) as PkiItem[]).filter((item) => item !== 'ca.key' || caKeyGoesTo(cluster, member));
  return items.map((item) => {
    const { rel, restartsEtcd } = KUBEADM_LAYOUT[item];
    const isKey = item.endsWith('.key');
    return {
      item,
      bundlePath: `pki/${rel}`,
      hostPath: `${cluster.paths.pkiDir}/${rel}`,
      mode: isKey ? '0600' : '0644',
      sensitive: isKey,
      restartsEtcd,
    };
  });
}

/** Host path of a PKI item (whether or not this member gets it). */
export function hostPkiPath(cluster: ResolvedCluster, item: PkiItem): string {
  return `${cluster.paths.pkiDir}/${KUBEADM_LAYOUT[item].rel}`;
}

export const UNIT_BUNDLE_PATH = 'etcd.service';
export const PROVISION_SCRIPT_BUNDLE_PATH = 'provision.sh';
export const OPS_SCRIPT_BUNDLE_PATH = 'etcd-ops.sh';
/** Spec membership: deliberately not a trigger (see member-triggers.ts). */
export const MEMBERSHIP_BUNDLE_PATH = 'membership.env';
export const SNAPSHOT_SERVICE_BUNDLE_PATH = 'etcd-snapshot.service';
export const SNAPSHOT_TIMER_BUNDLE_PATH = 'etcd-snapshot.timer';
