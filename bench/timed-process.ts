// Spawns one process and timestamps every output line as it arrives (ms since the spawn).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface TimedLine {
  /** Milliseconds since the process was spawned. */
  readonly t: number;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export interface TimedRun {
  readonly code: number;
  /** CLOCK_MONOTONIC at the spawn, in ms: the clock systemd's *TimestampMonotonic use (lab hosts share it). */
  readonly startedMonoMs: number;
  /** Wall time from spawn to exit. */
  readonly wallMs: number;
  /**
   * Busy CPU time of the whole machine from spawn to exit, every core counted (/proc/stat): the
   * process, and whatever it made others do (the lab's hosts share the kernel); null off Linux.
   */
  readonly cpuMs: number | null;
  readonly lines: TimedLine[];
}

/** USER_HZ, the unit of /proc/stat: 100 on every Linux architecture. */
const USER_HZ = 100;

/** Busy CPU time of the machine since boot, every core counted, in ms; null where /proc/stat is not there. */
export function machineBusyMs(): number | null {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    if (fields[0] !== 'cpu') return null;
    // user nice system idle iowait irq softirq steal (guest time is inside user already)
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(1, 9).map((v) => Number(v) || 0);
    return ((user + nice + system + irq + softirq + steal) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/** The CPU time counted between two readings of a counter; null when either reading failed. */
export const cpuDelta = (before: number | null, after: number | null): number | null => (before !== null && after !== null ? after - before : null);

export interface TimedOptions {
  cwd?: string;
  /** The complete environment of the child (not merged with process.env). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs argv to completion; never throws for a non-zero exit (a timeout kills it: code 137). */
export function runTimed(argv: string[], opts: TimedOptions = {}): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const busyAtStart = machineBusyMs();
    const started = performance.now();
    const startedMonoMs = Number(process.hrtime.bigint() / 1000n) / 1000;
    const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: TimedLine[] = [];
    const collect = (stream: 'stdout' | 'stderr') => {
      let partial = '';
      return {
        data: (chunk: Buffer) => {
          const t = performance.now() - started;
          const parts = (partial + chunk.toString('utf8')).split('\n');
          partial = parts.pop() ?? '';
          for (const text of parts) lines.push({ t, stream, text });
        },
        end: () => {
          if (partial !== '') lines.push({ t: performance.now() - started, stream, text: partial });
          partial = '';
        },
      };
    };
    const out = collect('stdout');
    const err = collect('stderr');
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      const busy = machineBusyMs();
      const cpuMs = busy !== null && busyAtStart !== null ? busy - busyAtStart : null;
      if (timer) clearTimeout(timer);
      out.end();
      err.end();
      resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 1), startedMonoMs, wallMs, cpuMs, lines });
    });
  });
}

/** The lines as a log text: `+1234ms [stdout] text`. */
export function formatTimedLines(lines: readonly TimedLine[]): string {
  return lines.map((l) => `+${Math.round(l.t).toString().padStart(6)}ms ${l.stream === 'stderr' ? 'E' : ' '} ${l.text}`).join('\n');
}
