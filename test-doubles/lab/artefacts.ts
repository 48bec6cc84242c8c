// etcd release artefacts for the hosts, and a small HTTP server in the controller namespace that
// serves them, so hosts exercise the real download → sha256 check → install path with a custom URL.
// Releases from 3.5 on are real etcd builds from etcd's Go modules (toolchain/etcd-release.ts);
// the one 3.4 release (for the refused 3.4 → 3.6 jump) is Debian's etcd 3.4.23, packed the same way.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { buildableEtcdVersion, ensureEtcdRelease, sha256File } from '../../toolchain/etcd-release';
import { unitCgroupDirs } from './cgroups';
import { CONTROLLER_ADDRESS } from './network';
import { nodeProcess, run, runChecked } from './run';

export { sha256File };
export const ARTEFACT_PORT = 8080;
export const ARTEFACT_UNIT = 'artefacts';
const SCRIPTS = path.join(__dirname, 'scripts');
const PACK_SCRIPT = path.join(__dirname, '..', '..', 'toolchain', 'pack-etcd-release.sh');

/** The etcd release Debian bookworm ships (etcd-server / etcd-client): the lab's only 3.4. */
export const DEBIAN_ETCD_VERSION = '3.4.23';

export interface PublishedRelease {
  url: string;
  sha256: string;
  fileName: string;
  version: string;
}

export interface LabRelease {
  version: string;
  /** The release-shaped tarball. */
  file: string;
  sha256: string;
  /** Its unpacked binaries (etcd, etcdctl and, from 3.5 on, etcdutl). */
  binDir: string;
}

/** Debian's etcd-server + etcd-client binaries, unpacked (not installed), packed like a release. */
async function debianRelease(cacheDir: string, log: (s: string) => void): Promise<LabRelease> {
  const dir = path.join(cacheDir, `etcd-debian-${DEBIAN_ETCD_VERSION}`);
  const file = path.join(dir, `etcd-v${DEBIAN_ETCD_VERSION}-linux-amd64.tar.gz`);
  if (!fs.existsSync(file)) {
    log('[lab] downloading Debian etcd-server and etcd-client (apt-get download) for the 3.4 release tarball');
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir, 'etcd-debian.tmp-'));
    try {
      const download = ['apt-get', 'download', '-q', 'etcd-server', 'etcd-client'];
      if ((await run(download, { cwd: tmp, timeoutMs: 300_000 })).code !== 0) {
        await runChecked(['apt-get', 'update', '-q'], { timeoutMs: 600_000 });
        await runChecked(download, { cwd: tmp, timeoutMs: 300_000 });
      }
      const debs = fs.readdirSync(tmp).filter((f) => f.endsWith('.deb'));
      const extracted = path.join(tmp, 'x');
      for (const deb of debs) await runChecked(['dpkg-deb', '-x', path.join(tmp, deb), extracted]);
      const serverDeb = debs.find((d) => d.startsWith('etcd-server_'));
      if (!serverDeb) throw new Error('apt-get download gave no etcd-server package');
      const debVersion = (await runChecked(['dpkg-deb', '-f', path.join(tmp, serverDeb), 'Version'])).stdout.trim();
      const upstream = debVersion.replace(/^\d+:/, '').replace(/[-+~].*$/, '');
      if (upstream !== DEBIAN_ETCD_VERSION) throw new Error(`Debian ships etcd ${upstream}, the lab expects ${DEBIAN_ETCD_VERSION}`);
      const out = path.join(tmp, 'out');
      fs.mkdirSync(path.join(out, 'bin'), { recursive: true });
      for (const bin of ['etcd', 'etcdctl']) {
        fs.copyFileSync(path.join(extracted, 'usr', 'bin', bin), path.join(out, 'bin', bin));
        fs.chmodSync(path.join(out, 'bin', bin), 0o755);
      }
      await runChecked([PACK_SCRIPT, path.join(out, 'bin'), DEBIAN_ETCD_VERSION, path.join(out, path.basename(file))]);
      try {
        fs.renameSync(out, dir);
      } catch (e) {
        if (!fs.existsSync(file)) throw e; // else a concurrent lab got there first
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { version: DEBIAN_ETCD_VERSION, file, sha256: sha256File(file), binDir: path.join(dir, 'bin') };
}

/** The release tarball of `version`: built from Go modules (3.5+), or Debian's 3.4.23. Cached. */
export async function labRelease(version: string, cacheDir: string, log: (s: string) => void): Promise<LabRelease> {
  if (buildableEtcdVersion(version)) {
    const r = await ensureEtcdRelease(version, log);
    return { version, file: r.tarball, sha256: r.sha256, binDir: r.binDir };
  }
  if (version === DEBIAN_ETCD_VERSION) return debianRelease(cacheDir, log);
  throw new Error(`the lab has no etcd ${version}: it builds 3.5 and later from Go modules, and has Debian's ${DEBIAN_ETCD_VERSION}`);
}

/** Copies a file into the served directory under `fileName` and lists it in SHA256SUMS, as upstream does. */
export function publishFile(servedDir: string, file: string, fileName: string, baseUrl: string): { url: string; sha256: string; fileName: string } {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(fileName)) throw new Error(`artefact name ${JSON.stringify(fileName)} must be a plain file name`);
  fs.mkdirSync(servedDir, { recursive: true });
  fs.copyFileSync(file, path.join(servedDir, fileName));
  const sha256 = sha256File(path.join(servedDir, fileName));
  const sumsFile = path.join(servedDir, 'SHA256SUMS');
  const sums = fs.existsSync(sumsFile)
    ? fs
        .readFileSync(sumsFile, 'utf8')
        .split('\n')
        .filter((l) => l && !l.endsWith(`  ${fileName}`))
    : [];
  sums.push(`${sha256}  ${fileName}`);
  fs.writeFileSync(sumsFile, `${sums.sort().join('\n')}\n`);
  return { url: `${baseUrl}${fileName}`, sha256, fileName };
}

