// The lab's own cgroups: every process a lab starts (host launchers, nspawn, the guests, the artefact
// server) lives under <root>/<lab>/<unit>, so teardown can find and kill all of it, even after the
// node process that started it died.
import * as fs from 'fs';
import * as path from 'path';
import { cgroupLayout } from './prerequisites';

/** The hierarchies the lab uses: name=systemd and cgroup2 on hybrid machines, cgroup2 alone otherwise. */
export function cgroupRoots(): string[] {
  return cgroupLayout() === 'unified' ? ['/sys/fs/cgroup'] : ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'];
}

/** All hierarchies mounted under /sys/fs/cgroup, to look for leftovers in any of them. */
function allHierarchies(): string[] {
  if (cgroupLayout() === 'unified') return ['/sys/fs/cgroup'];
  return fs
    .readdirSync('/sys/fs/cgroup')
    .map((d) => path.join('/sys/fs/cgroup', d))
    .filter((d) => fs.existsSync(path.join(d, 'cgroup.procs')));
}

export const unitCgroupDirs = (lab: string, unit: string): string[] => cgroupRoots().map((r) => path.join(r, lab, unit));

/**
 * Lab cgroup directories (top level, any hierarchy) whose name starts with `prefix` and that look
 * like a lab's: only host units (eN) and the artefact server below them.
 */
export function listLabCgroups(prefix: string): string[] {
  if (!prefix) throw new Error('listLabCgroups needs a non-empty name prefix');
  const found: string[] = [];
  for (const h of allHierarchies()) {
    for (const d of fs.readdirSync(h, { withFileTypes: true })) {
      if (!d.isDirectory() || !d.name.startsWith(prefix)) continue;
      const units = fs.readdirSync(path.join(h, d.name), { withFileTypes: true }).filter((u) => u.isDirectory());
      if (units.every((u) => /^(e\d+|artefacts)$/.test(u.name))) found.push(path.join(h, d.name));
    }
  }
  return found.sort();
}

/**
 * `dir` and every cgroup below it. A guest's systemd removes a unit's cgroup when the unit stops
 * (a host shutting down removes many), also between our listing of a directory and our reading of
 * it: a cgroup that vanished holds no processes, so it is skipped, not an error.
 */
function walk(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const dirs = [dir];
  for (const d of entries) {
    if (d.isDirectory()) dirs.push(...walk(path.join(dir, d.name)));
  }
  return dirs;
}

/** Process ids in `dir` and every cgroup below it. */
export function pidsBelow(dir: string): number[] {
  const pids: number[] = [];
  for (const d of walk(dir)) {
    try {
      for (const line of fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').split('\n')) {
        if (line.trim()) pids.push(Number(line));
      }
    } catch {
      // the cgroup vanished while we walked
    }
  }
  return [...new Set(pids)];
}

/** Processes of the lab (or one unit), in the hierarchies the lab puts them in. */
export function labPids(lab: string, unit?: string): number[] {
  const dirs = cgroupRoots().map((h) => (unit ? path.join(h, lab, unit) : path.join(h, lab)));
  return [...new Set(dirs.flatMap(pidsBelow))];
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** SIGKILLs everything in the lab's (or one unit's) cgroups and waits until they are empty. */
export function killCgroupSync(lab: string, unit?: string, timeoutMs = 15_000): number[] {
  const killed = new Set<number>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const root of cgroupRoots()) {
      const killFile = path.join(root, lab, ...(unit ? [unit] : []), 'cgroup.kill');
      if (fs.existsSync(killFile)) {
        try {
          fs.writeFileSync(killFile, '1');
        } catch {
          // older kernels: fall through to per-process kill
        }
      }
    }
    const pids = labPids(lab, unit);
    if (pids.length === 0) return [...killed];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // already gone
      }
    }
    if (Date.now() > deadline) throw new Error(`[lab] processes of ${lab}${unit ? `/${unit}` : ''} survive SIGKILL: ${pids.join(' ')}`);
    sleepSync(50);
  }
}

/** Removes the (empty) cgroup directories of the lab, deepest first, in every hierarchy. */
export function removeCgroupsSync(lab: string, unit?: string): string[] {
  const removed: string[] = [];
  for (const h of allHierarchies()) {
    const top = unit ? path.join(h, lab, unit) : path.join(h, lab);
    for (const d of walk(top).reverse()) {
      try {
        fs.rmdirSync(d);
        if (d === top) removed.push(`cgroup ${d}`);
      } catch (e) {
        process.stderr.write(`[lab] rmdir ${d}: ${String(e)}\n`);
      }
    }
  }
  return removed;
}

/** Removes the cgroups a stopped host's guest systemd left below its unit, so the next boot starts clean. */
export function clearUnitChildrenSync(lab: string, unit: string): void {
  for (const root of cgroupRoots()) {
    const top = path.join(root, lab, unit);
    for (const d of walk(top).reverse()) {
      if (d === top) continue;
      try {
        fs.rmdirSync(d);
      } catch {
        // still in use or already gone
      }
    }
  }
}

/**
 * The CPU time (ms) every process of a lab's units has used so far (its hosts: their systemd, sshd,
 * etcd and whatever the scripts run; the artefact server), from the cgroup2 hierarchy's cpu.stat;
 * null where that hierarchy or a unit's cpu.stat is missing.
 */
export function labCpuMs(lab: string): number | null {
  const root = cgroupRoots().find((r) => fs.existsSync(path.join(r, 'cgroup.controllers')));
  if (!root) return null;
  const dir = path.join(root, lab);
  let total = 0;
  try {
    for (const unit of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!unit.isDirectory()) continue;
      const usage = /^usage_usec (\d+)$/m.exec(fs.readFileSync(path.join(dir, unit.name, 'cpu.stat'), 'utf8'));
      if (!usage) return null;
      total += Number(usage[1]) / 1000;
    }
  } catch {
    return null;
  }
  return total;
}
