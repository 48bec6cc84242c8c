import { RULES, StringRule } from '../validation/rules';
import { DEFAULTS } from './defaults';

/**
 * The shape of the cluster spec as data: the validator walks it (types, unknown keys, ranges,
 * rules) and the JSON Schema is generated from it, so the two cannot drift apart.
 */
export type Field = StringField | IntegerField | BooleanField | ArrayField | ObjectField | UnionField;

interface Common {
  readonly description: string;
}
export interface StringField extends Common {
  readonly kind: 'string';
  readonly rule?: StringRule;
  readonly enum?: readonly string[];
  readonly default?: string;
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
}
export interface ObjectField extends Common {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, Field>>;
  readonly required?: readonly string[];
}
/** Objects told apart by their `type` key. */
export interface UnionField extends Common {
  readonly kind: 'union';
  readonly variants: Readonly<Record<string, ObjectField>>;
}

const str = (description: string, rule?: StringRule, dflt?: string): StringField => ({ kind: 'string', description, rule, default: dflt });
const int = (description: string, min: number, max: number, dflt?: number): IntegerField => ({ kind: 'integer', description, min, max, default: dflt });
const port = (description: string, dflt?: number) => int(description, 1, 65535, dflt);
const obj = (description: string, fields: Record<string, Field>, required: string[] = []): ObjectField => ({ kind: 'object', description, fields, required });

const member = obj(
  'One etcd member: an existing Linux host reachable over SSH.',
  {
    name: str('Member name (etcd --name and certificate CN).', RULES.dnsLabel),
    address: str('IP address etcd listens on and advertises.', RULES.ipAddress),
    sshHost: str('Address or DNS name Terraform connects to over SSH. Default: address.', RULES.hostOrIp),
    hostKey: str('SSH public host key; when set, Terraform verifies the host.', RULES.sshHostKey),
    extraSans: { kind: 'array', description: 'Extra SANs (DNS names or IPs) for the server and peer certificates.', items: str('A DNS name or IP address.', RULES.hostOrIp), maxItems: 32 },
    remove: { kind: 'boolean', description: 'Remove this member from the running cluster on the next apply (member remove, stop, archive data); delete the entry afterwards.', default: false },
  },
  ['name', 'address'],
);

const bastion = obj(
  'Optional SSH jump host.',
  {
    host: str('Bastion host name or address.', RULES.hostOrIp),
    user: str('Bastion SSH user. Default: ssh.user.', RULES.posixUser),
    port: port('Bastion SSH port.', 22),
    privateKeyFile: str('Bastion private key file. Default: ssh.privateKeyFile.', RULES.keyFile),
    hostKey: str('Bastion SSH public host key.', RULES.sshHostKey),
  },
  ['host'],
);

const backendVariants: Record<string, ObjectField> = {
  local: obj('Local state file.', {
    type: { kind: 'string', description: 'Backend type.', enum: ['local'] },
    path: str('State file, relative to the synthesized stack directory.', RULES.relativeFile, DEFAULTS.localBackendPath),
  }, ['type']),
  cloud: obj('Terraform Cloud / Enterprise (cloud block).', {
    type: { kind: 'string', description: 'Backend type.', enum: ['cloud'] },
    organization: str('Organization.', RULES.tfName),
    workspace: str('Workspace name.', RULES.tfName),
    hostname: str('Hostname.', RULES.hostOrIp, 'app.terraform.io'),
  }, ['type', 'organization', 'workspace']),
  remote: obj('The remote backend (Terraform Cloud / Enterprise).', {
    type: { kind: 'string', description: 'Backend type.', enum: ['remote'] },
    organization: str('Organization.', RULES.tfName),
    workspace: str('Workspace name.', RULES.tfName),
    hostname: str('Hostname.', RULES.hostOrIp, 'app.terraform.io'),
  }, ['type', 'organization', 'workspace']),
  s3: obj('S3 or an S3-compatible store.', {
    type: { kind: 'string', description: 'Backend type.', enum: ['s3'] },
    bucket: str('Bucket.', RULES.s3Bucket),
    key: str('Object key of the state.', RULES.relativeFile),
    region: str('Region.', RULES.awsRegion),
    endpoint: str('S3-compatible endpoint URL.', RULES.httpsUrl),
    encrypt: { kind: 'boolean', description: 'Server-side encryption.', default: true },
    useLockfile: { kind: 'boolean', description: 'S3 native state locking.', default: true },
  }, ['type', 'bucket', 'key', 'region']),
};

