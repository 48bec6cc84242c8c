// Generated from src/config/schema.ts by `npm run schema`: do not edit. A test checks that it is current.
/* eslint-disable */

export type CpuArch = "amd64" | "arm64";
export type TlsVersion = "TLS1.2" | "TLS1.3";
export type CipherSuite = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" | "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" | "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" | "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" | "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" | "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
export type AutoCompactionMode = "periodic" | "revision";
export type EtcdLogLevel = "debug" | "info" | "warn" | "error";
export type PeerPlane = "peers-only" | "any-ca-cert";
export type KeyAlgorithm = "RSA-2048" | "RSA-3072" | "RSA-4096" | "ECDSA-P256" | "ECDSA-P384";
export type CaKeyPlacement = "none" | "first" | "all";

/**
 * Props of `EtcdCluster`: the cluster description (the spec file without its stack-level
 * settings).
 */
export interface EtcdClusterProps {
  /**
   * The etcd members, at least one; an odd count is recommended.
   */
  readonly members: MemberSpec[];
  /**
   * How Terraform reaches the hosts.
   * @default root on port 22, key from the `ssh_private_key` variable or the SSH agent
   */
  readonly ssh?: SshSpec;
  /**
   * The etcd release and its settings.
   * @default the pinned etcd release with kubeadm's ports and paths
   */
  readonly etcd?: EtcdSpec;
  /**
   * etcd's own settings: TLS, timing, storage, integrity checks, logging, and other flags.
   * @default etcd's defaults, TLS 1.2 at least
   */
  readonly server?: ServerSpec;
  /**
   * Certificates.
   * @default RSA 2048, kubeadm validity, CA key off the hosts
   */
  readonly pki?: PkiSpec;
  /**
   * Paths on the hosts.
   * @default kubeadm's paths
   */
  readonly paths?: PathsSpec;
  /**
   * The final health check.
   * @default 300 s deadline, 1 s interval
   */
  readonly health?: HealthSpec;
  /**
   * Scheduled snapshots (a systemd timer on every member).
   * @default no scheduled snapshots
   */
  readonly snapshots?: SnapshotSpec;
}

/**
 * One etcd member: an existing Linux host reachable over SSH.
 */
export interface MemberSpec {
  /**
   * Member name: a DNS-1123 label, unique in the cluster; etcd --name and the certificates' CN.
   */
  readonly name: string;
  /**
   * IPv4 or IPv6 address etcd listens on and advertises (peer and client URLs), unique.
   */
  readonly address: string;
  /**
   * Address or DNS name Terraform connects to over SSH, when it differs from `address` (NAT, a
   * management network).
   * @default the member's `address`
   */
  readonly sshHost?: string;
  /**
   * The host's SSH public host key (`ecdsa-sha2-nistp256 AAAA…`). When set, Terraform verifies the
   * host before sending it anything. Terraform's SSH client asks for ECDSA first: pin the ECDSA key
   * of a host that has one.
   * @default none: the host key is not verified (Terraform's default)
   */
  readonly hostKey?: string;
  /**
   * Extra subject alternative names (DNS names or IP addresses) for this member's server and peer
   * certificates, e.g. a load-balancer name.
   * @default []
   */
  readonly extraSans?: string[];
  /**
   * Take this member out of the running cluster on the next apply: `etcdctl member remove` (only
   * while the others stay a majority), stop and disable etcd, archive its data dir. Delete the entry
   * after that apply.
   * @default false
   */
  readonly remove?: boolean;
}

/**
 * How Terraform reaches the hosts.
 */
export interface SshSpec {
  /**
   * SSH user (needs root rights: it installs into system paths).
   * @default "root"
   */
  readonly user?: string;
  /**
   * SSH port.
   * @default 22
   */
  readonly port?: number;
  /**
   * Private key file on the machine that runs `terraform apply` (`~/` is expanded there). When
   * unset, the stack declares a sensitive variable `ssh_private_key`; when that is unset too,
   * Terraform uses the SSH agent.
   * @default unset: the `ssh_private_key` variable, else the SSH agent
   */
  readonly privateKeyFile?: string;
  /**
   * An SSH jump host.
   * @default none
   */
  readonly bastion?: BastionSpec;
  /**
   * How long Terraform retries the SSH connection, e.g. "5m".
   * @default "5m"
   */
  readonly timeout?: string;
}

