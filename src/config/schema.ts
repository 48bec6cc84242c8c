/**
 * The shape of the cluster spec as data, with every default: the one source from which the
 * validator checks structure, the resolver applies defaults, the JSON Schema is generated and the
 * TypeScript types (types.ts) are generated. Change the spec here, then `npm run schema`.
 */
import { DEFAULT_ETCD_VERSION, pinnedSha256, upstreamTarballUrl } from './releases';
import { RULES, StringRule } from './rules';
import type { CpuArch } from './types';

/** A default computed from values resolved before it (the parent object, then its parents). */
export interface DerivedDefault<T> {
  readonly derive: (scope: ResolveScope) => T | undefined;
  /** How the default reads in documentation: "the member's `address`". */
  readonly text: string;
  /** The derivation may find nothing (the field then stays unset after resolution). */
  readonly mayBeUnset?: boolean;
}

/** What a derived default sees: the object being resolved so far, and the objects around it. */
export interface ResolveScope {
  readonly self: Readonly<Record<string, unknown>>;
  readonly parent?: ResolveScope;
}

interface Common {
  readonly description: string;
  /** For an optional field without a default: what leaving it out means (its `@default` in docs). */
  readonly unset?: string;
}
export interface StringField extends Common {
  readonly kind: 'string';
  readonly rule?: StringRule;
  /** Allowed values; `enumType` names their TypeScript union. */
  readonly enum?: readonly string[];
  readonly enumType?: string;
  readonly default?: string | DerivedDefault<string>;
  /** Applied to the resolved value, given or default (e.g. placeholders replaced). */
  readonly normalize?: (value: string, scope: ResolveScope) => string;
}
export interface IntegerField extends Common {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}
export interface BooleanField extends Common {
  readonly kind: 'boolean';
  readonly default?: boolean;
}
export interface ArrayField extends Common {
  readonly kind: 'array';
  readonly items: Field;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** An absent optional array resolves to []. */
  readonly defaultEmpty?: boolean;
  /** An absent optional array resolves to this (computed from values resolved before it). */
  readonly default?: DerivedDefault<unknown[]>;
}
export interface ObjectField extends Common {
  readonly kind: 'object';
  /** TypeScript interface name of the spec, e.g. `SshSpec`; the resolved one is `Resolved…`. */
  readonly typeName: string;
  readonly fields: Readonly<Record<string, Field>>;
  readonly required?: readonly string[];
  /**
   * An absent optional object resolves to its fields' defaults (true), or stays absent (false,
   * e.g. the bastion).
   */
  readonly resolveWhenAbsent: boolean;
  /** How the object's own default reads in docs, when it is optional. */
  readonly defaultText?: string;
}
/** Objects told apart by their `type` key. */
export interface UnionField extends Common {
  readonly kind: 'union';
  readonly typeName: string;
  readonly variants: Readonly<Record<string, ObjectField>>;
  readonly default: { readonly type: string };
  readonly defaultText: string;
}
export type Field = StringField | IntegerField | BooleanField | ArrayField | ObjectField | UnionField;

const str = (description: string, rule?: StringRule, dflt?: StringField['default']): StringField => ({ kind: 'string', description, rule, default: dflt });
const int = (description: string, min: number, max: number, dflt?: number): IntegerField => ({ kind: 'integer', description, min, max, default: dflt });
const port = (description: string, dflt?: number) => int(description, 1, 65535, dflt);
const bool = (description: string, dflt: boolean): BooleanField => ({ kind: 'boolean', description, default: dflt });
const oneOf = (description: string, enumType: string, values: readonly string[], dflt: string): StringField => ({
  kind: 'string',
  description,
  enum: values,
  enumType,
  default: dflt,
});
const obj = (
  typeName: string,
  description: string,
  fields: Record<string, Field>,
  opts: { required?: string[]; resolveWhenAbsent?: boolean; defaultText?: string } = {},
): ObjectField => ({
  kind: 'object',
  typeName,
  description,
  fields,
  required: opts.required ?? [],
  resolveWhenAbsent: opts.resolveWhenAbsent ?? true,
  defaultText: opts.defaultText,
});
/** An absolute path as the checks see it: repeated slashes collapsed, no trailing slash. */
export const normalizePath = (path: string): string => path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
const dir = (description: string, dflt: string): StringField => ({ ...str(description, RULES.absolutePath, dflt), normalize: normalizePath });
const derived = <T>(text: string, derive: (scope: ResolveScope) => T | undefined, mayBeUnset = false): DerivedDefault<T> => ({ text, derive, mayBeUnset });

