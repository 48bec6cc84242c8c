import type { ResolvedBackendSpec, ResolvedClusterSpec, ResolvedMemberSpec } from './types';

/** A member with every default applied, and its position in the spec. */
export interface ResolvedMember extends ResolvedMemberSpec {
  /** Position in the spec (0-based). */
  readonly index: number;
}

/** A validated spec with every default applied: what the constructs consume. */
export interface ResolvedCluster extends Omit<ResolvedClusterSpec, 'members' | 'backend'> {
  readonly members: ResolvedMember[];
  readonly backend: ResolvedBackendSpec;
  /** Non-fatal findings (e.g. an even member count), surfaced as cdktf annotations. */
  readonly warnings: string[];
}
