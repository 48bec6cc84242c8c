/**
 * manifest.tsv: what provision.sh places on the host, in order, one line per step:
 * `ACTION<TAB>STAGED<TAB>DEST<TAB>MODE<TAB>ETCD` with ACTION `dir`, `place` or `retire`.
 * ETCD says how etcd takes a changed file (layout.ts, EtcdReads): `restart` makes the member
 * restart; `reload` (its server and peer certificates) is checked on etcd's ports instead; `-` for
 * files etcd does not read.
 */
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { BUNDLE, EtcdReads, hostLayout, hostPkiPath, memberPkiFiles, retiredPkiItems } from './layout';

export interface ManifestEntry {
  readonly action: 'dir' | 'place' | 'retire';
  /** Path in the bundle ('-' for dir and retire). */
  readonly staged: string;
  readonly dest: string;
  readonly mode: string;
  readonly etcd: EtcdReads;
}

export function memberManifest(cluster: ResolvedCluster, member: ResolvedMember): ManifestEntry[] {
  const layout = hostLayout(cluster);
  const place = (staged: string, dest: string, mode: string, etcd: EtcdReads = 'no'): ManifestEntry => ({ action: 'place', staged, dest, mode, etcd });
  const retire = (dest: string): ManifestEntry => ({ action: 'retire', staged: '-', dest, mode: '-', etcd: 'no' });
  const snapshots = cluster.snapshots.enabled
    ? [place(BUNDLE.snapshotService, layout.snapshotService.path, '0644'), place(BUNDLE.snapshotTimer, layout.snapshotTimer.path, '0644')]
    : [retire(layout.snapshotService.path), retire(layout.snapshotTimer.path)];
  return [
    { action: 'dir', staged: '-', dest: layout.pkiDir, mode: '0755', etcd: 'no' },
    { action: 'dir', staged: '-', dest: layout.pkiEtcdDir, mode: '0755', etcd: 'no' },
    ...memberPkiFiles(cluster, member).map((f) => place(f.bundlePath, f.hostPath, f.mode, f.etcdReads)),
    ...retiredPkiItems(cluster, member).map((item) => retire(hostPkiPath(cluster, item))),
    place(BUNDLE.unit, layout.etcdUnit.path, '0644', 'restart'),
    place(BUNDLE.lib, layout.installed.lib, '0700'),
    place(BUNDLE.ops, layout.installed.ops, '0700'),
    place(BUNDLE.health, layout.installed.healthScript, '0700'),
    place(BUNDLE.params, layout.installed.params, '0600'),
    place(BUNDLE.membership, layout.installed.membership, '0600'),
    ...snapshots,
  ];
}

export function renderManifest(entries: readonly ManifestEntry[]): string {
  const header = '# ACTION\tSTAGED\tDEST\tMODE\tETCD (written by etcd-kubeadm-cdktf; read by provision.sh)';
  return [header, ...entries.map((e) => [e.action, e.staged, e.dest, e.mode, e.etcd === 'no' ? '-' : e.etcd].join('\t')), ''].join('\n');
}