export const CLUSTER_SPEC_FIELD: ObjectField = obj(
  'A TLS-secured external etcd cluster for kubeadm, deployed onto existing Linux hosts.',
  {
    $schema: str('JSON Schema reference for editors; ignored.'),
    members: { kind: 'array', description: 'The etcd members (an odd count is recommended).', items: member, minItems: 1, maxItems: 99 },
    ssh: obj('How Terraform reaches the hosts.', {
      user: str('SSH user (needs root rights: it installs into system paths).', RULES.posixUser, DEFAULTS.ssh.user),
      port: port('SSH port.', DEFAULTS.ssh.port),
      privateKeyFile: str('Private key file on the machine that runs terraform apply ("~/" expanded there).', RULES.keyFile),
      bastion,
      timeout: str('SSH connection timeout.', RULES.duration, DEFAULTS.ssh.timeout),
    }),
    etcd: obj('The etcd release and its settings.', {
      version: str('etcd release without "v".', RULES.semver),
      arch: { kind: 'string', description: 'Host CPU architecture.', enum: ['amd64', 'arm64'], default: DEFAULTS.etcd.arch },
      downloadUrl: str('Mirror URL of the tarball ({version} and {arch} are replaced). Requires sha256.', RULES.downloadUrl),
      sha256: str('sha256 of the tarball. Required unless the version is pinned and no downloadUrl is set.', RULES.sha256),
      clusterToken: str('--initial-cluster-token.', RULES.token, DEFAULTS.etcd.clusterToken),
      clientPort: port('Client port.', DEFAULTS.etcd.clientPort),
      peerPort: port('Peer port.', DEFAULTS.etcd.peerPort),
      metricsPort: port('Loopback metrics port.', DEFAULTS.etcd.metricsPort),
      dataDir: str('Data directory (mode 0700).', RULES.absolutePath, DEFAULTS.etcd.dataDir),
      binDir: str('Directory for etcd, etcdctl and etcdutl.', RULES.absolutePath, DEFAULTS.etcd.binDir),
      unitName: str('systemd unit name without ".service".', RULES.unitName, DEFAULTS.etcd.unitName),
    }),
    pki: obj('Certificates.', {
      keyAlgorithm: { kind: 'string', description: 'Key algorithm of the CA and every leaf.', enum: ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'], default: DEFAULTS.pki.keyAlgorithm },
      caValidityHours: int('CA validity in hours.', 24, 876000, DEFAULTS.pki.caValidityHours),
      certValidityHours: int('Leaf certificate validity in hours.', 1, 876000, DEFAULTS.pki.certValidityHours),
      caEarlyRenewalHours: int('Renew the CA when an apply runs this close to its expiry.', 0, 876000, DEFAULTS.pki.caEarlyRenewalHours),
      certEarlyRenewalHours: int('Renew a leaf when an apply runs this close to its expiry.', 0, 876000, DEFAULTS.pki.certEarlyRenewalHours),
      caKeyOnHosts: { kind: 'string', description: 'Copy etcd/ca.key to no host, the first member (kubeadm), or all.', enum: ['none', 'first', 'all'], default: DEFAULTS.pki.caKeyOnHosts },
      localDir: str('Local directory (relative to the stack) for the per-host PKI trees.', RULES.relativeDir, DEFAULTS.pki.localDir),
    }),
    paths: obj('Paths on the hosts.', {
      pkiDir: str("kubeadm's PKI directory.", RULES.absolutePath, DEFAULTS.paths.pkiDir),
      stateDir: str('Provisioner working directory (staging, install stamp).', RULES.absolutePath, DEFAULTS.paths.stateDir),
    }),
    health: obj('The final health check.', {
      timeoutSeconds: int('Deadline for the cluster to become healthy.', 10, 86400, DEFAULTS.health.timeoutSeconds),
      intervalSeconds: int('Pause between attempts.', 1, 60, DEFAULTS.health.intervalSeconds),
    }),
    snapshots: obj('Scheduled snapshots (systemd timer on every member).', {
      enabled: { kind: 'boolean', description: 'Install the snapshot timer.', default: DEFAULTS.snapshots.enabled },
      onCalendar: str('systemd OnCalendar expression.', RULES.onCalendar, DEFAULTS.snapshots.onCalendar),
      retain: int('Scheduled snapshots kept per member.', 1, 10000, DEFAULTS.snapshots.retain),
      dir: str('Snapshot directory on the hosts.', RULES.absolutePath, DEFAULTS.snapshots.dir),
    }),
    backend: { kind: 'union', description: 'Terraform backend.', variants: backendVariants },
  },
  ['members'],
);
