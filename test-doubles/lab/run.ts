// Running machine commands: one place that spawns processes, collects output and enforces timeouts.
import { spawn, spawnSync } from 'child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  input?: string;
}

/** Runs argv[0] with the rest as arguments; never throws for a non-zero exit (see `runChecked`). */
export function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      let stderr = Buffer.concat(err).toString();
      if (timedOut) stderr += `\n[lab] ${argv.join(' ')}: killed after ${opts.timeoutMs} ms`;
      resolve({ code: code ?? (signal ? 128 + signalNumber(signal) : 1), stdout: Buffer.concat(out).toString(), stderr });
    });
    child.stdin.on('error', () => undefined); // the child may exit without reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Like `run`, but rejects with the command's stderr when it exits non-zero. */
export async function runChecked(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(argv, opts);
  if (result.code !== 0) {
    throw new Error(`${argv.join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(-2000)}`);
  }
  return result;
}

/** Synchronous variant for exit handlers, where no event loop turn is left. */
export function runSync(argv: string[], opts: { timeoutMs?: number } = {}): RunResult {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

export function commandExists(name: string): boolean {
  return runSync(['sh', '-c', 'command -v "$1"', 'sh', name]).code === 0;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retries `attempt` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}

/**
 * A lab module run as a process of its own (a server, a client, the CLI): node with `file` and
 * `args`, through ts-node (transpile only) when the lab runs from its TypeScript sources; `env`
 * is the environment to give it.
 */
export function nodeProcess(file: string, args: string[]): { argv: string[]; env: NodeJS.ProcessEnv } {
  const tsNode = file.endsWith('.ts') ? ['-r', require.resolve('ts-node/register/transpile-only')] : [];
  return { argv: [process.execPath, ...tsNode, file, ...args], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } };
}
