// A continuous writer against a lab deployment: the measure of availability during a rolling
// change, shared by the e2e scenarios (__tests__/e2e/support.ts re-exports it) and the benchmark.
//
// One client process for the whole run, in the controller namespace, with one kept-alive TLS
// connection per member (etcd's JSON gateway on the client port, `POST /v3/kv/put`): the writer's
// own cost stays small beside what it measures. (An `etcdctl put` process per write, the writer
// until 2026-11-26, kept about half a core of these 2 busy with process starts and TLS handshakes,
// beside an apply that was being timed.)
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as readline from 'readline';
import { LabDeployment } from './deploy';
import { nodeProcess } from './run';

export interface WriterReport {
  writes: number;
  failures: number;
  /** Longest time between two successful writes (or from the start to the first), in ms. */
  maxGapMs: number;
  /** When that longest gap ended (ms since the epoch): where to look in the hosts' journals. */
  maxGapEndAt: number;
  /** Why writes failed, one line each (`endpoint: error` of the last member tried), at most 20. */
  failureReasons: string[];
  lastKey: number;
  /** The numbers n of the keys `/writer/<n>` whose put was acknowledged. */
  acked: number[];
}

/** What a summary needs of a report (the benchmark keeps only these, the last two when recorded). */
export interface WriterCounts {
  readonly writes: number;
  readonly failures: number;
  /** Longest time without an acknowledged write, in ms. */
  readonly maxGapMs: number;
  /** When that gap ended (ms since the epoch: where to look in the hosts' journals). */
  readonly maxGapEndAt?: number;
  /** Why writes failed (`endpoint: error`, at most 20). */
  readonly failureReasons?: readonly string[];
}

export interface Writer {
  stop: () => Promise<WriterReport>;
}

interface ClientConfig {
  endpoints: string[];
  ca: string;
  cert: string;
  key: string;
}

/** Pause between two writes, ms. */
const PAUSE_MS = 50;
/** A write not acknowledged in this time, failovers included, failed (etcdctl's --command-timeout as before). */
const REQUEST_TIMEOUT_MS = 5_000;
/** A member that failed a write is tried last for this long (a client balancer's back-off). */
const BACKOFF_MS = 1_000;

export const writerKey = (n: number): string => `/writer/${String(n).padStart(6, '0')}`;

/** One line for the logs: the counts, the longest gap and when it ended, and why writes failed. */
export function writerSummary(w: WriterCounts): string {
  const ended = w.maxGapEndAt ? ` (ended ${new Date(w.maxGapEndAt).toISOString()})` : '';
  const why = w.failureReasons?.length ? `; failed: ${w.failureReasons.join('; ')}` : '';
  return `writes ${w.writes}, failures ${w.failures}, longest write gap ${w.maxGapMs} ms${ended}${why}`;
}

/**
 * What the writer's client printed, summed up: `ready T`, then `ok N T` or `fail N T REASON` per
 * write (T: ms since the epoch). Pure, so that the gap arithmetic is tested without a lab.
 */
export class WriteLog {
  readonly report: WriterReport = { writes: 0, failures: 0, maxGapMs: 0, maxGapEndAt: 0, failureReasons: [], lastKey: 0, acked: [] };
  /** The last acknowledged write (or the start). */
  private last = 0;
  /** The last answer of any kind, ok or failed. */
  private lastAnswer = 0;

  /** Takes one line; true for `ready`. */
  take(line: string): boolean {
    const [what, n, at, ...reason] = line.split(' ');
    const t = Number(at);
    if (what === 'ready') {
      this.last = this.lastAnswer = Number(n);
      return true;
    }
    if (what === 'ok') {
      this.report.writes++;
      this.report.lastKey = Number(n);
      this.report.acked.push(Number(n));
      this.gapUntil(t);
      this.last = t;
    } else if (what === 'fail') {
      this.report.failures++;
      if (this.report.failureReasons.length < 20) this.report.failureReasons.push(`${new Date(t).toISOString()} ${reason.join(' ')}`);
    }
    this.lastAnswer = Math.max(this.lastAnswer, t);
    return false;
  }