/**
 * An SSH jump host.
 */
export interface BastionSpec {
  /**
   * Bastion host name or address.
   */
  readonly host: string;
  /**
   * Bastion SSH user.
   * @default `ssh.user`
   */
  readonly user?: string;
  /**
   * Bastion SSH port.
   * @default 22
   */
  readonly port?: number;
  /**
   * Bastion private key file.
   * @default `ssh.privateKeyFile` (or the `ssh_private_key` variable / SSH agent)
   */
  readonly privateKeyFile?: string;
  /**
   * Bastion SSH public host key.
   * @default none: not verified
   */
  readonly hostKey?: string;
}

/**
 * The etcd release and its settings.
 */
export interface EtcdSpec {
  /**
   * etcd release, without "v".
   * @default the current 3.6 release, 3.6.14 (releases.ts)
   */
  readonly version?: string;
  /**
   * Host CPU architecture of the release tarball.
   * @default "amd64"
   */
  readonly arch?: CpuArch;
  /**
   * Tarball URL (a mirror). Must serve `etcd-vVERSION-linux-ARCH.tar.gz`-shaped archives;
   * `{version}` and `{arch}` are replaced. Requires `sha256`.
   * @default the GitHub releases URL of `version` and `arch`
   */
  readonly downloadUrl?: string;
  /**
   * sha256 of the tarball. Required for any version without a pinned checksum and for any
   * `downloadUrl`.
   * @default the pinned checksum of `version`/`arch`
   */
  readonly sha256?: string;
  /**
   * Air-gapped hosts: a release tarball on the machine that runs `terraform apply` (`~/` expanded
   * there), uploaded to each host instead of each host downloading `downloadUrl`. Its sha256 must
   * equal `sha256` (the pinned one for a pinned version): checked by the plan before anything runs,
   * and again on each host before installing.
   * @default unset: each host downloads `downloadUrl` itself
   */
  readonly localTarball?: string;
  /**
   * `--initial-cluster-token`: what a new cluster is bootstrapped with.
   * @default unique per cluster: the id of the cluster's identity resource, made at its first apply and kept in Terraform state
   */
  readonly clusterToken?: string;
  /**
   * Client port.
   * @default 2379
   */
  readonly clientPort?: number;
  /**
   * Peer port.
   * @default 2380
   */
  readonly peerPort?: number;
  /**
   * Port of the default metrics URL, `http://127.0.0.1:PORT` (loopback only). With `metricsUrls`
   * given, the ports are in the URLs.
   * @default 2381
   */
  readonly metricsPort?: number;
  /**
   * `--listen-metrics-urls`: where etcd serves /metrics, /health, /livez and /readyz, each
   * `http(s)://HOST:PORT` with HOST an IP address (IPv6 in brackets), `0.0.0.0`/`[::]` for every
   * interface, or `{address}` for the member's own address. `https` takes the server certificate
   * and, like the client port, a client certificate from the etcd CA. A plain-HTTP URL off loopback
   * answers anyone who can reach it: synth warns.
   * @default `["http://127.0.0.1:<metricsPort>"]`: loopback only, as kubeadm
   */
  readonly metricsUrls?: string[];
  /**
   * Data directory (mode 0700).
   * @default "/var/lib/etcd"
   */
  readonly dataDir?: string;
  /**
   * Where etcd, etcdctl and etcdutl are installed.
   * @default "/usr/local/bin"
   */
  readonly binDir?: string;
  /**
   * systemd unit name, without ".service". It must not name a unit this tool did not write.
   * @default "etcd"
   */
  readonly unitName?: string;
}

/**
 * etcd's own settings: TLS, timing, storage, integrity checks, logging, and other flags.
 */
