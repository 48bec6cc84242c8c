// The shared root filesystem of the lab hosts: built once with debootstrap, cached as a zstd tarball
// keyed by a hash of its recipe, restored per lab as the read-only lower layer of every host overlay.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { runChecked } from './run';

export const ROOTFS_SUITE = 'bookworm';
const BUILD_SCRIPT = path.join(__dirname, 'scripts', 'build-rootfs.sh');

/** A hash of everything that shapes the rootfs: the suite and the build script (packages, tweaks). */
export function rootfsRecipeHash(): string {
  return crypto.createHash('sha256').update(ROOTFS_SUITE).update(fs.readFileSync(BUILD_SCRIPT)).digest('hex').slice(0, 16);
}

export function rootfsTarballPath(cacheDir: string): string {
  return path.join(cacheDir, `rootfs-${ROOTFS_SUITE}-${rootfsRecipeHash()}.tar.zst`);
}

/**
 * The Debian mirror this machine's apt uses (deb822 `.sources` or one-line `.list`), so debootstrap
 * reaches the same (possibly only) reachable mirror. `ETCD_LAB_MIRROR` overrides it.
 */
export function debianMirror(): string {
  if (process.env.ETCD_LAB_MIRROR) return process.env.ETCD_LAB_MIRROR;
  const files = ['/etc/apt/sources.list'];
  const dir = '/etc/apt/sources.list.d';
  if (fs.existsSync(dir))
    files.push(
      ...fs
        .readdirSync(dir)
        .sort()
        .map((f) => path.join(dir, f)),
    );
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const mirror = file.endsWith('.sources') ? mirrorFromDeb822(text) : mirrorFromOneLine(text);
    if (mirror) return mirror;
  }
  return 'http://deb.debian.org/debian';
}

function mirrorFromDeb822(text: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string): string[] => {
      const m = stanza.match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'));
      return m ? m[1].trim().split(/\s+/) : [];
    };
    if (field('Types').includes('deb') && field('Suites').includes(ROOTFS_SUITE) && field('Components').includes('main')) {
      return field('URIs')[0];
    }
  }
  return undefined;
}

function mirrorFromOneLine(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const words = raw
      .replace(/#.*/, '')
      .replace(/\[[^\]]*\]/, '')
      .trim()
      .split(/\s+/);
    if (words[0] === 'deb' && words[2] === ROOTFS_SUITE && words.slice(3).includes('main')) return words[1];
  }
  return undefined;
}

export interface RootfsResult {
  dir: string;
  mode: 'built' | 'restored';
  ms: number;
  tarball: string;
}

/** Puts a prepared rootfs at `targetDir`: from the cached tarball when present, else builds it (and caches it). */
export async function provideRootfs(opts: { cacheDir: string; targetDir: string; log: (s: string) => void }): Promise<RootfsResult> {
  const started = Date.now();
  const tarball = rootfsTarballPath(opts.cacheDir);
  fs.mkdirSync(opts.cacheDir, { recursive: true });
  let mode: RootfsResult['mode'] = 'restored';
  if (!fs.existsSync(tarball)) {
    const mirror = debianMirror();
    opts.log(`[lab] no cached rootfs at ${tarball}: building it with debootstrap from ${mirror} (about a minute)`);
    const result = await runChecked([BUILD_SCRIPT, mirror, ROOTFS_SUITE, tarball, path.join(opts.cacheDir, 'debootstrap-debs'), opts.targetDir], {
      timeoutMs: 1_800_000,
    });
    if (result.stdout.trim() === 'built') mode = 'built';
  }
  if (mode === 'restored') {
    opts.log(`[lab] restoring rootfs from ${tarball}`);
    fs.rmSync(opts.targetDir, { recursive: true, force: true });
    fs.mkdirSync(opts.targetDir, { recursive: true });
    await runChecked(['tar', '-C', opts.targetDir, '--numeric-owner', '--xattrs', '--xattrs-include=*', '-I', 'zstd -d -T0', '-xpf', tarball], {
      timeoutMs: 600_000,
    });
  }
  return { dir: opts.targetDir, mode, ms: Date.now() - started, tarball };
}
