// etcd "release" artefacts for the hosts: Debian's etcd 3.4.23 binaries packed like an upstream
// release tarball, and a small HTTP server in the controller namespace that serves them, so hosts
// exercise the real download → sha256 check → install path with a custom URL and checksum.
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { unitCgroupDirs } from './cgroups';
import { CONTROLLER_ADDRESS } from './network';
import { run, runChecked } from './run';

export const ARTEFACT_PORT = 8080;
export const ARTEFACT_UNIT = 'artefacts';
const SCRIPTS = path.join(__dirname, 'scripts');

export interface EtcdBinaries {
  dir: string;
  /** Upstream version of the Debian package, e.g. 3.4.23. */
  version: string;
}

export interface PublishedRelease {
  url: string;
  sha256: string;
  fileName: string;
}

/** Debian's etcd-server + etcd-client, unpacked (not installed) into the cache once. */
export async function ensureEtcdBinaries(cacheDir: string, log: (s: string) => void): Promise<EtcdBinaries> {
  const dir = path.join(cacheDir, 'etcd-debian');
  const versionFile = path.join(dir, 'VERSION');
  if (!fs.existsSync(versionFile)) {
    log('[lab] downloading Debian etcd-server and etcd-client (apt-get download) for the etcd release tarball');
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
      const out = path.join(tmp, 'out');
      fs.mkdirSync(out);
      for (const bin of ['etcd', 'etcdctl']) {
        fs.copyFileSync(path.join(extracted, 'usr', 'bin', bin), path.join(out, bin));
        fs.chmodSync(path.join(out, bin), 0o755);
      }
      fs.writeFileSync(path.join(out, 'VERSION'), `${debVersion.replace(/^\d+:/, '').replace(/[-+~].*$/, '')}\n`);
      try {
        fs.renameSync(out, dir);
      } catch (e) {
        if (!fs.existsSync(versionFile)) throw e; // else a concurrent lab got there first
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { dir, version: fs.readFileSync(versionFile, 'utf8').trim() };
}

export const releaseFileName = (label: string): string => `etcd-v${label}-linux-amd64.tar.gz`;

/** Builds (once, cached) the release-shaped tarball for `label` and returns its path and sha256. */
export async function buildEtcdRelease(binaries: EtcdBinaries, label: string, cacheDir: string): Promise<{ file: string; sha256: string }> {
  if (!/^[0-9A-Za-z][0-9A-Za-z.+_-]*$/.test(label)) {
    throw new Error(`etcd version label ${JSON.stringify(label)} must be letters, digits, '.', '+', '_' or '-'`);
  }
  const releases = path.join(cacheDir, 'etcd-releases');
  fs.mkdirSync(releases, { recursive: true });
  const file = path.join(releases, releaseFileName(label));
  if (!fs.existsSync(file)) await runChecked([path.join(SCRIPTS, 'pack-etcd-release.sh'), binaries.dir, label, file]);
  return { file, sha256: sha256File(file) };
}

export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Copies a built release into the served directory and lists it in SHA256SUMS, as upstream does. */
export function publishRelease(servedDir: string, built: { file: string; sha256: string }, baseUrl: string): PublishedRelease {
  const fileName = path.basename(built.file);
  fs.mkdirSync(servedDir, { recursive: true });
  fs.copyFileSync(built.file, path.join(servedDir, fileName));
  const sumsFile = path.join(servedDir, 'SHA256SUMS');
  const sums = fs.existsSync(sumsFile) ? fs.readFileSync(sumsFile, 'utf8').split('\n').filter((l) => l && !l.endsWith(`  ${fileName}`)) : [];
  sums.push(`${built.sha256}  ${fileName}`);
  fs.writeFileSync(sumsFile, `${sums.sort().join('\n')}\n`);
  return { url: `${baseUrl}${fileName}`, sha256: built.sha256, fileName };
}

export const artefactBaseUrl = (): string => `http://${CONTROLLER_ADDRESS}:${ARTEFACT_PORT}/`;

/** Starts the server in the controller namespace, in the lab's `artefacts` cgroup; returns its pid. */
export function startArtefactServer(opts: { lab: string; controllerNetns: string; servedDir: string; logFile: string }): number {
  const nodeArgs = __filename.endsWith('.ts') ? ['-r', require.resolve('ts-node/register/transpile-only')] : [];
  const log = fs.openSync(opts.logFile, 'a');
  const child = spawn(
    path.join(SCRIPTS, 'in-cgroups.sh'),
    [
      ...unitCgroupDirs(opts.lab, ARTEFACT_UNIT),
      '--',
      'ip', 'netns', 'exec', opts.controllerNetns,
      process.execPath, ...nodeArgs, __filename, 'serve', opts.servedDir, String(ARTEFACT_PORT),
    ],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
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
