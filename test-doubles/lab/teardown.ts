// Removing a lab from the machine, completely and synchronously (so exit handlers can use it), and
// sweeping up labs whose owner died. Everything a lab makes carries its name: cgroups
// <hierarchy>/<lab>, network namespaces <lab>-ctl / <lab>-eN, state dir <labs root>/<lab>.
import * as fs from 'fs';
import * as path from 'path';
import { killCgroupSync, labPids, listLabCgroups, removeCgroupsSync } from './cgroups';
import { listNetns, removeNetworkSync } from './network';
import { runSync } from './run';
import { DEFAULT_NAME_PREFIX, LabRecord, labsRoot, ownerAlive, readRecord, REGISTRY_DIR, registeredLabNames, registryFile, STATE_MARKER } from './state';

/** Mounts in this (the machine's) mount namespace at or below `dir`, deepest first. */
function mountsBelow(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((mp) => mp && (mp === dir || mp.startsWith(`${dir}/`)))
    .map((mp) => mp.replace(/\\040/g, ' '))
    .sort()
    .reverse();
}

/**
 * Kills every process of the lab, then removes its cgroups, network namespaces, any mounts under
 * its state dir, the state dir itself and its registry entry. Returns what it removed.
 */
export function teardownSync(name: string, stateDir?: string): string[] {
  const removed: string[] = [];
  const killed = killCgroupSync(name);
  if (killed.length > 0) removed.push(`processes ${killed.join(' ')}`);
  removed.push(...removeCgroupsSync(name));
  removed.push(...removeNetworkSync(name));
  if (stateDir && fs.existsSync(stateDir)) {
    for (const mp of mountsBelow(stateDir)) {
      if (runSync(['umount', '-l', mp]).code === 0) removed.push(`mount ${mp}`);
    }
    if (fs.existsSync(path.join(stateDir, STATE_MARKER))) {
      fs.rmSync(stateDir, { recursive: true, force: true });
      removed.push(`state dir ${stateDir}`);
      if (path.dirname(stateDir) === labsRoot()) {
        try {
          fs.rmdirSync(labsRoot()); // only when no other lab lives there
        } catch {
          // not empty
        }
      }
    } else {
      process.stderr.write(`[lab] not deleting ${stateDir}: it has no ${STATE_MARKER} marker\n`);
    }
  }
  if (fs.existsSync(registryFile(name))) {
    fs.rmSync(registryFile(name), { force: true });
    removed.push(`registry ${registryFile(name)}`);
  }
  if (registeredLabNames().length === 0) removeSharedDirsSync();
  return removed;
}

/** Stops the lab's watchdog, if that pid is still the watchdog (and not busy tearing down). */
export function stopWatchdog(record: LabRecord): void {
  if (!record.watchdogPid) return;
  try {
    if (fs.readFileSync(`/proc/${record.watchdogPid}/cmdline`, 'utf8').includes('lab-watchdog.sh')) {
      process.kill(record.watchdogPid, 'SIGTERM');
    }
  } catch {
    // gone
  }
}

/** With no lab left: the registry dir, and the mount point the launchers made for nspawn's tmpfs. */
function removeSharedDirsSync(): void {
  for (const dir of [REGISTRY_DIR, '/run/systemd/nspawn']) {
    try {
      fs.rmdirSync(dir); // only when empty
    } catch {
      // not empty, in use, or absent
    }
  }
}

/** Lab names that have something on this machine: registry entries, cgroups, namespaces, state dirs. */
function labNamesOnMachine(prefix: string): string[] {
  const names = new Set<string>(registeredLabNames().filter((n) => n.startsWith(prefix)));
  for (const dir of listLabCgroups(prefix)) names.add(path.basename(dir));
  for (const ns of listNetns(prefix)) {
    const m = ns.match(/^(.*)-(ctl|e\d+)$/);
    if (m) names.add(m[1]);
  }
  if (fs.existsSync(labsRoot())) {
    for (const d of fs.readdirSync(labsRoot())) {
      if (d.startsWith(prefix) && fs.existsSync(path.join(labsRoot(), d, STATE_MARKER))) names.add(d);
    }
  }
  return [...names].sort();
}

/**
 * Tears down leftovers of labs whose name starts with `prefix`: labs whose owning process died,
 * and traces with no record at all. Live labs (owner alive, or a CLI lab with running processes)
 * are kept unless `all` is set. Returns one line per lab removed.
 */
export async function sweepLabs(prefix: string = DEFAULT_NAME_PREFIX, opts: { all?: boolean } = {}): Promise<string[]> {
  if (!prefix) throw new Error('sweepLabs needs a non-empty name prefix');
  const report: string[] = [];
  for (const name of labNamesOnMachine(prefix)) {
    const record = readRecord(name);
    const live = record !== undefined && (record.owner ? ownerAlive(record.owner) : labPids(name).length > 0);
    if (live && !opts.all) continue;
    if (record) stopWatchdog(record);
    const stateDir = record?.stateDir ?? path.join(labsRoot(), name);
    const removed = teardownSync(name, stateDir);
    if (removed.length > 0) report.push(`${name}: ${removed.join(', ')}`);
  }
  return report;
}
