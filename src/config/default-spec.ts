import type { ClusterSpec } from './types';

/**
 * The embedded default: the reference cluster of kubeadm's external-etcd procedure. Three members,
 * SSH as root, kubeadm's paths.
 */
export const DEFAULT_CLUSTER_SPEC: ClusterSpec = {
  members: [
    { name: 'e1', address: '10.1.1.93' },
    { name: 'e2', address: '10.1.1.92' },
    { name: 'e3', address: '10.1.1.91' },
  ],
  ssh: { user: 'root' },
};
