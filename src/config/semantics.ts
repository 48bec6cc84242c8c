/**
 * Rules across fields, on the resolved spec (every default applied): unique names, addresses and
 * SSH hosts; routable addresses; how many members may leave at once; the release and its
 * checksum; ports, directories, validities and the health timing. Each finding names the spec path
 * and the rule. Warnings (e.g. an even member count) do not fail the synth.
 */
import { flagName, flagValue, MANAGED_FLAGS } from './etcd-flags';
import { isIP } from 'node:net';
import { PINNED_RELEASES, pinnedSha256 } from './releases';
import { canonicalIp, MEMBER_ADDRESS_PLACEHOLDER, MetricsUrl, parseMetricsUrl, RULES } from './rules';
import { SpecIssue } from './structure';
import type { ResolvedClusterSpec } from './types';

/** Directories the provisioner must never chmod 0700 or clean: a typo here would break the host. */
const SYSTEM_DIRS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/local',
  '/usr/sbin',
  '/var',
  '/var/lib',
  '/var/log',
  '/var/tmp',
]);

/**
 * Units this tool must never write or later stop and disable: the SSH daemon it talks through,
 * systemd's own, and what runs beside etcd on a Kubernetes host.
 */
const SYSTEM_UNITS =
  /^(ssh|sshd|systemd-.*|dbus|dbus-broker|cron|crond|rsyslog|syslog|getty@.*|serial-getty@.*|user@.*|networking|network|NetworkManager|systemd|udev|polkit|auditd|chrony|chronyd|ntp|ntpd|ntpsec|firewalld|ufw|nftables|iptables|apparmor|cloud-init.*|snapd|kubelet|containerd|docker|crio|cri-docker|kube-.*)$/;

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

export interface SemanticFindings {
  readonly issues: SpecIssue[];
  readonly warnings: string[];
}

export function checkSemantics(spec: ResolvedClusterSpec, provided: ReadonlySet<string>): SemanticFindings {
  const issues: SpecIssue[] = [];
  const warnings: string[] = [];
  checkMembers(spec, issues, warnings);
  checkHostKeys(spec, warnings);
  checkRelease(spec, provided, issues);
  checkPortsAndDirs(spec, issues);
  checkTiming(spec, issues);
  checkServer(spec, provided, issues);
  checkMetricsUrls(spec, provided, issues, warnings);
  checkSandbox(spec, issues);
  return { issues, warnings };
}

function checkMembers(spec: ResolvedClusterSpec, issues: SpecIssue[], warnings: string[]): void {
  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  const sshHosts = new Map<string, number>();
  spec.members.forEach((m, i) => {
    const at = `members[${i}]`;
    const firstName = names.get(m.name);
    if (firstName !== undefined)
      issues.push({ path: `${at}.name`, message: `"${m.name}" is already used by members[${firstName}]: member names must be unique` });
    else names.set(m.name, i);
    const ip = canonicalIp(m.address);
    const firstAddr = addresses.get(ip);
    if (firstAddr !== undefined)
      issues.push({ path: `${at}.address`, message: `"${m.address}" is already used by members[${firstAddr}]: member addresses must be unique` });
    else addresses.set(ip, i);
    const bad = isUnroutableMemberAddress(m.address);
    if (bad) issues.push({ path: `${at}.address`, message: `"${m.address}" is ${bad}: members must reach each other on it` });
    const firstSsh = sshHosts.get(m.sshHost);
    if (firstSsh !== undefined)
      issues.push({ path: `${at}.sshHost`, message: `"${m.sshHost}" is already the SSH host of members[${firstSsh}]: each member needs its own host` });
    else sshHosts.set(m.sshHost, i);
  });
  const active = spec.members.filter((m) => !m.remove).length;
  const removed = spec.members.length - active;
  const majority = Math.floor(spec.members.length / 2) + 1;
  if (removed > 0 && active < majority) {
    issues.push({
      path: 'members',
      message: `removing ${removed} of ${spec.members.length} members in one apply would leave ${active}, below a majority (${majority}) of the current members: remove fewer per apply`,
    });
  }
  if (active % 2 === 0 && active > 0) {
    warnings.push(`${active} members: an even member count tolerates no more failures than ${active - 1} members; an odd count is recommended`);
  }
}

/**
 * Host keys: without one, Terraform's SSH connection accepts whatever answers at the address, and
 * the provisioner hands it the member's private keys. Allowed (a first deploy often starts so), but
 * said at every synth, naming the hosts.
 */