  /**
   * The writer was told to stop at `stoppedAt` and has answered its last write: the time since the
   * last acknowledged write counts as a gap until the stop, or until that last write's answer when
   * it came later and was a failure (a write pending at the stop that then timed out was an
   * outage all along, not one cut short by the stop).
   */
  finish(stoppedAt: number): WriterReport {
    this.gapUntil(Math.max(stoppedAt, this.lastAnswer));
    return this.report;
  }

  private gapUntil(t: number): void {
    if (t - this.last > this.report.maxGapMs) {
      this.report.maxGapMs = t - this.last;
      this.report.maxGapEndAt = t;
    }
  }
}

/**
 * Writes `/writer/<n>` continuously through the given endpoints, each write starting at the next
 * member in turn and failing over to the others (members that just failed are tried last), until
 * stopped: the measure of availability during a rolling change. Resolves once the client runs.
 */
export async function startWriter(d: LabDeployment, endpoints: string[]): Promise<Writer> {
  const files = await d.clientFiles();
  const config: ClientConfig = { endpoints, ca: files.ca, cert: files.cert, key: files.key };
  const client = nodeProcess(__filename, ['write', JSON.stringify(config)]);
  const child = spawn('ip', ['netns', 'exec', d.lab.controllerNetns, ...client.argv], { stdio: ['pipe', 'pipe', 'inherit'], env: client.env });
  const log = new WriteLog();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`the writer's client exited (${code}) before it started`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (log.take(line)) resolve();
    });
  });
  await ready;
  return {
    stop: async () => {
      const stoppedAt = Date.now();
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`the writer's client exited ${code}`);
      return log.finish(stoppedAt);
    },
  };
}

/** One put through one member's gateway; resolves on etcd's 200, rejects otherwise. */
function put(agent: https.Agent, endpoint: string, key: string, value: string, timeoutMs: number): Promise<void> {
  const body = JSON.stringify({ key: Buffer.from(key).toString('base64'), value: Buffer.from(value).toString('base64') });
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL('/v3/kv/put', endpoint),
      { method: 'POST', agent, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}: ${text.trim()}`))));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** The client: prints `ready T`, then `ok N T` or `fail N T REASON` per write (T: ms since the epoch) until stdin closes. */
async function runClient(config: ClientConfig): Promise<void> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    ca: fs.readFileSync(config.ca),
    cert: fs.readFileSync(config.cert),
    key: fs.readFileSync(config.key),
  });
  let stopping = false;
  process.stdin.on('data', () => undefined);
  process.stdin.on('end', () => (stopping = true));
  const failedAt = new Map<string, number>();
  process.stdout.write(`ready ${Date.now()}\n`);
  for (let n = 1; !stopping; n++) {
    const first = (n - 1) % config.endpoints.length;
    const turn = [...config.endpoints.slice(first), ...config.endpoints.slice(0, first)];
    const now = Date.now();
    const order = [
      ...turn.filter((e) => now - (failedAt.get(e) ?? -Infinity) >= BACKOFF_MS),
      ...turn.filter((e) => now - (failedAt.get(e) ?? -Infinity) < BACKOFF_MS),
    ];
    const deadline = now + REQUEST_TIMEOUT_MS;
    let acked = false;
    let error = 'no member tried';
    for (const endpoint of order) {
      if (Date.now() >= deadline) break;
      try {
        await put(agent, endpoint, writerKey(n), `w${n}`, deadline - Date.now());
        acked = true;
        break;
      } catch (e) {
        failedAt.set(endpoint, Date.now());
        error = `${endpoint}: ${(e as Error).message}`;
      }
    }
    process.stdout.write(acked ? `ok ${n} ${Date.now()}\n` : `fail ${n} ${Date.now()} ${error}\n`);
    await new Promise((res) => setTimeout(res, PAUSE_MS));
  }
  agent.destroy();
}

if (require.main === module && process.argv[2] === 'write') {
  runClient(JSON.parse(process.argv[3]) as ClientConfig).catch((e) => {
    process.stderr.write(`writer: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