export interface ServerSpec {
  /**
   * `--tls-min-version` on the client and peer listeners (etcd 3.5+). TLS1.2 is etcd's default;
   * TLS1.3 needs clients that speak it (kube-apiserver does).
   * @default "TLS1.2"
   */
  readonly tlsMinVersion?: TlsVersion;
  /**
   * `--cipher-suites` for TLS 1.2 (Go's names; ECDHE AEAD suites only). Empty: Go's defaults. Must
   * stay empty with TLS1.3, whose suites are fixed.
   * @default []
   */
  readonly cipherSuites?: CipherSuite[];
  /**
   * `--heartbeat-interval` in ms (etcd's default; about the round-trip time between members).
   * @default 100
   */
  readonly heartbeatIntervalMs?: number;
  /**
   * `--election-timeout` in ms (etcd's default); at least 5 × the heartbeat interval.
   * @default 1000
   */
  readonly electionTimeoutMs?: number;
  /**
   * `--quota-backend-bytes`: the database size limit (2 GiB, etcd's default; etcd suggests at most 8
   * GiB).
   * @default 2147483648
   */
  readonly quotaBackendBytes?: number;
  /**
   * `--auto-compaction-mode`.
   * @default "periodic"
   */
  readonly autoCompactionMode?: AutoCompactionMode;
  /**
   * `--auto-compaction-retention`: "0" leaves compaction to kube-apiserver (kubeadm's setup); a
   * duration ("1h", "30m") in periodic mode, a revision count in revision mode.
   * @default "0"
   */
  readonly autoCompactionRetention?: string;
  /**
   * Check the data for corruption before serving (3.5: `--experimental-initial-corrupt-check`; 3.6+:
   * `--feature-gates=InitialCorruptCheck=true`).
   * @default false
   */
  readonly initialCorruptCheck?: boolean;
  /**
   * Period of the cluster-wide corruption check, e.g. "5m"; "0s" is off (3.5:
   * `--experimental-corrupt-check-time`; 3.6+: `--corrupt-check-time`).
   * @default "0s"
   */
  readonly corruptCheckTime?: string;
  /**
   * `--log-level`.
   * @default "info"
   */
  readonly logLevel?: EtcdLogLevel;
  /**
   * Who may connect to the peer port. `peers-only`: only this cluster's peer certificates
   * (`--peer-cert-allowed-hostname` with the name only peer certificates carry), so the CA's client
   * certificates (kube-apiserver's, the health check's) are refused there. `any-ca-cert`: any
   * certificate the etcd CA signed (etcd's default). Peer certificates carry the name either way:
   * switching restarts the members but renews nothing.
   * @default "peers-only"
   */
  readonly peerPlane?: PeerPlane;
  /**
   * Confine etcd with systemd's sandboxing: no new privileges, an empty capability bounding set
   * (ports below 1024 keep CAP_NET_BIND_SERVICE), the file system read-only except the data dir,
   * private /tmp, no /home, kernel tunables, modules, logs and cgroups protected. Turn it off only
   * on hosts whose systemd cannot set up a mount namespace for a service (some container runtimes).
   * @default true
   */
  readonly sandbox?: boolean;
  /**
   * Other etcd flags, each `--name=value` (or `--name`), appended to the unit. Flags this tool
   * manages are refused.
   * @default []
   */
  readonly extraArgs?: string[];
}

/**
 * Certificates.
 */
export interface PkiSpec {
  /**
   * Key algorithm of the CA and every leaf (RSA-2048 is kubeadm's default).
   * @default "RSA-2048"
   */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * CA validity in hours (10 years, kubeadm).
   * @default 87600
   */
  readonly caValidityHours?: number;
  /**
   * Leaf certificate validity in hours (1 year, kubeadm).
   * @default 8760
   */
  readonly certValidityHours?: number;
  /**
   * A routine apply inside this window before expiry replaces the CA.
   * @default 8760
   */
  readonly caEarlyRenewalHours?: number;
  /**
   * A routine apply inside this window before expiry replaces a leaf certificate (60 days).
   * @default 1440
   */
  readonly certEarlyRenewalHours?: number;
  /**
   * Where the CA private key is copied: no host (it lives only in Terraform state), the first member
   * not marked remove (kubeadm), or all.
   * @default "none"
   */
  readonly caKeyOnHosts?: CaKeyPlacement;
  /**
   * Local directory, relative to the synthesized stack, that holds one PKI tree per member.
   * @default "hosts"
   */
  readonly localDir?: string;
}

/**
 * Paths on the hosts.
 */
export interface PathsSpec {
  /**
   * kubeadm's PKI directory on the hosts.
   * @default "/etc/kubernetes/pki"
   */
  readonly pkiDir?: string;
  /**
   * The provisioner's working directory on the hosts (staging, install stamp, operations scripts).
   * @default "/var/lib/etcd-deploy"
   */
  readonly stateDir?: string;
}

/**
 * The final health check.
 */