function checkHostKeys(spec: ResolvedClusterSpec, warnings: string[]): void {
  const unpinned = spec.members.filter((m) => !m.remove && m.hostKey === undefined).map((m) => m.name);
  if (unpinned.length > 0) {
    warnings.push(
      `host key not pinned for ${unpinned.join(', ')} (members[].hostKey): Terraform will accept any host that answers at that SSH address and send it the member's private keys; collect the keys with ssh-keyscan (README, "Host keys")`,
    );
  }
  const bastion = spec.ssh.bastion;
  if (bastion !== undefined && bastion.hostKey === undefined) {
    warnings.push(
      `host key not pinned for the bastion ${bastion.host} (ssh.bastion.hostKey): Terraform will accept any host that answers there and route every member's connection through it; collect the key with ssh-keyscan (README, "Host keys")`,
    );
  }
}

function checkRelease(spec: ResolvedClusterSpec, provided: ReadonlySet<string>, issues: SpecIssue[]): void {
  const { version, arch } = spec.etcd;
  const [major, minor] = versionTuple(version);
  if (major !== 3 || minor < 4) {
    issues.push({ path: 'etcd.version', message: `"${version}" is not supported: this tool deploys etcd 3.4 or later within major version 3` });
  }
  const pinned = pinnedSha256(version, arch);
  const mirror = provided.has('etcd.downloadUrl');
  const sha = provided.has('etcd.sha256') ? spec.etcd.sha256 : undefined;
  if (mirror && sha === undefined) {
    issues.push({ path: 'etcd.sha256', message: 'is required when etcd.downloadUrl is set: a mirror must be verified against the checksum you expect' });
  } else if (pinned === undefined && sha === undefined) {
    issues.push({
      path: 'etcd.sha256',
      message: `is required for etcd ${version}/${arch}: only ${Object.keys(PINNED_RELEASES).join(', ')} have pinned checksums`,
    });
  } else if (pinned !== undefined && sha !== undefined && !mirror && !provided.has('etcd.localTarball') && sha !== pinned) {
    issues.push({ path: 'etcd.sha256', message: `does not match the published sha256 of etcd ${version}/${arch} (${pinned})` });
  }
}

function checkPortsAndDirs(spec: ResolvedClusterSpec, issues: SpecIssue[]): void {
  const { etcd } = spec;
  if (etcd.peerPort === etcd.clientPort) {
    issues.push({ path: 'etcd.peerPort', message: `${etcd.peerPort} is already etcd.clientPort: the client and peer ports must differ` });
  }
  // The metrics ports (etcd.metricsPort's default URL, or etcd.metricsUrls): checkMetricsUrls.

  // Paths arrive normalised (no repeated or trailing slashes), so "//etc" and "/etc/" are "/etc".
  const dirs = [
    ['snapshots.dir', spec.snapshots.dir],
    ['etcd.dataDir', etcd.dataDir],
    ['paths.stateDir', spec.paths.stateDir],
    ['paths.pkiDir', spec.paths.pkiDir],
    ['etcd.binDir', etcd.binDir],
  ] as const;
  const example: Record<string, string> = {
    'etcd.dataDir': '/var/lib/etcd',
    'paths.stateDir': '/var/lib/etcd-deploy',
    'paths.pkiDir': '/etc/kubernetes/pki',
    'snapshots.dir': '/var/lib/etcd-snapshots',
    'etcd.binDir': '/usr/local/bin',
  };
  for (const [key, dir] of dirs) {
    if (SYSTEM_DIRS.has(dir)) issues.push({ path: key, message: `"${dir}" is a system directory: use a dedicated directory such as ${example[key]}` });
  }
  dirs.forEach(([key, dir], i) => {
    dirs.forEach(([otherKey, other], j) => {
      if (i !== j && (dir === other ? i > j : dir.startsWith(`${other}/`))) {
        issues.push({ path: key, message: `"${dir}" overlaps ${otherKey} ("${other}"): the bin, data, state, snapshot and PKI directories must be separate` });
      }
    });
  });
  if (SYSTEM_UNITS.test(etcd.unitName)) {
    issues.push({
      path: 'etcd.unitName',
      message: `"${etcd.unitName}" is a system unit: this tool would overwrite it and stop it on removal; choose a name of its own such as etcd`,
    });
  }
}