/** A value resolved earlier in an enclosing object: `up(scope, 1).user` is the parent's `user`. */
function up(scope: ResolveScope, levels: number): Readonly<Record<string, unknown>> {
  let s: ResolveScope | undefined = scope;
  for (let i = 0; i < levels; i++) s = s?.parent;
  return s?.self ?? {};
}

export const LOCAL_BACKEND_PATH = '../../../terraform.etcd.tfstate';

const member = obj(
  'MemberSpec',
  'One etcd member: an existing Linux host reachable over SSH.',
  {
    name: str("Member name: a DNS-1123 label, unique in the cluster; etcd --name and the certificates' CN.", RULES.dnsLabel),
    address: str('IPv4 or IPv6 address etcd listens on and advertises (peer and client URLs), unique.', RULES.ipAddress),
    sshHost: str(
      'Address or DNS name Terraform connects to over SSH, when it differs from `address` (NAT, a management network).',
      RULES.hostOrIp,
      derived("the member's `address`", (s) => s.self.address as string),
    ),
    hostKey: {
      ...str(
        "The host's SSH public host key (`ecdsa-sha2-nistp256 AAAA…`). When set, Terraform verifies the host before sending it anything. Terraform's SSH client asks for ECDSA first: pin the ECDSA key of a host that has one.",
        RULES.sshHostKey,
      ),
      unset: "none: the host key is not verified (Terraform's default)",
    },
    extraSans: {
      kind: 'array',
      description: "Extra subject alternative names (DNS names or IP addresses) for this member's server and peer certificates, e.g. a load-balancer name.",
      items: str('A DNS name or IP address.', RULES.hostOrIp),
      maxItems: 32,
      defaultEmpty: true,
    },
    remove: bool(
      'Take this member out of the running cluster on the next apply: `etcdctl member remove` (only while the others stay a majority), stop and disable etcd, archive its data dir. Delete the entry after that apply.',
      false,
    ),
  },
  { required: ['name', 'address'] },
);

const bastion = obj(
  'BastionSpec',
  'An SSH jump host.',
  {
    host: str('Bastion host name or address.', RULES.hostOrIp),
    user: str(
      'Bastion SSH user.',
      RULES.posixUser,
      derived('`ssh.user`', (s) => up(s, 1).user as string),
    ),
    port: port('Bastion SSH port.', 22),
    privateKeyFile: str(
      'Bastion private key file.',
      RULES.keyFile,
      derived('`ssh.privateKeyFile` (or the `ssh_private_key` variable / SSH agent)', (s) => up(s, 1).privateKeyFile as string | undefined, true),
    ),
    hostKey: { ...str('Bastion SSH public host key.', RULES.sshHostKey), unset: 'none: not verified' },
  },
  { required: ['host'], resolveWhenAbsent: false, defaultText: 'none' },
);

const ssh = obj(
  'SshSpec',
  'How Terraform reaches the hosts.',
  {
    user: str('SSH user (needs root rights: it installs into system paths).', RULES.posixUser, 'root'),
    port: port('SSH port.', 22),
    privateKeyFile: {
      ...str(
        'Private key file on the machine that runs `terraform apply` (`~/` is expanded there). When unset, the stack declares a sensitive variable `ssh_private_key`; when that is unset too, Terraform uses the SSH agent.',
        RULES.keyFile,
      ),
      unset: 'unset: the `ssh_private_key` variable, else the SSH agent',
    },
    bastion,
    timeout: str('How long Terraform retries the SSH connection, e.g. "5m".', RULES.duration, '5m'),
  },
  { defaultText: 'root on port 22, key from the `ssh_private_key` variable or the SSH agent' },
);

