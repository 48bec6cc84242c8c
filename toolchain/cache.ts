// Where the toolchain keeps what it builds (providers, tofu, etcd releases) and Go's own caches.
// Optional: a cold machine builds everything again, only slower. Outside the clone, keyed by inputs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `$ETCD_CACHE_DIR`, else /var/cache/etcd-kubeadm-cdktf as root, else ~/.cache/etcd-kubeadm-cdktf. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ETCD_CACHE_DIR) return path.resolve(env.ETCD_CACHE_DIR);
  if (process.getuid?.() === 0) return '/var/cache/etcd-kubeadm-cdktf';
  return path.join(os.homedir(), '.cache', 'etcd-kubeadm-cdktf');
}

export function cacheDir(...parts: string[]): string {
  const dir = path.join(cacheRoot(), ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function lockOwner(lock: string): number {
  try {
    return Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8')) || 0;
  } catch {
    return 0; // just created (pid not written yet) or just released
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds `target` once: concurrent callers (jest workers, two labs) wait for the first; a build
 * left half-done by a killed process is started again. `build` writes into a fresh temporary
 * directory that is renamed to `target` only when complete, so `target` is always whole.
 */
export async function buildOnce(target: string, build: (tmp: string) => Promise<void>, log: (s: string) => void): Promise<string> {
  if (fs.existsSync(target)) return target;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const lock = `${target}.lock`;
  for (let waited = 0; ;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const owner = lockOwner(lock);
      if (fs.existsSync(target)) return target;
      if (owner && !alive(owner)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 30_000 === 0) log(`[toolchain] waiting for another process (pid ${owner || '?'}) building ${path.basename(target)}`);
      await sleep(500);
      waited += 500;
    }
  }
  try {
    if (fs.existsSync(target)) return target;
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    try {
      await build(tmp);
      fs.renameSync(tmp, target);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return target;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