function checkTiming(spec: ResolvedClusterSpec, issues: SpecIssue[]): void {
  const { pki, health } = spec;
  if (pki.certValidityHours > pki.caValidityHours)
    issues.push({
      path: 'pki.certValidityHours',
      message: `${pki.certValidityHours} exceeds pki.caValidityHours (${pki.caValidityHours}): a leaf must not outlive its CA`,
    });
  if (pki.certEarlyRenewalHours >= pki.certValidityHours) {
    issues.push({
      path: 'pki.certEarlyRenewalHours',
      message: `${pki.certEarlyRenewalHours} must be less than pki.certValidityHours (${pki.certValidityHours}), or every apply would renew the certificates`,
    });
  }
  if (pki.caEarlyRenewalHours >= pki.caValidityHours) {
    issues.push({
      path: 'pki.caEarlyRenewalHours',
      message: `${pki.caEarlyRenewalHours} must be less than pki.caValidityHours (${pki.caValidityHours}), or every apply would renew the CA`,
    });
  }
  if (health.intervalSeconds >= health.timeoutSeconds)
    issues.push({ path: 'health.intervalSeconds', message: `${health.intervalSeconds} must be less than health.timeoutSeconds (${health.timeoutSeconds})` });
}

function checkServer(spec: ResolvedClusterSpec, provided: ReadonlySet<string>, issues: SpecIssue[]): void {
  const { server } = spec;
  if (server.electionTimeoutMs < 5 * server.heartbeatIntervalMs) {
    issues.push({
      path: 'server.electionTimeoutMs',
      message: `${server.electionTimeoutMs} must be at least 5 × server.heartbeatIntervalMs (${5 * server.heartbeatIntervalMs}): etcd refuses to start otherwise`,
    });
  }
  if (server.tlsMinVersion === 'TLS1.3' && server.cipherSuites.length > 0) {
    issues.push({
      path: 'server.cipherSuites',
      message: 'must be empty with server.tlsMinVersion TLS1.3: TLS 1.3 suites are not configurable, and etcd refuses both',
    });
  }
  const [, minor] = versionTuple(spec.etcd.version);
  if (minor < 5) {
    for (const key of ['tlsMinVersion', 'cipherSuites']) {
      if (provided.has(`server.${key}`)) issues.push({ path: `server.${key}`, message: `needs etcd 3.5 or later (etcd.version is ${spec.etcd.version})` });
    }
  }
  if (server.autoCompactionMode === 'revision' && !/^[0-9]+$/.test(server.autoCompactionRetention)) {
    issues.push({ path: 'server.autoCompactionRetention', message: `"${server.autoCompactionRetention}" must be a revision count in revision mode` });
  }
  const seen = new Map<string, number>();
  server.extraArgs.forEach((arg, i) => {
    if (!arg.startsWith('--')) return; // not a flag: the structure check said so
    const name = flagName(arg);
    if (MANAGED_FLAGS.includes(name)) {
      issues.push({ path: `server.extraArgs[${i}]`, message: `"${arg}": --${name} is set by this tool; use the spec field for it, or leave it` });
    }
    if (name === 'peer-cert-allowed-cn' && server.peerPlane === 'peers-only') {
      issues.push({
        path: `server.extraArgs[${i}]`,
        message: `"${arg}": etcd refuses --peer-cert-allowed-cn beside --peer-cert-allowed-hostname, which server.peerPlane peers-only sets; use one of them`,
      });
    }
    const first = seen.get(name);
    if (first !== undefined) issues.push({ path: `server.extraArgs[${i}]`, message: `"${arg}": --${name} is already given in server.extraArgs[${first}]` });
    else seen.set(name, i);
  });
}

/** Hosts a metrics URL may name that only this machine reaches. */
const isLoopback = (host: string): boolean => (isIP(host) === 4 ? host.split('.')[0] === '127' : canonicalIp(host) === '::1');
/** Two listeners on one port collide: the same address, or a wildcard covering the other. */
function bindsOver(a: string, b: string): boolean {
  if (a === b || a === '::' || b === '::') return true;
  return (a === '0.0.0.0' && isIP(b) === 4) || (b === '0.0.0.0' && isIP(a) === 4);
}

/**
 * Metrics listeners: one source for their ports (etcd.metricsPort only makes the default URL),
 * none on the client or peer port, no socket twice on a member, no member's address in a URL every
 * member listens on; and a warning for plain HTTP off loopback, which answers anyone.
 */
