/**
 * The cluster description. It is both the JSON/YAML spec that `main.ts` reads and the props of
 * `EtcdCluster`: one level of grouping (members, ssh, etcd, pki, paths, health), every optional
 * field documented with its default.
 */

/** One etcd member: an existing Linux host reachable over SSH. */
export interface MemberSpec {
  /** Member name: a DNS-1123 label, unique in the cluster; also the certificates' CN. */
  readonly name: string;
  /** IPv4 or IPv6 address etcd listens on and advertises (peer and client URLs), unique. */
  readonly address: string;
  /**
   * Address or DNS name Terraform connects to over SSH, when it differs from `address`
   * (NAT, a management network).
   * @default the member's `address`
   */
  readonly sshHost?: string;
  /**
   * The host's SSH public host key (`ssh-ed25519 AAAA...`). When set, Terraform verifies the host
   * before sending keys to it.
   * @default none: the host key is not verified (Terraform's default)
   */
  readonly hostKey?: string;
  /**
   * Extra subject alternative names for this member's server and peer certificates
   * (DNS names or IP addresses), e.g. a load-balancer name.
   * @default []
   */
  readonly extraSans?: string[];
  /**
   * Take this member out of the running cluster on the next apply: `etcdctl member remove` (only
   * while the others stay a majority), stop and disable etcd, archive its data dir. Delete the
   * entry after that apply.
   * @default false
   */
  readonly remove?: boolean;
}

export interface BastionSpec {
  /** Bastion host name or address. */
  readonly host: string;
  /** @default the `ssh.user` */
  readonly user?: string;
  /** @default 22 */
  readonly port?: number;
  /** @default the `ssh.privateKeyFile` (or the `ssh_private_key` variable / SSH agent) */
  readonly privateKeyFile?: string;
  /** @default none: not verified */
  readonly hostKey?: string;
}

export interface SshSpec {
  /** @default "root" */
  readonly user?: string;
  /** @default 22 */
  readonly port?: number;
  /**
   * Private key file on the machine that runs `terraform apply` (`~/` is expanded there). When
   * unset, the stack declares a sensitive variable `ssh_private_key`; when that is unset too,
   * Terraform uses the SSH agent.
   * @default unset
   */
  readonly privateKeyFile?: string;
  /** Optional jump host. @default none */
  readonly bastion?: BastionSpec;
  /** How long Terraform retries the SSH connection, e.g. "5m". @default "5m" */
  readonly timeout?: string;
}

export type CpuArch = 'amd64' | 'arm64';

export interface EtcdSpec {
  /** etcd release (without "v"). @default the pinned 3.6 release (see releases.ts) */
  readonly version?: string;
  /** Host CPU architecture of the release tarball. @default "amd64" */
  readonly arch?: CpuArch;
  /**
   * Tarball URL (a mirror). Must serve `etcd-vVERSION-linux-ARCH.tar.gz`-shaped archives.
   * Requires `sha256`.
   * @default GitHub releases URL for `version` and `arch`
   */
  readonly downloadUrl?: string;
  /**
   * sha256 of the tarball. Required for any version without a pinned checksum and for any
   * `downloadUrl`.
   * @default the pinned checksum of `version`/`arch`
   */
  readonly sha256?: string;
  /** `--initial-cluster-token`. @default "etcd-cluster" */
  readonly clusterToken?: string;
  /** @default 2379 */
  readonly clientPort?: number;
  /** @default 2380 */
  readonly peerPort?: number;
  /** Loopback-only plain-HTTP metrics port. @default 2381 */
  readonly metricsPort?: number;
  /** @default "/var/lib/etcd" */
  readonly dataDir?: string;
  /** Where etcd, etcdctl (and etcdutl) are installed. @default "/usr/local/bin" */
  readonly binDir?: string;
  /** systemd unit name (without ".service"). @default "etcd" */
  readonly unitName?: string;
}

export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384';

/** Where the CA private key is copied: nowhere (default), the first member (kubeadm), or all. */
export type CaKeyPlacement = 'none' | 'first' | 'all';