export interface HealthSpec {
  /**
   * How long the final health check retries before failing the apply.
   * @default 300
   */
  readonly timeoutSeconds?: number;
  /**
   * Pause between attempts.
   * @default 1
   */
  readonly intervalSeconds?: number;
}

/**
 * Scheduled snapshots (a systemd timer on every member).
 */
export interface SnapshotSpec {
  /**
   * Install a systemd timer that saves `etcdctl snapshot save` on every member.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * systemd OnCalendar expression.
   * @default "hourly"
   */
  readonly onCalendar?: string;
  /**
   * Scheduled snapshots kept per member.
   * @default 24
   */
  readonly retain?: number;
  /**
   * Snapshot directory on the hosts.
   * @default "/var/lib/etcd-snapshots"
   */
  readonly dir?: string;
}

/**
 * The spec file: the cluster props plus stack-level settings.
 */
export interface ClusterSpec extends EtcdClusterProps {
  /**
   * JSON Schema reference for editors (`schema/etcd-cluster.schema.json`); ignored.
   * @default none
   */
  readonly "$schema"?: string;
  /**
   * Terraform backend.
   * @default local state
   */
  readonly backend?: BackendSpec;
}

/**
 * Local state file.
 */
export interface LocalBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "local";
  /**
   * State file, relative to the synthesized stack directory (the project root under cdktf's layout).
   * @default "../../../terraform.etcd.tfstate"
   */
  readonly path?: string;
}

/**
 * Terraform Cloud / Enterprise (cloud block).
 */
export interface CloudBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "cloud";
  /**
   * Organization.
   */
  readonly organization: string;
  /**
   * Workspace name.
   */
  readonly workspace: string;
  /**
   * Hostname.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
}

/**
 * The remote backend (Terraform Cloud / Enterprise).
 */
export interface RemoteBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "remote";
  /**
   * Organization.
   */
  readonly organization: string;
  /**
   * Workspace name.
   */
  readonly workspace: string;
  /**
   * Hostname.
   * @default "app.terraform.io"
   */
  readonly hostname?: string;
}

/**
 * S3 or an S3-compatible store.
 */
export interface S3BackendSpec {
  /**
   * Backend type.
   */
  readonly type: "s3";
  /**
   * Bucket.
   */
  readonly bucket: string;
  /**
   * Object key of the state.
   */
  readonly key: string;
  /**
   * Region.
   */
  readonly region: string;
  /**
   * S3-compatible endpoint URL (MinIO, Ceph).
   * @default AWS
   */
  readonly endpoint?: string;
  /**
   * Server-side encryption.
   * @default true
   */
  readonly encrypt?: boolean;
  /**
   * Lock with a lock file next to the state (S3 native locking, Terraform ≥ 1.10).
   * @default true
   */
  readonly useLockfile?: boolean;
}

/**
 * PostgreSQL (Terraform's `pg` backend, with locking). The connection string carries credentials,
 * so it is never in the spec: Terraform reads it from `PG_CONN_STR` (or libpq's `PGHOST`,
 * `PGUSER`, `PGPASSWORD`… variables) where it runs.
 */
export interface PgBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "pg";
  /**
   * Database schema holding the state (one per stack).
   * @default "terraform_remote_state"
   */
  readonly schemaName?: string;
}

/**
 * Terraform backend.
 */
export type BackendSpec = LocalBackendSpec | CloudBackendSpec | RemoteBackendSpec | S3BackendSpec | PgBackendSpec;

/**
 * A TLS-secured external etcd cluster for kubeadm, deployed onto existing Linux hosts. (Resolved:
 * every default applied.)
 */
export interface ResolvedClusterSpec {
  /**
   * The etcd members, at least one; an odd count is recommended.
   */
  readonly members: ResolvedMemberSpec[];
  /**
   * How Terraform reaches the hosts.
   */
  readonly ssh: ResolvedSshSpec;
  /**
   * The etcd release and its settings.
   */
  readonly etcd: ResolvedEtcdSpec;
  /**
   * etcd's own settings: TLS, timing, storage, integrity checks, logging, and other flags.
   */
  readonly server: ResolvedServerSpec;
  /**
   * Certificates.
   */
  readonly pki: ResolvedPkiSpec;
  /**
   * Paths on the hosts.
   */
  readonly paths: ResolvedPathsSpec;
  /**
   * The final health check.
   */
  readonly health: ResolvedHealthSpec;
  /**
   * Scheduled snapshots (a systemd timer on every member).
   */
  readonly snapshots: ResolvedSnapshotSpec;
  /**
   * Terraform backend.
   */
  readonly backend: ResolvedBackendSpec;
}

