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
  // Bootstrap settings: decided on the host at first start (bootstrap.env), never flags.
  'initial-cluster',
  'initial-cluster-state',
  'initial-cluster-token',
  'config-file',
];

/** `--name=value` → `name`. */
export const flagName = (arg: string): string => arg.replace(/^--/, '').split('=')[0];
