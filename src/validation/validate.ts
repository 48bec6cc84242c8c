import { isIP } from 'node:net';
import { DEFAULTS } from '../spec/defaults';
import { CLUSTER_SPEC_FIELD } from '../spec/fields';
import { pinnedSha256, PINNED_RELEASES, DEFAULT_ETCD_VERSION, upstreamTarballUrl } from '../spec/releases';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { ClusterSpec, CpuArch } from '../spec/types';
import { canonicalIp } from './rules';
import { checkStructure, SpecIssue } from './structure';

/** Thrown when a spec breaks a rule; `issues` names each offending value and the rule. */
export class SpecValidationError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid etcd cluster spec (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'SpecValidationError';
  }
}

/** Directories the provisioner must never chmod 0700 or clean: a typo here would break the host. */
const SYSTEM_DIRS = new Set(['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/lib64', '/opt', '/proc', '/root', '/run', '/sbin', '/srv', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin', '/var', '/var/lib', '/var/log', '/var/tmp']);

function isUnroutableMemberAddress(ip: string): string | undefined {
  if (isIP(ip) === 4) {
    const first = Number(ip.split('.')[0]);
    if (ip === '0.0.0.0') return 'the unspecified address';
    if (first === 127) return 'a loopback address';
    if (first >= 224) return 'a multicast or reserved address';
    return undefined;
  }
  const c = canonicalIp(ip);
  if (c === '::') return 'the unspecified address';
  if (c === '::1') return 'a loopback address';
  if (c.startsWith('ff')) return 'a multicast address';
  return undefined;
}

const versionTuple = (v: string) => v.split('-')[0].split('.').map(Number) as [number, number, number];

function checkSemantics(spec: ClusterSpec, issues: SpecIssue[], warnings: string[]): void {
  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  const sshHosts = new Map<string, number>();
  spec.members.forEach((m, i) => {
    const at = `members[${i}]`;
    const firstName = names.get(m.name);
    if (firstName !== undefined) issues.push({ path: `${at}.name`, message: `"${m.name}" is already used by members[${firstName}]: member names must be unique` });
    else names.set(m.name, i);
    const ip = canonicalIp(m.address);
    const firstAddr = addresses.get(ip);
    if (firstAddr !== undefined) issues.push({ path: `${at}.address`, message: `"${m.address}" is already used by members[${firstAddr}]: member addresses must be unique` });
    else addresses.set(ip, i);
    const bad = isUnroutableMemberAddress(m.address);
    if (bad) issues.push({ path: `${at}.address`, message: `"${m.address}" is ${bad}: members must reach each other on it` });
    const sshHost = m.sshHost ?? m.address;
    const firstSsh = sshHosts.get(sshHost);
    if (firstSsh !== undefined) issues.push({ path: `${at}.sshHost`, message: `"${sshHost}" is already the SSH host of members[${firstSsh}]: each member needs its own host` });
    else sshHosts.set(sshHost, i);
  });
  const active = spec.members.filter((m) => !m.remove).length;
  const removed = spec.members.length - active;
  const majority = Math.floor(spec.members.length / 2) + 1;
  if (removed > 0 && active < majority) {
    issues.push({ path: 'members', message: `removing ${removed} of ${spec.members.length} members in one apply would leave ${active}, below a majority (${majority}) of the current members: remove fewer per apply` });
  } else if (spec.members.length > 0 && spec.members[0]?.remove) {
    issues.push({ path: 'members[0].remove', message: 'the first member runs the health check and cannot be removed: reorder the members so that a remaining member comes first' });
  }
  if (active % 2 === 0 && active > 0) {
    warnings.push(`${active} members: an even member count tolerates no more failures than ${active - 1} members; an odd count is recommended`);
  }

  const etcd = spec.etcd ?? {};
  const arch: CpuArch = etcd.arch ?? DEFAULTS.etcd.arch;
  const version = etcd.version ?? DEFAULT_ETCD_VERSION;
  const [major, minor] = versionTuple(version);
  if (major !== 3 || minor < 4) {
    issues.push({ path: 'etcd.version', message: `"${version}" is not supported: this tool deploys etcd 3.4 or later within major version 3` });
  }
  const pinned = pinnedSha256(version, arch);
  if (etcd.downloadUrl !== undefined && etcd.sha256 === undefined) {
    issues.push({ path: 'etcd.sha256', message: 'is required when etcd.downloadUrl is set: a mirror must be verified against the checksum you expect' });
  } else if (pinned === undefined && etcd.sha256 === undefined) {
    issues.push({ path: 'etcd.sha256', message: `is required for etcd ${version}/${arch}: only ${Object.keys(PINNED_RELEASES).join(', ')} have pinned checksums` });
  } else if (pinned !== undefined && etcd.sha256 !== undefined && etcd.downloadUrl === undefined && etcd.sha256 !== pinned) {
    issues.push({ path: 'etcd.sha256', message: `does not match the published sha256 of etcd ${version}/${arch} (${pinned})` });
  }
  const ports = [['clientPort', etcd.clientPort ?? DEFAULTS.etcd.clientPort], ['peerPort', etcd.peerPort ?? DEFAULTS.etcd.peerPort], ['metricsPort', etcd.metricsPort ?? DEFAULTS.etcd.metricsPort]] as const;
  ports.forEach(([key, p], i) => {
    const clash = ports.slice(0, i).find(([, q]) => q === p);
    if (clash) issues.push({ path: `etcd.${key}`, message: `${p} is already etcd.${clash[0]}: the three ports must differ` });
  });

  const dirs = [
    ['snapshots.dir', spec.snapshots?.dir ?? DEFAULTS.snapshots.dir],
    ['etcd.dataDir', etcd.dataDir ?? DEFAULTS.etcd.dataDir],
    ['paths.stateDir', spec.paths?.stateDir ?? DEFAULTS.paths.stateDir],
    ['paths.pkiDir', spec.paths?.pkiDir ?? DEFAULTS.paths.pkiDir],
  ] as const;
  for (const [key, dir] of dirs) {
    const example: Record<string, string> = { 'etcd.dataDir': '/var/lib/etcd', 'paths.stateDir': '/var/lib/etcd-deploy', 'paths.pkiDir': '/etc/kubernetes/pki', 'snapshots.dir': '/var/lib/etcd-snapshots' };
    if (SYSTEM_DIRS.has(dir)) issues.push({ path: key, message: `"${dir}" is a system directory: use a dedicated directory such as ${example[key]}` });
  }
  dirs.forEach(([key, dir], i) => {
    dirs.forEach(([otherKey, other], j) => {
      if (i !== j && (dir === other ? i > j : dir.startsWith(`${other}/`))) {
        issues.push({ path: key, message: `"${dir}" overlaps ${otherKey} ("${other}"): data, state and PKI directories must be separate` });
      }
    });
  });

  const pki = spec.pki ?? {};
  const caValidity = pki.caValidityHours ?? DEFAULTS.pki.caValidityHours;
  const certValidity = pki.certValidityHours ?? DEFAULTS.pki.certValidityHours;
  if (certValidity > caValidity) issues.push({ path: 'pki.certValidityHours', message: `${certValidity} exceeds pki.caValidityHours (${caValidity}): a leaf must not outlive its CA` });
  if ((pki.certEarlyRenewalHours ?? DEFAULTS.pki.certEarlyRenewalHours) >= certValidity) {
    issues.push({ path: 'pki.certEarlyRenewalHours', message: `${pki.certEarlyRenewalHours ?? DEFAULTS.pki.certEarlyRenewalHours} must be less than pki.certValidityHours (${certValidity}), or every apply would renew the certificates` });
  }
  if ((pki.caEarlyRenewalHours ?? DEFAULTS.pki.caEarlyRenewalHours) >= caValidity) {
    issues.push({ path: 'pki.caEarlyRenewalHours', message: `${pki.caEarlyRenewalHours ?? DEFAULTS.pki.caEarlyRenewalHours} must be less than pki.caValidityHours (${caValidity}), or every apply would renew the CA` });
  }
  const health = spec.health ?? {};
  const timeout = health.timeoutSeconds ?? DEFAULTS.health.timeoutSeconds;
  const interval = health.intervalSeconds ?? DEFAULTS.health.intervalSeconds;
  if (interval >= timeout) issues.push({ path: 'health.intervalSeconds', message: `${interval} must be less than health.timeoutSeconds (${timeout})` });
}

function resolve(spec: ClusterSpec, warnings: string[]): ResolvedCluster {
  const etcd = spec.etcd ?? {};
  const arch = etcd.arch ?? DEFAULTS.etcd.arch;
  const version = etcd.version ?? DEFAULT_ETCD_VERSION;
  const downloadUrl = (etcd.downloadUrl ?? upstreamTarballUrl(version, arch)).replace(/\{version\}/g, version).replace(/\{arch\}/g, arch);
  const ssh = spec.ssh ?? {};
  const members: ResolvedMember[] = spec.members.map((m, index) => ({
    name: m.name,
    address: m.address,
    sshHost: m.sshHost ?? m.address,
    hostKey: m.hostKey,
    extraSans: m.extraSans ?? [],
    remove: m.remove ?? false,
    index,
  }));
  return {
    members,
    ssh: {
      user: ssh.user ?? DEFAULTS.ssh.user,
      port: ssh.port ?? DEFAULTS.ssh.port,
      privateKeyFile: ssh.privateKeyFile,
      timeout: ssh.timeout ?? DEFAULTS.ssh.timeout,
      bastion: ssh.bastion && {
        host: ssh.bastion.host,
        user: ssh.bastion.user ?? ssh.user ?? DEFAULTS.ssh.user,
        port: ssh.bastion.port ?? 22,
        privateKeyFile: ssh.bastion.privateKeyFile ?? ssh.privateKeyFile,
        hostKey: ssh.bastion.hostKey,
      },
    },
    etcd: {
      version,
      arch,
      downloadUrl,
      sha256: etcd.sha256 ?? (pinnedSha256(version, arch) as string),
      clusterToken: etcd.clusterToken ?? DEFAULTS.etcd.clusterToken,
      clientPort: etcd.clientPort ?? DEFAULTS.etcd.clientPort,
      peerPort: etcd.peerPort ?? DEFAULTS.etcd.peerPort,
      metricsPort: etcd.metricsPort ?? DEFAULTS.etcd.metricsPort,
      dataDir: etcd.dataDir ?? DEFAULTS.etcd.dataDir,
      binDir: etcd.binDir ?? DEFAULTS.etcd.binDir,
      unitName: etcd.unitName ?? DEFAULTS.etcd.unitName,
    },
    pki: { ...DEFAULTS.pki, ...spec.pki },
    paths: { ...DEFAULTS.paths, ...spec.paths },
    health: { ...DEFAULTS.health, ...spec.health },
    snapshots: { ...DEFAULTS.snapshots, ...spec.snapshots },
    backend: spec.backend ?? { type: 'local', path: DEFAULTS.localBackendPath },
    warnings,
  };
}

/**
 * Validates a spec (from a file or from construct props) and applies the defaults.
 * Throws `SpecValidationError` listing every problem; nothing is synthesized from a bad spec.
 */
export function validateClusterSpec(input: unknown): ResolvedCluster {
  const issues: SpecIssue[] = [];
  checkStructure(input, CLUSTER_SPEC_FIELD, '', issues);
  const warnings: string[] = [];
  const record = input as Record<string, unknown> | null;
  const membersUsable = typeof record === 'object' && record !== null && Array.isArray(record.members) && record.members.every((m) => typeof m === 'object' && m !== null);
  if (issues.length === 0 || membersUsable) {
    // Semantic rules run even after structural findings, so one run reports duplicates too; a path
    // already reported keeps its first (structural) message.
    const semantic: SpecIssue[] = [];
    try {
      checkSemantics(input as ClusterSpec, semantic, warnings);
    } catch (e) {
      if (issues.length === 0) throw e;
    }
    const seen = new Set(issues.map((i) => i.path));
    issues.push(...semantic.filter((i) => !seen.has(i.path)));
  }
  if (issues.length > 0) throw new SpecValidationError(issues);
  return resolve(input as ClusterSpec, warnings);
}