export interface PkiSpec {
  /** @default "RSA-2048" (kubeadm's default) */
  readonly keyAlgorithm?: KeyAlgorithm;
  /** @default 87600 (10 years, kubeadm) */
  readonly caValidityHours?: number;
  /** @default 8760 (1 year, kubeadm) */
  readonly certValidityHours?: number;
  /** A routine apply inside this window before expiry replaces the CA. @default 8760 */
  readonly caEarlyRenewalHours?: number;
  /** A routine apply inside this window before expiry replaces a leaf certificate. @default 1440 (60 days) */
  readonly certEarlyRenewalHours?: number;
  /** @default "none": the CA key lives only in Terraform state */
  readonly caKeyOnHosts?: CaKeyPlacement;
  /**
   * Local directory, relative to the synthesized stack, that holds one PKI tree per member.
   * @default "hosts"
   */
  readonly localDir?: string;
}

export interface PathsSpec {
  /** kubeadm's PKI directory on the hosts. @default "/etc/kubernetes/pki" */
  readonly pkiDir?: string;
  /** Working directory of the provisioner on the hosts (staging, install stamp). @default "/var/lib/etcd-deploy" */
  readonly stateDir?: string;
}

export interface HealthSpec {
  /** How long the final health check retries before failing the apply. @default 300 */
  readonly timeoutSeconds?: number;
  /** @default 2 */
  readonly intervalSeconds?: number;
}

export interface SnapshotSpec {
  /** Install a systemd timer that saves `etcdctl snapshot save` on every member. @default false */
  readonly enabled?: boolean;
  /** systemd OnCalendar expression. @default "hourly" */
  readonly onCalendar?: string;
  /** Scheduled snapshots kept per member. @default 24 */
  readonly retain?: number;
  /** Directory on the hosts. @default "/var/lib/etcd-snapshots" */
  readonly dir?: string;
}

export interface LocalBackendSpec {
  readonly type: 'local';
  /**
   * State file, relative to the synthesized stack directory.
   * @default "../../../terraform.etcd.tfstate" (the project root under cdktf's layout)
   */
  readonly path?: string;
}
export interface CloudBackendSpec {
  readonly type: 'cloud';
  readonly organization: string;
  readonly workspace: string;
  /** @default "app.terraform.io" */
  readonly hostname?: string;
}
export interface RemoteBackendSpec {
  readonly type: 'remote';
  readonly organization: string;
  readonly workspace: string;
  /** @default "app.terraform.io" */
  readonly hostname?: string;
}
export interface S3BackendSpec {
  readonly type: 's3';
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** S3-compatible endpoint (MinIO, Ceph). @default AWS */
  readonly endpoint?: string;
  /** @default true */
  readonly encrypt?: boolean;
  /** Lock with a lock file next to the state (Terraform ≥ 1.10). @default true */
  readonly useLockfile?: boolean;
}
export type BackendSpec = LocalBackendSpec | CloudBackendSpec | RemoteBackendSpec | S3BackendSpec;

/** Props of `EtcdCluster`. */
export interface EtcdClusterProps {
  /** The members, at least one; an odd count is recommended. */
  readonly members: MemberSpec[];
  /** @default root on port 22, key from the `ssh_private_key` variable or the SSH agent */
  readonly ssh?: SshSpec;
  /** @default the pinned etcd release with kubeadm's ports and paths */
  readonly etcd?: EtcdSpec;
  /** @default RSA 2048, kubeadm validity, CA key off the hosts */
  readonly pki?: PkiSpec;
  /** @default kubeadm's paths */
  readonly paths?: PathsSpec;
  /** @default 300 s deadline, 2 s interval */
  readonly health?: HealthSpec;
  /** @default no scheduled snapshots */
  readonly snapshots?: SnapshotSpec;
}

/** The spec file: the cluster props plus stack-level settings. */
export interface ClusterSpec extends EtcdClusterProps {
  /** JSON Schema reference for editors (`schema/etcd-cluster.schema.json`); ignored. */
  readonly $schema?: string;
  /** Terraform backend. @default local state */
  readonly backend?: BackendSpec;
}