function checkMetricsUrls(spec: ResolvedClusterSpec, provided: ReadonlySet<string>, issues: SpecIssue[], warnings: string[]): void {
  const { etcd } = spec;
  if (provided.has('etcd.metricsUrls') && provided.has('etcd.metricsPort')) {
    issues.push({
      path: 'etcd.metricsPort',
      message: 'only sets the port of the default metrics URL: with etcd.metricsUrls given, give the ports in the URLs and leave etcd.metricsPort out',
    });
  }
  const at = (i: number) => (provided.has('etcd.metricsUrls') ? `etcd.metricsUrls[${i}]` : 'etcd.metricsPort');
  const urls = etcd.metricsUrls.map(parseMetricsUrl);
  const active = spec.members.filter((m) => !m.remove);
  urls.forEach((u, i) => {
    if (!u) return; // the structure check said so
    if (u.port === etcd.clientPort || u.port === etcd.peerPort) {
      const which = u.port === etcd.clientPort ? 'clientPort' : 'peerPort';
      issues.push({ path: at(i), message: `port ${u.port} is already etcd.${which}: the metrics listener needs a port of its own` });
    }
    const owner = active.find((m) => u.host !== MEMBER_ADDRESS_PLACEHOLDER && canonicalIp(m.address) === canonicalIp(u.host));
    if (owner && active.length > 1) {
      issues.push({
        path: at(i),
        message: `"${etcd.metricsUrls[i]}" is ${owner.name}'s address, and every member listens on these URLs: the others cannot bind it; use ${MEMBER_ADDRESS_PLACEHOLDER} for each member's own address`,
      });
    }
  });
  // On each member the URLs must bind different sockets: the same address and port twice, or a
  // port a wildcard already holds ([::] holds it for IPv4 too, Linux's default dual stack).
  for (const member of active) {
    const sockets: Array<{ host: string; port: number; i: number }> = [];
    urls.forEach((u, i) => {
      if (!u) return;
      const host = canonicalIp(u.host === MEMBER_ADDRESS_PLACEHOLDER ? member.address : u.host);
      const clash = sockets.find((o) => o.port === u.port && bindsOver(o.host, host));
      if (clash && !issues.some((x) => x.path === at(i))) {
        issues.push({
          path: at(i),
          message: `"${etcd.metricsUrls[i]}" binds the same socket on ${member.name} as etcd.metricsUrls[${clash.i}] ("${etcd.metricsUrls[clash.i]}"): each URL needs its own address and port`,
        });
      }
      sockets.push({ host, port: u.port, i });
    });
  }
  const exposed = etcd.metricsUrls.filter((_, i) => {
    const u: MetricsUrl | undefined = urls[i];
    return u !== undefined && u.scheme === 'http' && !isLoopback(u.host);
  });
  if (exposed.length > 0) {
    warnings.push(
      `metrics served over plain HTTP beyond loopback (${exposed.join(', ')}; etcd.metricsUrls): anyone who can reach them reads /metrics and /health without a certificate; firewall the port to your scrapers, or use https (a client certificate from the etcd CA is then required)`,
    );
  }
}

/** Directories systemd's sandbox (server.sandbox) hides from etcd: ProtectHome=yes, PrivateTmp=yes. */
export const SANDBOX_HIDDEN_DIRS = ['/home', '/root', '/run/user', '/tmp', '/var/tmp'] as const;

/**
 * Under the sandbox, etcd must find its binary, certificates and data outside the directories the
 * sandbox hides, and a --wal-dir must be a plain absolute path (the unit makes it writable).
 */
function checkSandbox(spec: ResolvedClusterSpec, issues: SpecIssue[]): void {
  if (!spec.server.sandbox) return;
  const hidden = (dir: string) => SANDBOX_HIDDEN_DIRS.find((h) => dir === h || dir.startsWith(`${h}/`));
  const dirs: Array<[string, string]> = [
    ['etcd.dataDir', spec.etcd.dataDir],
    ['etcd.binDir', spec.etcd.binDir],
    ['paths.pkiDir', spec.paths.pkiDir],
  ];
  spec.server.extraArgs.forEach((arg, i) => {
    if (flagName(arg) !== 'wal-dir') return;
    const dir = flagValue(arg) ?? '';
    if (!RULES.absolutePath.test(dir)) {
      issues.push({ path: `server.extraArgs[${i}]`, message: `"${arg}": the wal dir must be ${RULES.absolutePath.name} (the sandbox makes it writable)` });
    } else dirs.push([`server.extraArgs[${i}]`, dir]);
  });
  for (const [path, dir] of dirs) {
    const h = hidden(dir);
    if (h) {
      issues.push({
        path,
        message: `"${dir}" is under ${h}, which server.sandbox hides from etcd (ProtectHome, PrivateTmp): choose another directory, or set server.sandbox to false`,
      });
    }
  }
}
