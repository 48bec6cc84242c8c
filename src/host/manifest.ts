/**
 * manifest.tsv: what provision.sh places on the host, in order, one line per step:
 * `ACTION<TAB>STAGED<TAB>DEST<TAB>MODE<TAB>RESTARTS` with ACTION `dir`, `place` or `retire`.
 * RESTARTS is 1 for files etcd reads: changing one makes the member restart.
 */
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { BUNDLE, hostLayout, hostPkiPath, memberPkiFiles, retiredPkiItems } from './layout';

export interface ManifestEntry {
  readonly action: 'dir' | 'place' | 'retire';
  /** Path in the bundle ('-' for dir and retire). */
  readonly staged: string;
  readonly dest: string;
  readonly mode: string;
  readonly restarts: boolean;
}

export function memberManifest(cluster: ResolvedCluster, member: ResolvedMember): ManifestEntry[] {
  const layout = hostLayout(cluster);
  const place = (staged: string, dest: string, mode: string, restarts: boolean): ManifestEntry => ({ action: 'place', staged, dest, mode, restarts });
  const retire = (dest: string): ManifestEntry => ({ action: 'retire', staged: '-', dest, mode: '-', restarts: false });
  const snapshots = cluster.snapshots.enabled
    ? [place(BUNDLE.snapshotService, layout.snapshotService.path, '0644', false), place(BUNDLE.snapshotTimer, layout.snapshotTimer.path, '0644', false)]
    : [retire(layout.snapshotService.path), retire(layout.snapshotTimer.path)];
  return [
    { action: 'dir', staged: '-', dest: layout.pkiDir, mode: '0755', restarts: false },
    { action: 'dir', staged: '-', dest: layout.pkiEtcdDir, mode: '0755', restarts: false },
    ...memberPkiFiles(cluster, member).map((f) => place(f.bundlePath, f.hostPath, f.mode, f.restartsEtcd)),
    ...retiredPkiItems(cluster, member).map((item) => retire(hostPkiPath(cluster, item))),
    place(BUNDLE.unit, layout.etcdUnit.path, '0644', true),
    place(BUNDLE.lib, layout.installed.lib, '0700', false),
    place(BUNDLE.ops, layout.installed.ops, '0700', false),
    place(BUNDLE.health, layout.installed.healthScript, '0700', false),
    place(BUNDLE.params, layout.installed.params, '0600', false),
    place(BUNDLE.membership, layout.installed.membership, '0600', false),
    ...snapshots,
  ];
}

export function renderManifest(entries: readonly ManifestEntry[]): string {
  const header = '# ACTION\tSTAGED\tDEST\tMODE\tRESTARTS (written by etcd-kubeadm-cdktf; read by provision.sh)';
  return [header, ...entries.map((e) => [e.action, e.staged, e.dest, e.mode, e.restarts ? '1' : '0'].join('\t')), ''].join('\n');
}