const etcd = obj(
  'EtcdSpec',
  'The etcd release and its settings.',
  {
    version: str(
      'etcd release, without "v".',
      RULES.semver,
      derived(`the current 3.6 release, ${DEFAULT_ETCD_VERSION} (releases.ts)`, () => DEFAULT_ETCD_VERSION),
    ),
    arch: oneOf('Host CPU architecture of the release tarball.', 'CpuArch', ['amd64', 'arm64'], 'amd64'),
    downloadUrl: {
      ...str(
        'Tarball URL (a mirror). Must serve `etcd-vVERSION-linux-ARCH.tar.gz`-shaped archives; `{version}` and `{arch}` are replaced. Requires `sha256`.',
        RULES.downloadUrl,
        derived('the GitHub releases URL of `version` and `arch`', (s) => upstreamTarballUrl(s.self.version as string, s.self.arch as CpuArch)),
      ),
      normalize: (url, s) => url.replace(/\{version\}/g, s.self.version as string).replace(/\{arch\}/g, s.self.arch as string),
    },
    sha256: str(
      'sha256 of the tarball. Required for any version without a pinned checksum and for any `downloadUrl`.',
      RULES.sha256,
      // Unset only for an unpinned release, which validation refuses: a resolved spec always has it.
      derived('the pinned checksum of `version`/`arch`', (s) => pinnedSha256(s.self.version as string, s.self.arch as CpuArch)),
    ),
    localTarball: {
      ...str(
        'Air-gapped hosts: a release tarball on the machine that runs `terraform apply` (`~/` expanded there), uploaded to each host instead of each host downloading `downloadUrl`. Its sha256 must equal `sha256` (the pinned one for a pinned version): checked by the plan before anything runs, and again on each host before installing.',
        RULES.keyFile,
      ),
      unset: 'unset: each host downloads `downloadUrl` itself',
    },
    clusterToken: {
      ...str('`--initial-cluster-token`: what a new cluster is bootstrapped with.', RULES.token),
      unset: "unique per cluster: the id of the cluster's identity resource, made at its first apply and kept in Terraform state",
    },
    clientPort: port('Client port.', 2379),
    peerPort: port('Peer port.', 2380),
    metricsPort: port('Port of the default metrics URL, `http://127.0.0.1:PORT` (loopback only). With `metricsUrls` given, the ports are in the URLs.', 2381),
    metricsUrls: {
      kind: 'array',
      description:
        "`--listen-metrics-urls`: where etcd serves /metrics, /health, /livez and /readyz, each `http(s)://HOST:PORT` with HOST an IP address (IPv6 in brackets), `0.0.0.0`/`[::]` for every interface, or `{address}` for the member's own address. `https` takes the server certificate and, like the client port, a client certificate from the etcd CA. A plain-HTTP URL off loopback answers anyone who can reach it: synth warns.",
      items: str('A metrics listen URL.', RULES.metricsUrl),
      minItems: 1,
      maxItems: 8,
      default: derived('`["http://127.0.0.1:<metricsPort>"]`: loopback only, as kubeadm', (s) => [`http://127.0.0.1:${s.self.metricsPort as number}`]),
    },
    dataDir: dir('Data directory (mode 0700).', '/var/lib/etcd'),
    binDir: dir('Where etcd, etcdctl and etcdutl are installed.', '/usr/local/bin'),
    unitName: str('systemd unit name, without ".service". It must not name a unit this tool did not write.', RULES.unitName, 'etcd'),
  },
  { defaultText: "the pinned etcd release with kubeadm's ports and paths" },
);

/** Cipher suites etcd accepts by Go's names: the ECDHE AEAD suites of TLS 1.2 (no CBC, no RSA key exchange). */
export const CIPHER_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
] as const;

