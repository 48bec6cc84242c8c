// Running the Go command for the toolchain: the machine's own Go (GOTOOLCHAIN=local: no toolchain
// download), modules through the module proxy, Go's module and build caches inside our cache root.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { cacheRoot } from './cache';

export interface GoRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment every Go command of the toolchain runs with. */
export function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const root = cacheRoot();
  return {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw -buildvcs=false',
    GOMODCACHE: process.env.ETCD_GOMODCACHE ?? path.join(root, 'go', 'mod'),
    GOCACHE: process.env.ETCD_GOCACHE ?? path.join(root, 'go', 'build'),
    CGO_ENABLED: '0',
    GOWORK: 'off',
    ...extra,
  };
}

export function go(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<GoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd: opts.cwd, env: goEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 1_800_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run go (${e.message}): the toolchain builds providers, tofu and etcd with Go ≥ 1.24 on the PATH`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

export async function goChecked(args: string[], opts: Parameters<typeof go>[1] = {}): Promise<GoRun> {
  const r = await go(args, opts);
  if (r.code !== 0) throw new Error(`go ${args.join(' ')} exited ${r.code}:\n${(r.stderr || r.stdout).trim().slice(-3000)}`);
  return r;
}

/** `go version` of this machine, e.g. "go1.26.8". */
export async function goVersion(): Promise<string> {
  const r = await goChecked(['env', 'GOVERSION']);
  return r.stdout.trim();
}

/** The module path and version a Go binary was built from (`go version -m`), e.g. for provenance checks. */
export async function binaryModule(file: string): Promise<{ path: string; version: string; goVersion: string }> {
  const r = await goChecked(['version', '-m', file]);
  const mod = /^\tmod\t(\S+)\t(\S+)/m.exec(r.stdout);
  const goVer = /^\S+: (go\S+)/m.exec(r.stdout);
  if (!mod) throw new Error(`${file}: no main module recorded (go version -m):\n${r.stdout}`);
  return { path: mod[1], version: mod[2], goVersion: goVer?.[1] ?? 'unknown' };
}
