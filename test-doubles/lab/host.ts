// One lab host: a systemd-nspawn container booted by scripts/host-launcher.sh, which runs in the
// host's own cgroup and mount namespace, mounts the host's overlay on the shared rootfs, and boots
// the guest again after each reboot (exit 133). The overlay's upper dir holds everything the host
// changes, so it survives reboots and stop/start; teardown deletes it.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { clearUnitChildrenSync, killCgroupSync, pidsBelow, unitCgroupDirs } from './cgroups';
import { sleep } from './run';

const SCRIPTS = path.join(__dirname, 'scripts');

export interface HostLayout {
  lab: string;
  name: string;
  address: string;
  netns: string;
  /** stateDir/hosts/<name>: upper, work, merged (mount point), launcher.log, launcher.pid, boots. */
  dir: string;
  rootfsDir: string;
}

export const machineName = (h: HostLayout): string => `${h.lab}-${h.name}`;

/** Seeds the host's overlay upper dir: per-lab root key, hostname, /etc/hosts naming every lab host. */
export function prepareHostDir(h: HostLayout, opts: { authorizedKey: string; etcHosts: string; machineUuid: string }): void {
  const upper = path.join(h.dir, 'upper');
  for (const d of ['work', 'merged']) fs.mkdirSync(path.join(h.dir, d), { recursive: true });
  fs.mkdirSync(path.join(upper, 'etc'), { recursive: true, mode: 0o755 });
  fs.mkdirSync(path.join(upper, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  fs.chmodSync(path.join(upper, 'root'), 0o700);
  fs.chmodSync(path.join(upper, 'root', '.ssh'), 0o700);
  fs.writeFileSync(path.join(upper, 'root', '.ssh', 'authorized_keys'), `${opts.authorizedKey}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(upper, 'etc', 'hostname'), `${h.name}\n`);
  fs.writeFileSync(path.join(upper, 'etc', 'hosts'), opts.etcHosts);
  fs.writeFileSync(path.join(h.dir, 'machine-uuid'), `${opts.machineUuid}\n`);
}

/** Starts the launcher in the host's cgroups, detached, so a lab made by the CLI outlives the CLI. */
export function launchHost(h: HostLayout): number {
  clearUnitChildrenSync(h.lab, h.name);
  const log = fs.openSync(path.join(h.dir, 'launcher.log'), 'a');
  const uuid = fs.readFileSync(path.join(h.dir, 'machine-uuid'), 'utf8').trim();
  const child = spawn(
    path.join(SCRIPTS, 'in-cgroups.sh'),
    [...unitCgroupDirs(h.lab, h.name), '--', path.join(SCRIPTS, 'host-launcher.sh'), machineName(h), h.name, h.rootfsDir, h.dir, `/run/netns/${h.netns}`, uuid],
    { detached: true, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  child.unref();
  if (!child.pid) throw new Error(`[lab] could not start the launcher of ${h.name}`);
  fs.writeFileSync(path.join(h.dir, 'launcher.pid'), `${child.pid}\n`);
  return child.pid;
}

/** The launcher's pid, if it is still that launcher (guards against pid reuse). */
export function launcherPid(h: HostLayout): number | undefined {
  const pidFile = path.join(h.dir, 'launcher.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('host-launcher.sh') && cmdline.includes(machineName(h)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** How many times the launcher has started nspawn (goes up by one per guest reboot). */
export function bootCount(h: HostLayout): number {
  try {
    return Number(fs.readFileSync(path.join(h.dir, 'boots'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

/** Powers the guest off (SIGTERM to the launcher → nspawn → guest poweroff); SIGKILLs what is left after `graceMs`. */
export async function stopHostProcesses(h: HostLayout, graceMs = 15_000): Promise<void> {
  const pid = launcherPid(h);
  if (pid) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && unitPids(h).length > 0) await sleep(100);
  killCgroupSync(h.lab, h.name);
}

function unitPids(h: HostLayout): number[] {
  return unitCgroupDirs(h.lab, h.name).flatMap(pidsBelow);
}
