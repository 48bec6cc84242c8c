import { CpuArch } from './types';

/**
 * etcd releases whose tarball checksums are pinned here. Values are the published sha256 of
 * `etcd-vVERSION-linux-ARCH.tar.gz` (etcd's SHA256SUMS; 3.5.27 as recorded in kubespray's
 * checksum table). Any other version, or any mirror URL, needs an explicit `etcd.sha256`.
 */
export const PINNED_RELEASES: Readonly<Record<string, Readonly<Record<CpuArch, string>>>> = {
  '3.6.14': {
    amd64: 'ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5',
    arm64: 'fa1b80565ee6fc2df1ae6f57a508b221f3ecc7d591c317c581cd8281b0842b3e',
  },
  '3.5.27': {
    amd64: '0aad9a9e4e0817a021e933f9806a2b2960a62f949ad5a3d6436d8886945cb1bc',
    arm64: '1277309f540c5a0329c428f95455c9f76d24f768c8d28fd2753e891c379053fa',
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