export const artefactBaseUrl = (): string => `http://${CONTROLLER_ADDRESS}:${ARTEFACT_PORT}/`;

/** Starts the server in the controller namespace, in the lab's `artefacts` cgroup; returns its pid. */
export function startArtefactServer(opts: { lab: string; controllerNetns: string; servedDir: string; logFile: string }): number {
  const server = nodeProcess(__filename, ['serve', opts.servedDir, String(ARTEFACT_PORT)]);
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(
    path.join(SCRIPTS, 'in-cgroups.sh'),
    [...unitCgroupDirs(opts.lab, ARTEFACT_UNIT), '--', 'ip', 'netns', 'exec', opts.controllerNetns, ...server.argv],
    { detached: true, stdio: ['ignore', log, log], env: server.env },
  );
  fs.closeSync(log);
  child.unref();
  if (!child.pid) throw new Error('[lab] could not start the artefact server');
  return child.pid;
}

/** A static file server: GET/HEAD of files directly in `root`; `/` lists them. */
export function serveArtefacts(root: string, port: number): http.Server {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\/+/, '');
    const stamp = new Date().toISOString();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
    } else if (name === '') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${fs.readdirSync(root).sort().join('\n')}\n`);
    } else if (name.includes('/') || name.startsWith('.') || !fs.existsSync(path.join(root, name))) {
      res.writeHead(404).end('not found\n');
    } else {
      const file = path.join(root, name);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': fs.statSync(file).size });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    }
    process.stdout.write(`${stamp} ${req.socket.remoteAddress} ${req.method} ${req.url} ${res.statusCode}${os.EOL}`);
  });
  server.listen(port, '0.0.0.0', () => process.stdout.write(`serving ${root} on port ${port}${os.EOL}`));
  return server;
}

if (require.main === module && process.argv[2] === 'serve') {
  serveArtefacts(process.argv[3], Number(process.argv[4]));
}
