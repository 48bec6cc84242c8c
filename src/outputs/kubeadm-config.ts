import { hostPkiPath } from '../files/host-layout';
import { ResolvedCluster } from '../spec/resolved';
import { httpsUrl } from '../systemd/urls';

export const clientEndpoints = (cluster: ResolvedCluster) => cluster.members.filter((m) => !m.remove).map((m) => httpsUrl(m.address, cluster.etcd.clientPort));

/** The `etcd.external` part of a kubeadm ClusterConfiguration for this cluster (kubeadm v1beta4). */
export function kubeadmClusterConfiguration(cluster: ResolvedCluster): string {
  return [
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'kind: ClusterConfiguration',
    'etcd:',
    '  external:',
    '    endpoints:',
    ...clientEndpoints(cluster).map((e) => `      - ${e}`),
    `    caFile: ${hostPkiPath(cluster, 'ca.crt')}`,
    `    certFile: ${hostPkiPath(cluster, 'apiserver-etcd-client.crt')}`,
    `    keyFile: ${hostPkiPath(cluster, 'apiserver-etcd-client.key')}`,
    '',
  ].join('\n');
}
