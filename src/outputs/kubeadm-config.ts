import type { ResolvedCluster } from '../config/resolved';
import { hostPkiPath, memberUrls } from '../host/layout';

/** `https://ADDRESS:PORT` of every member that stays in the cluster. */
export const clientEndpoints = (cluster: ResolvedCluster): string[] => cluster.members.filter((m) => !m.remove).map((m) => memberUrls(cluster, m).client);

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