/**
 * One etcd member: an existing Linux host reachable over SSH. (Resolved: every default applied.)
 */
export interface ResolvedMemberSpec {
  /**
   * Member name: a DNS-1123 label, unique in the cluster; etcd --name and the certificates' CN.
   */
  readonly name: string;
  /**
   * IPv4 or IPv6 address etcd listens on and advertises (peer and client URLs), unique.
   */
  readonly address: string;
  /**
   * Address or DNS name Terraform connects to over SSH, when it differs from `address` (NAT, a
   * management network).
   */
  readonly sshHost: string;
  /**
   * The host's SSH public host key (`ecdsa-sha2-nistp256 AAAA…`). When set, Terraform verifies the
   * host before sending it anything. Terraform's SSH client asks for ECDSA first: pin the ECDSA key
   * of a host that has one.
   */
  readonly hostKey?: string;
  /**
   * Extra subject alternative names (DNS names or IP addresses) for this member's server and peer
   * certificates, e.g. a load-balancer name.
   */
  readonly extraSans: string[];
  /**
   * Take this member out of the running cluster on the next apply: `etcdctl member remove` (only
   * while the others stay a majority), stop and disable etcd, archive its data dir. Delete the entry
   * after that apply.
   */
  readonly remove: boolean;
}

/**
 * How Terraform reaches the hosts. (Resolved: every default applied.)
 */
export interface ResolvedSshSpec {
  /**
   * SSH user (needs root rights: it installs into system paths).
   */
  readonly user: string;
  /**
   * SSH port.
   */
  readonly port: number;
  /**
   * Private key file on the machine that runs `terraform apply` (`~/` is expanded there). When
   * unset, the stack declares a sensitive variable `ssh_private_key`; when that is unset too,
   * Terraform uses the SSH agent.
   */
  readonly privateKeyFile?: string;
  /**
   * An SSH jump host.
   */
  readonly bastion?: ResolvedBastionSpec;
  /**
   * How long Terraform retries the SSH connection, e.g. "5m".
   */
  readonly timeout: string;
}

/**
 * An SSH jump host. (Resolved: every default applied.)
 */
export interface ResolvedBastionSpec {
  /**
   * Bastion host name or address.
   */
  readonly host: string;
  /**
   * Bastion SSH user.
   */
  readonly user: string;
  /**
   * Bastion SSH port.
   */
  readonly port: number;
  /**
   * Bastion private key file.
   */
  readonly privateKeyFile?: string;
  /**
   * Bastion SSH public host key.
   */
  readonly hostKey?: string;
}

/**
 * The etcd release and its settings. (Resolved: every default applied.)
 */
export interface ResolvedEtcdSpec {
  /**
   * etcd release, without "v".
   */
  readonly version: string;
  /**
   * Host CPU architecture of the release tarball.
   */
  readonly arch: CpuArch;
  /**
   * Tarball URL (a mirror). Must serve `etcd-vVERSION-linux-ARCH.tar.gz`-shaped archives;
   * `{version}` and `{arch}` are replaced. Requires `sha256`.
   */
  readonly downloadUrl: string;
  /**
   * sha256 of the tarball. Required for any version without a pinned checksum and for any
   * `downloadUrl`.
   */
  readonly sha256: string;
  /**
   * Air-gapped hosts: a release tarball on the machine that runs `terraform apply` (`~/` expanded
   * there), uploaded to each host instead of each host downloading `downloadUrl`. Its sha256 must
   * equal `sha256` (the pinned one for a pinned version): checked by the plan before anything runs,
   * and again on each host before installing.
   */
  readonly localTarball?: string;
  /**
   * `--initial-cluster-token`: what a new cluster is bootstrapped with.
   */
  readonly clusterToken?: string;
  /**
   * Client port.
   */
  readonly clientPort: number;
  /**
   * Peer port.
   */
  readonly peerPort: number;
  /**
   * Port of the default metrics URL, `http://127.0.0.1:PORT` (loopback only). With `metricsUrls`
   * given, the ports are in the URLs.
   */
  readonly metricsPort: number;
  /**
   * `--listen-metrics-urls`: where etcd serves /metrics, /health, /livez and /readyz, each
   * `http(s)://HOST:PORT` with HOST an IP address (IPv6 in brackets), `0.0.0.0`/`[::]` for every
   * interface, or `{address}` for the member's own address. `https` takes the server certificate
   * and, like the client port, a client certificate from the etcd CA. A plain-HTTP URL off loopback
   * answers anyone who can reach it: synth warns.
   */
  readonly metricsUrls: string[];
  /**
   * Data directory (mode 0700).
   */
  readonly dataDir: string;
  /**
   * Where etcd, etcdctl and etcdutl are installed.
   */
  readonly binDir: string;
  /**
   * systemd unit name, without ".service". It must not name a unit this tool did not write.
   */
  readonly unitName: string;
}

