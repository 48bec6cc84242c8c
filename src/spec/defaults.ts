import { ClusterSpec } from './types';

/** Defaults shared by validation, resolution, docs and the JSON Schema. */
export const DEFAULTS = {
  ssh: { user: 'root', port: 22, timeout: '5m' },
  etcd: {
    arch: 'amd64' as const,
    clusterToken: 'etcd-cluster',
    clientPort: 2379,
    peerPort: 2380,
    metricsPort: 2381,
    dataDir: '/var/lib/etcd',
    binDir: '/usr/local/bin',
    unitName: 'etcd',
  },
  pki: {
    keyAlgorithm: 'RSA-2048' as const,
    caValidityHours: 87600,
    certValidityHours: 8760,
    caEarlyRenewalHours: 8760,
    certEarlyRenewalHours: 1440,
    caKeyOnHosts: 'none' as const,
    localDir: 'hosts',
  },
  paths: { pkiDir: '/etc/kubernetes/pki', stateDir: '/var/lib/etcd-deploy' },
  health: { timeoutSeconds: 300, intervalSeconds: 2 },
  snapshots: { enabled: false, onCalendar: 'hourly', retain: 24, dir: '/var/lib/etcd-snapshots' },
  localBackendPath: '../../../terraform.etcd.tfstate',
};

/**
 * The embedded default: the reference cluster of kubeadm's external-etcd procedure.
 * Three members, SSH as root, kubeadm's paths.
 */
export const DEFAULT_CLUSTER_SPEC: ClusterSpec = {
  members: [
    { name: 'e1', address: '10.1.1.93' },
    { name: 'e2', address: '10.1.1.92' },
    { name: 'e3', address: '10.1.1.91' },
  ],
  ssh: { user: 'root' },
};
