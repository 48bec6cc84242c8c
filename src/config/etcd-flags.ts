/**
 * The etcd flags this tool sets itself (host/units.ts renders them): `server.extraArgs` may not
 * name any of them, and a unit test keeps this list and the rendered unit in step.
 */
export const MANAGED_FLAGS: readonly string[] = [
  'name',
  'data-dir',
  'listen-client-urls',
  'advertise-client-urls',
  'listen-peer-urls',
  'initial-advertise-peer-urls',
  'listen-metrics-urls',
  'cert-file',
  'key-file',
  'trusted-ca-file',
  'client-cert-auth',
  'peer-cert-file',
  'peer-key-file',
  'peer-trusted-ca-file',
  'peer-client-cert-auth',
  'auto-tls',
  'peer-auto-tls',
  'snapshot-count',
  'tls-min-version',
  'cipher-suites',
  'heartbeat-interval',
  'election-timeout',
  'quota-backend-bytes',
  'auto-compaction-mode',
  'auto-compaction-retention',
  'experimental-initial-corrupt-check',
  'feature-gates',
  'experimental-corrupt-check-time',
  'corrupt-check-time',
  'log-level',
  'peer-cert-allowed-hostname',
  // Bootstrap settings: decided on the host at first start (bootstrap.env), never flags.
  'initial-cluster',
  'initial-cluster-state',
  'initial-cluster-token',
  'config-file',
];

/** `--name=value` → `name`. */
export const flagName = (arg: string): string => arg.replace(/^--/, '').split('=')[0];

/** `--name=value` → `value`; `--name` → undefined. */
export const flagValue = (arg: string): string | undefined => (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : undefined);

/** Flags that make etcd mlock its memory (3.5 name, 3.6 name): they need CAP_IPC_LOCK. */
export const MLOCK_FLAGS: readonly string[] = ['experimental-memory-mlock', 'memory-mlock'];

/**
 * The DNS name `--peer-cert-allowed-hostname` requires under `server.peerPlane: peers-only`
 * (host/units.ts): `localhost`, which kubeadm's profiles put in every member certificate (peer and
 * server, pki/profiles.ts) and in no client certificate. etcd then refuses, on the peer port and
 * when it dials a peer, the CA's client certificates for kube-apiserver and the health check, while
 * every member certificate ever issued by this stack passes: turning it on needs no new
 * certificate, so existing clusters switch in one rolling restart, with nothing refused midway.
 * (A name only peer certificates carry would also refuse server certificates, which live on the
 * same hosts as the peer ones, at the price of a renewal whose half-way state splits the peers.)
 */
export const PEER_CERT_NAME = 'localhost';
