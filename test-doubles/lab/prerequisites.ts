// What the machine must have before a lab can start, and installing the missing Debian packages.
import * as fs from 'fs';
import { commandExists, runChecked, runSync } from './run';

/** Command the lab runs → the Debian package that provides it. */
const REQUIRED_COMMANDS: ReadonlyArray<[command: string, pkg: string]> = [
  ['systemd-nspawn', 'systemd-container'],
  ['debootstrap', 'debootstrap'],
  ['zstd', 'zstd'],
  ['shellcheck', 'shellcheck'],
  ['ssh', 'openssh-client'],
  ['ssh-keygen', 'openssh-client'],
  ['curl', 'curl'],
  ['ip', 'iproute2'],
  ['unshare', 'util-linux'],
  ['flock', 'util-linux'],
  ['dpkg-deb', 'dpkg'],
];

export type CgroupLayout = 'hybrid' | 'unified';

/** Hybrid = cgroup v1 name=systemd plus cgroup2 at /sys/fs/cgroup/unified; unified = cgroup2 only. */
export function cgroupLayout(): CgroupLayout | undefined {
  if (fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) return 'unified';
  if (fs.existsSync('/sys/fs/cgroup/systemd/cgroup.procs') && fs.existsSync('/sys/fs/cgroup/unified/cgroup.procs')) return 'hybrid';
  return undefined;
}

function missingPackages(): string[] {
  const missing = REQUIRED_COMMANDS.filter(([cmd]) => !commandExists(cmd)).map(([, pkg]) => pkg);
  return [...new Set(missing)];
}

function overlayfsAvailable(): boolean {
  if (fs.readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n')) return true;
  return runSync(['modprobe', 'overlay']).code === 0 && fs.readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n');
}

/** Whether this machine can run a lab at all; `reasons` says plainly what is missing. */
export function labSupport(): { ok: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (process.platform !== 'linux') {
    return { ok: false, reasons: [`the lab needs Linux (this is ${process.platform})`] };
  }
  if (process.getuid?.() !== 0) reasons.push('the lab needs root (network namespaces, mounts, cgroups, systemd-nspawn)');
  if (!commandExists('terraform')) reasons.push('terraform is not on the PATH');
  const missing = missingPackages();
  if (missing.length > 0 && !commandExists('apt-get')) {
    reasons.push(`missing packages ${missing.join(', ')} and no apt-get to install them`);
  }
  if (!overlayfsAvailable()) reasons.push('the kernel has no overlayfs (not in /proc/filesystems, modprobe overlay failed)');
  if (!cgroupLayout()) reasons.push('no usable cgroup layout (need cgroup2 at /sys/fs/cgroup, or hybrid name=systemd + /sys/fs/cgroup/unified)');
  if (!fs.existsSync('/proc/self/ns/net')) reasons.push('the kernel has no network namespaces');
  return { ok: reasons.length === 0, reasons };
}

/** Installs whatever the lab needs and the machine lacks, with `--no-install-recommends`. */
export async function ensureLabPrerequisites(log: (s: string) => void = (s) => console.log(s)): Promise<void> {
  const support = labSupport();
  if (!support.ok) throw new Error(`the lab cannot run here:\n- ${support.reasons.join('\n- ')}`);
  const missing = missingPackages();
  if (missing.length === 0) return;
  log(`[lab] INSTALLING Debian packages the lab needs: ${missing.join(' ')} (apt-get --no-install-recommends)`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing];
  try {
    await runChecked(install, { env, timeoutMs: 600_000 });
  } catch (first) {
    log(`[lab] apt-get install failed (${String(first).split('\n')[0]}); running apt-get update and retrying`);
    await runChecked(['apt-get', 'update', '-q'], { env, timeoutMs: 600_000 });
    await runChecked(install, { env, timeoutMs: 600_000 });
  }
  const still = missingPackages();
  if (still.length > 0) throw new Error(`[lab] still missing after apt-get install: ${still.join(', ')}`);
  log(`[lab] installed: ${missing.join(' ')}`);
}
