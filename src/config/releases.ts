import type { CpuArch } from './types';

/**
 * etcd releases whose tarball checksums are pinned here: the published sha256 of
 * `etcd-vVERSION-linux-ARCH.tar.gz` (etcd's SHA256SUMS). 3.6.14 is the current 3.6 patch the
 * stack deploys by default; 3.5.33 the 3.5 patch to run before a 3.5 → 3.6 upgrade (amd64 only:
 * its arm64 digest could not be corroborated). Any other version or architecture, and any mirror
 * URL, needs an explicit `etcd.sha256`.
 */
export const PINNED_RELEASES: Readonly<Record<string, Readonly<Partial<Record<CpuArch, string>>>>> = {
  '3.6.14': {
    amd64: 'ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5',
    arm64: 'fa1b80565ee6fc2df1ae6f57a508b221f3ecc7d591c317c581cd8281b0842b3e',
  },
  '3.5.33': {
    amd64: '5025b5b24d81a9616b6e284ccd439b9a3df055ef8fdcdc142af3ec8f6a3b3c95',
  },
};

export const DEFAULT_ETCD_VERSION = '3.6.14';

/** The upstream release URL of a version/arch. */
export function upstreamTarballUrl(version: string, arch: CpuArch): string {
  return `https://github.com/etcd-io/etcd/releases/download/v${version}/etcd-v${version}-linux-${arch}.tar.gz`;
}

export function pinnedSha256(version: string, arch: CpuArch): string | undefined {
  return PINNED_RELEASES[version]?.[arch];
}
