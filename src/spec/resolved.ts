import { BackendSpec, CaKeyPlacement, CpuArch, KeyAlgorithm, MemberSpec } from './types';

/** A validated spec with every default applied: what the constructs consume. */
export interface ResolvedMember extends Required<Omit<MemberSpec, 'hostKey'>> {
  readonly hostKey?: string;
  /** Position in the spec (0-based); the first member runs the health check. */
  readonly index: number;
}

export interface ResolvedCluster {
  readonly members: ResolvedMember[];
  readonly ssh: {
    readonly user: string;
    readonly port: number;
    readonly privateKeyFile?: string;
    readonly timeout: string;
    readonly bastion?: {
      readonly host: string;
      readonly user: string;
      readonly port: number;
      readonly privateKeyFile?: string;
      readonly hostKey?: string;
    };
  };
  readonly etcd: {
    readonly version: string;
    readonly arch: CpuArch;
    readonly downloadUrl: string;
    readonly sha256: string;
    readonly clusterToken: string;
    readonly clientPort: number;
    readonly peerPort: number;
    readonly metricsPort: number;
    readonly dataDir: string;
    readonly binDir: string;
    readonly unitName: string;
  };
  readonly pki: {
    readonly keyAlgorithm: KeyAlgorithm;
    readonly caValidityHours: number;
    readonly certValidityHours: number;
    readonly caEarlyRenewalHours: number;
    readonly certEarlyRenewalHours: number;
    readonly caKeyOnHosts: CaKeyPlacement;
    readonly localDir: string;
  };
  readonly paths: { readonly pkiDir: string; readonly stateDir: string };
  readonly health: { readonly timeoutSeconds: number; readonly intervalSeconds: number };
  readonly snapshots: { readonly enabled: boolean; readonly onCalendar: string; readonly retain: number; readonly dir: string };
  readonly backend: BackendSpec;
  /** Non-fatal findings (e.g. an even member count), surfaced as cdktf annotations. */
  readonly warnings: string[];
}