const server = obj(
  'ServerSpec',
  "etcd's own settings: TLS, timing, storage, integrity checks, logging, and other flags.",
  {
    tlsMinVersion: oneOf(
      "`--tls-min-version` on the client and peer listeners (etcd 3.5+). TLS1.2 is etcd's default; TLS1.3 needs clients that speak it (kube-apiserver does).",
      'TlsVersion',
      ['TLS1.2', 'TLS1.3'],
      'TLS1.2',
    ),
    cipherSuites: {
      kind: 'array',
      description:
        "`--cipher-suites` for TLS 1.2 (Go's names; ECDHE AEAD suites only). Empty: Go's defaults. Must stay empty with TLS1.3, whose suites are fixed.",
      items: oneOf('A cipher suite.', 'CipherSuite', CIPHER_SUITES, CIPHER_SUITES[0]),
      maxItems: CIPHER_SUITES.length,
      defaultEmpty: true,
    },
    heartbeatIntervalMs: int("`--heartbeat-interval` in ms (etcd's default; about the round-trip time between members).", 10, 10000, 100),
    electionTimeoutMs: int("`--election-timeout` in ms (etcd's default); at least 5 × the heartbeat interval.", 50, 50000, 1000),
    quotaBackendBytes: int(
      "`--quota-backend-bytes`: the database size limit (2 GiB, etcd's default; etcd suggests at most 8 GiB).",
      1048576,
      8589934592,
      2147483648,
    ),
    autoCompactionMode: oneOf('`--auto-compaction-mode`.', 'AutoCompactionMode', ['periodic', 'revision'], 'periodic'),
    autoCompactionRetention: str(
      '`--auto-compaction-retention`: "0" leaves compaction to kube-apiserver (kubeadm\'s setup); a duration ("1h", "30m") in periodic mode, a revision count in revision mode.',
      RULES.compactionRetention,
      '0',
    ),
    initialCorruptCheck: bool(
      'Check the data for corruption before serving (3.5: `--experimental-initial-corrupt-check`; 3.6+: `--feature-gates=InitialCorruptCheck=true`).',
      false,
    ),
    corruptCheckTime: str(
      'Period of the cluster-wide corruption check, e.g. "5m"; "0s" is off (3.5: `--experimental-corrupt-check-time`; 3.6+: `--corrupt-check-time`).',
      RULES.goDuration,
      '0s',
    ),
    logLevel: oneOf('`--log-level`.', 'EtcdLogLevel', ['debug', 'info', 'warn', 'error'], 'info'),
    peerPlane: oneOf(
      "Who may connect to the peer port. `peers-only`: only this cluster's peer certificates (`--peer-cert-allowed-hostname` with the name only peer certificates carry), so the CA's client certificates (kube-apiserver's, the health check's) are refused there. `any-ca-cert`: any certificate the etcd CA signed (etcd's default). Peer certificates carry the name either way: switching restarts the members but renews nothing.",
      'PeerPlane',
      ['peers-only', 'any-ca-cert'],
      'peers-only',
    ),
    sandbox: bool(
      "Confine etcd with systemd's sandboxing: no new privileges, an empty capability bounding set (ports below 1024 keep CAP_NET_BIND_SERVICE), the file system read-only except the data dir, private /tmp, no /home, kernel tunables, modules, logs and cgroups protected. Turn it off only on hosts whose systemd cannot set up a mount namespace for a service (some container runtimes).",
      true,
    ),
    extraArgs: {
      kind: 'array',
      description: 'Other etcd flags, each `--name=value` (or `--name`), appended to the unit. Flags this tool manages are refused.',
      items: str('One flag.', RULES.etcdFlag),
      maxItems: 64,
      defaultEmpty: true,
    },
  },
  { defaultText: "etcd's defaults, TLS 1.2 at least" },
);

const pki = obj(
  'PkiSpec',
  'Certificates.',
  {
    keyAlgorithm: oneOf(
      "Key algorithm of the CA and every leaf (RSA-2048 is kubeadm's default).",
      'KeyAlgorithm',
      ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'],
      'RSA-2048',
    ),
    caValidityHours: int('CA validity in hours (10 years, kubeadm).', 24, 876000, 87600),
    certValidityHours: int('Leaf certificate validity in hours (1 year, kubeadm).', 1, 876000, 8760),
    caEarlyRenewalHours: int('A routine apply inside this window before expiry replaces the CA.', 0, 876000, 8760),
    certEarlyRenewalHours: int('A routine apply inside this window before expiry replaces a leaf certificate (60 days).', 0, 876000, 1440),
    caKeyOnHosts: oneOf(
      'Where the CA private key is copied: no host (it lives only in Terraform state), the first member not marked remove (kubeadm), or all.',
      'CaKeyPlacement',
      ['none', 'first', 'all'],
      'none',
    ),
    localDir: str('Local directory, relative to the synthesized stack, that holds one PKI tree per member.', RULES.relativeDir, 'hosts'),
  },
  { defaultText: 'RSA 2048, kubeadm validity, CA key off the hosts' },
);

const paths = obj(
  'PathsSpec',
  'Paths on the hosts.',
  {
    pkiDir: dir("kubeadm's PKI directory on the hosts.", '/etc/kubernetes/pki'),
    stateDir: dir("The provisioner's working directory on the hosts (staging, install stamp, operations scripts).", '/var/lib/etcd-deploy'),
  },
  { defaultText: "kubeadm's paths" },
);

