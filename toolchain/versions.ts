import { DEFAULT_ETCD_VERSION, PINNED_RELEASES } from '../src/config/releases';

/**
 * The etcd releases the lab builds from Go modules and serves: every pinned release of 3.5 and
 * later (the stack's default, the current 3.6 patch, and the 3.5 patch users upgrade from).
 */
export const LAB_ETCD_VERSIONS: readonly string[] = [DEFAULT_ETCD_VERSION, ...Object.keys(PINNED_RELEASES).filter((v) => v !== DEFAULT_ETCD_VERSION)];