/**
 * etcd's own settings: TLS, timing, storage, integrity checks, logging, and other flags.
 * (Resolved: every default applied.)
 */
export interface ResolvedServerSpec {
  /**
   * `--tls-min-version` on the client and peer listeners (etcd 3.5+). TLS1.2 is etcd's default;
   * TLS1.3 needs clients that speak it (kube-apiserver does).
   */
  readonly tlsMinVersion: TlsVersion;
  /**
   * `--cipher-suites` for TLS 1.2 (Go's names; ECDHE AEAD suites only). Empty: Go's defaults. Must
   * stay empty with TLS1.3, whose suites are fixed.
   */
  readonly cipherSuites: CipherSuite[];
  /**
   * `--heartbeat-interval` in ms (etcd's default; about the round-trip time between members).
   */
  readonly heartbeatIntervalMs: number;
  /**
   * `--election-timeout` in ms (etcd's default); at least 5 × the heartbeat interval.
   */
  readonly electionTimeoutMs: number;
  /**
   * `--quota-backend-bytes`: the database size limit (2 GiB, etcd's default; etcd suggests at most 8
   * GiB).
   */
  readonly quotaBackendBytes: number;
  /**
   * `--auto-compaction-mode`.
   */
  readonly autoCompactionMode: AutoCompactionMode;
  /**
   * `--auto-compaction-retention`: "0" leaves compaction to kube-apiserver (kubeadm's setup); a
   * duration ("1h", "30m") in periodic mode, a revision count in revision mode.
   */
  readonly autoCompactionRetention: string;
  /**
   * Check the data for corruption before serving (3.5: `--experimental-initial-corrupt-check`; 3.6+:
   * `--feature-gates=InitialCorruptCheck=true`).
   */
  readonly initialCorruptCheck: boolean;
  /**
   * Period of the cluster-wide corruption check, e.g. "5m"; "0s" is off (3.5:
   * `--experimental-corrupt-check-time`; 3.6+: `--corrupt-check-time`).
   */
  readonly corruptCheckTime: string;
  /**
   * `--log-level`.
   */
  readonly logLevel: EtcdLogLevel;
  /**
   * Who may connect to the peer port. `peers-only`: only this cluster's peer certificates
   * (`--peer-cert-allowed-hostname` with the name only peer certificates carry), so the CA's client
   * certificates (kube-apiserver's, the health check's) are refused there. `any-ca-cert`: any
   * certificate the etcd CA signed (etcd's default). Peer certificates carry the name either way:
   * switching restarts the members but renews nothing.
   */
  readonly peerPlane: PeerPlane;
  /**
   * Confine etcd with systemd's sandboxing: no new privileges, an empty capability bounding set
   * (ports below 1024 keep CAP_NET_BIND_SERVICE), the file system read-only except the data dir,
   * private /tmp, no /home, kernel tunables, modules, logs and cgroups protected. Turn it off only
   * on hosts whose systemd cannot set up a mount namespace for a service (some container runtimes).
   */
  readonly sandbox: boolean;
  /**
   * Other etcd flags, each `--name=value` (or `--name`), appended to the unit. Flags this tool
   * manages are refused.
   */
  readonly extraArgs: string[];
}

/**
 * Certificates. (Resolved: every default applied.)
 */