const health = obj(
  'HealthSpec',
  'The final health check.',
  {
    timeoutSeconds: int('How long the final health check retries before failing the apply.', 10, 86400, 300),
    intervalSeconds: int('Pause between attempts.', 1, 60, 1),
  },
  { defaultText: '300 s deadline, 1 s interval' },
);

const snapshots = obj(
  'SnapshotSpec',
  'Scheduled snapshots (a systemd timer on every member).',
  {
    enabled: bool('Install a systemd timer that saves `etcdctl snapshot save` on every member.', false),
    onCalendar: str('systemd OnCalendar expression.', RULES.onCalendar, 'hourly'),
    retain: int('Scheduled snapshots kept per member.', 1, 10000, 24),
    dir: dir('Snapshot directory on the hosts.', '/var/lib/etcd-snapshots'),
  },
  { defaultText: 'no scheduled snapshots' },
);

const typeField = (value: string): StringField => ({ kind: 'string', description: 'Backend type.', enum: [value] });
const backendVariants: Record<string, ObjectField> = {
  local: obj(
    'LocalBackendSpec',
    'Local state file.',
    {
      type: typeField('local'),
      path: str("State file, relative to the synthesized stack directory (the project root under cdktf's layout).", RULES.relativeFile, LOCAL_BACKEND_PATH),
    },
    { required: ['type'] },
  ),
  cloud: obj(
    'CloudBackendSpec',
    'Terraform Cloud / Enterprise (cloud block).',
    {
      type: typeField('cloud'),
      organization: str('Organization.', RULES.tfName),
      workspace: str('Workspace name.', RULES.tfName),
      hostname: str('Hostname.', RULES.hostOrIp, 'app.terraform.io'),
    },
    { required: ['type', 'organization', 'workspace'] },
  ),
  remote: obj(
    'RemoteBackendSpec',
    'The remote backend (Terraform Cloud / Enterprise).',
    {
      type: typeField('remote'),
      organization: str('Organization.', RULES.tfName),
      workspace: str('Workspace name.', RULES.tfName),
      hostname: str('Hostname.', RULES.hostOrIp, 'app.terraform.io'),
    },
    { required: ['type', 'organization', 'workspace'] },
  ),
  s3: obj(
    'S3BackendSpec',
    'S3 or an S3-compatible store.',
    {
      type: typeField('s3'),
      bucket: str('Bucket.', RULES.s3Bucket),
      key: str('Object key of the state.', RULES.relativeFile),
      region: str('Region.', RULES.awsRegion),
      endpoint: { ...str('S3-compatible endpoint URL (MinIO, Ceph).', RULES.httpsUrl), unset: 'AWS' },
      encrypt: bool('Server-side encryption.', true),
      useLockfile: bool('Lock with a lock file next to the state (S3 native locking, Terraform ≥ 1.10).', true),
    },
    { required: ['type', 'bucket', 'key', 'region'] },
  ),
  pg: obj(
    'PgBackendSpec',
    "PostgreSQL (Terraform's `pg` backend, with locking). The connection string carries credentials, so it is never in the spec: Terraform reads it from `PG_CONN_STR` (or libpq's `PGHOST`, `PGUSER`, `PGPASSWORD`… variables) where it runs.",
    {
      type: typeField('pg'),
      schemaName: str('Database schema holding the state (one per stack).', RULES.tfName, 'terraform_remote_state'),
    },
    { required: ['type'] },
  ),
};

/** Fields of the spec file that are not construct props (the stack's). */
export const STACK_ONLY_FIELDS = ['$schema', 'backend'] as const;

export const CLUSTER_SPEC_FIELD: ObjectField = obj(
  'ClusterSpec',
  'A TLS-secured external etcd cluster for kubeadm, deployed onto existing Linux hosts.',
  {
    $schema: { ...str('JSON Schema reference for editors (`schema/etcd-cluster.schema.json`); ignored.'), unset: 'none' },
    members: { kind: 'array', description: 'The etcd members, at least one; an odd count is recommended.', items: member, minItems: 1, maxItems: 99 },
    ssh,
    etcd,
    server,
    pki,
    paths,
    health,
    snapshots,
    backend: {
      kind: 'union',
      typeName: 'BackendSpec',
      description: 'Terraform backend.',
      variants: backendVariants,
      default: { type: 'local' },
      defaultText: 'local state',
    },
  },
  { required: ['members'] },
);
