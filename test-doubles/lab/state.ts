// Where a lab keeps its record: stateDir/lab.json, plus a registry entry /run/etcd-lab/<name>.json
// pointing at it, so `Lab.attach(name)`, the CLI and `sweepLabs` find labs made elsewhere.
import * as fs from 'fs';
import * as path from 'path';
import { cacheRoot } from '../../toolchain/cache';

export const REGISTRY_DIR = '/run/etcd-lab';
export const DEFAULT_NAME_PREFIX = 'etcdlab-';
/** Present in every lab state dir; teardown deletes only directories that carry it. */
export const STATE_MARKER = '.etcd-lab-state';

export interface LabHost {
  name: string;
  address: string;
  netns: string;
  /** Who the lab's own ssh logs in as: root, or the sudo user of a cloud-image-shaped host. @default 'root' */
  loginUser?: string;
}

export interface LabTimings {
  prerequisitesMs?: number;
  rootfsMs?: number;
  rootfsMode?: 'built' | 'restored';
  networkMs?: number;
  bootMs?: number;
  artefactsMs?: number;
  upMs?: number;
  teardownMs?: number;
}

export interface OwnerProcess {
  pid: number;
  startTime: string;
}

export interface LabRecord {
  name: string;
  stateDir: string;
  cacheDir: string;
  rootfsDir: string;
  hosts: LabHost[];
  controllerNetns: string;
  sshPrivateKeyPath: string;
  artefactBaseUrl: string;
  etcdctlPath: string;
  etcdVersion: string;
  /** The process whose exit tears the lab down; null for labs made by the CLI, which persist. */
  owner: OwnerProcess | null;
  watchdogPid?: number;
  createdAt: string;
  timings: LabTimings;
}

/** The repository root (the nearest folder above this file with a package.json). */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Parent of the per-lab state dirs: $ETCD_LAB_DIR, else <repo>/.lab (git-ignored). */
export const labsRoot = (): string => process.env.ETCD_LAB_DIR ?? path.join(repoRoot(), '.lab');
/** The lab's part of the toolchain cache: the rootfs tarball, Debian's etcd 3.4 release. */
export const defaultCacheDir = (): string => path.join(cacheRoot(), 'lab');
export const registryFile = (name: string): string => path.join(REGISTRY_DIR, `${name}.json`);

export function writeRecord(record: LabRecord): void {
  fs.writeFileSync(path.join(record.stateDir, 'lab.json'), `${JSON.stringify(record, null, 2)}\n`);
  fs.mkdirSync(REGISTRY_DIR, { recursive: true });
  fs.writeFileSync(registryFile(record.name), `${JSON.stringify({ name: record.name, stateDir: record.stateDir })}\n`);
}

/** The record of a lab by name: via the registry, else from the default state dir. */
export function readRecord(name: string): LabRecord | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(JSON.parse(fs.readFileSync(registryFile(name), 'utf8')).stateDir);
  } catch {
    // not registered
  }
  candidates.push(path.join(labsRoot(), name));
  for (const dir of candidates) {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'lab.json'), 'utf8')) as LabRecord;
    } catch {
      // no record there
    }
  }
  return undefined;
}

export function registeredLabNames(): string[] {
  if (!fs.existsSync(REGISTRY_DIR)) return [];
  return fs
    .readdirSync(REGISTRY_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Start time of a process (field 22 of /proc/PID/stat), which tells it apart from a later one with the same pid. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function ownerAlive(owner: OwnerProcess): boolean {
  return processStartTime(owner.pid) === owner.startTime;
}
