import { ResolvedCluster } from '../spec/resolved';
import { opsScriptPath } from '../shell/ops-script';

/** Unit names of the opt-in snapshot timer. */
export const snapshotUnitName = (cluster: ResolvedCluster) => `${cluster.etcd.unitName}-snapshot`;

export function renderSnapshotService(cluster: ResolvedCluster): string {
  return [
    '# Managed by etcd-kubeadm-cdktf (Terraform).',
    '[Unit]',
    `Description=etcd snapshot (${cluster.snapshots.retain} kept in ${cluster.snapshots.dir})`,
    `After=${cluster.etcd.unitName}.service`,
    '',
    '[Service]',
    'Type=oneshot',
    `ExecStart=/bin/bash ${opsScriptPath(cluster)} snapshot-scheduled`,
    '',
  ].join('\n');
}

export function renderSnapshotTimer(cluster: ResolvedCluster): string {
  return [
    '# Managed by etcd-kubeadm-cdktf (Terraform).',
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