export interface ResolvedPkiSpec {
  /**
   * Key algorithm of the CA and every leaf (RSA-2048 is kubeadm's default).
   */
  readonly keyAlgorithm: KeyAlgorithm;
  /**
   * CA validity in hours (10 years, kubeadm).
   */
  readonly caValidityHours: number;
  /**
   * Leaf certificate validity in hours (1 year, kubeadm).
   */
  readonly certValidityHours: number;
  /**
   * A routine apply inside this window before expiry replaces the CA.
   */
  readonly caEarlyRenewalHours: number;
  /**
   * A routine apply inside this window before expiry replaces a leaf certificate (60 days).
   */
  readonly certEarlyRenewalHours: number;
  /**
   * Where the CA private key is copied: no host (it lives only in Terraform state), the first member
   * not marked remove (kubeadm), or all.
   */
  readonly caKeyOnHosts: CaKeyPlacement;
  /**
   * Local directory, relative to the synthesized stack, that holds one PKI tree per member.
   */
  readonly localDir: string;
}

/**
 * Paths on the hosts. (Resolved: every default applied.)
 */
export interface ResolvedPathsSpec {
  /**
   * kubeadm's PKI directory on the hosts.
   */
  readonly pkiDir: string;
  /**
   * The provisioner's working directory on the hosts (staging, install stamp, operations scripts).
   */
  readonly stateDir: string;
}

/**
 * The final health check. (Resolved: every default applied.)
 */
export interface ResolvedHealthSpec {
  /**
   * How long the final health check retries before failing the apply.
   */
  readonly timeoutSeconds: number;
  /**
   * Pause between attempts.
   */
  readonly intervalSeconds: number;
}

/**
 * Scheduled snapshots (a systemd timer on every member). (Resolved: every default applied.)
 */
export interface ResolvedSnapshotSpec {
  /**
   * Install a systemd timer that saves `etcdctl snapshot save` on every member.
   */
  readonly enabled: boolean;
  /**
   * systemd OnCalendar expression.
   */
  readonly onCalendar: string;
  /**
   * Scheduled snapshots kept per member.
   */
  readonly retain: number;
  /**
   * Snapshot directory on the hosts.
   */
  readonly dir: string;
}

/**
 * Local state file. (Resolved: every default applied.)
 */
export interface ResolvedLocalBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "local";
  /**
   * State file, relative to the synthesized stack directory (the project root under cdktf's layout).
   */
  readonly path: string;
}

/**
 * Terraform Cloud / Enterprise (cloud block). (Resolved: every default applied.)
 */
export interface ResolvedCloudBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "cloud";
  /**
   * Organization.
   */
  readonly organization: string;
  /**
   * Workspace name.
   */
  readonly workspace: string;
  /**
   * Hostname.
   */
  readonly hostname: string;
}

/**
 * The remote backend (Terraform Cloud / Enterprise). (Resolved: every default applied.)
 */
export interface ResolvedRemoteBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "remote";
  /**
   * Organization.
   */
  readonly organization: string;
  /**
   * Workspace name.
   */
  readonly workspace: string;
  /**
   * Hostname.
   */
  readonly hostname: string;
}

/**
 * S3 or an S3-compatible store. (Resolved: every default applied.)
 */
export interface ResolvedS3BackendSpec {
  /**
   * Backend type.
   */
  readonly type: "s3";
  /**
   * Bucket.
   */
  readonly bucket: string;
  /**
   * Object key of the state.
   */
  readonly key: string;
  /**
   * Region.
   */
  readonly region: string;
  /**
   * S3-compatible endpoint URL (MinIO, Ceph).
   */
  readonly endpoint?: string;
  /**
   * Server-side encryption.
   */
  readonly encrypt: boolean;
  /**
   * Lock with a lock file next to the state (S3 native locking, Terraform ≥ 1.10).
   */
  readonly useLockfile: boolean;
}

/**
 * PostgreSQL (Terraform's `pg` backend, with locking). The connection string carries credentials,
 * so it is never in the spec: Terraform reads it from `PG_CONN_STR` (or libpq's `PGHOST`,
 * `PGUSER`, `PGPASSWORD`… variables) where it runs. (Resolved: every default applied.)
 */
export interface ResolvedPgBackendSpec {
  /**
   * Backend type.
   */
  readonly type: "pg";
  /**
   * Database schema holding the state (one per stack).
   */
  readonly schemaName: string;
}

/**
 * Terraform backend.
 */
export type ResolvedBackendSpec = ResolvedLocalBackendSpec | ResolvedCloudBackendSpec | ResolvedRemoteBackendSpec | ResolvedS3BackendSpec | ResolvedPgBackendSpec;
