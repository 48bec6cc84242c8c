// One change applied to a deployed cluster, timed line by line: the edited spec is synthesized
// (LabDeployment.synth), then `apply` runs as the deploys do (timed-engine.ts), optionally with the
// continuous writer of the e2e day-2 scenarios running through the whole apply. The run fails
// unless the apply succeeds, the host scripts logged one restart per expected member, one at a
// time, the health check passed, etcd's MainPID changed on exactly the expected members (and each
// stopped and started inside its window: systemd's timestamps on the hosts share the apply's
// monotonic clock), the writer kept writing, and the caller's own check of the hosts passes. The
// leader elections the apply caused are counted (the growth of the raft term).
import { ClusterSpec } from '../src/config/types';
import { LabDeployment } from '../test-doubles/lab/deploy';
import { Lab, LabHost } from '../test-doubles/lab/lab';
import { startWriter, WriterCounts, WriterReport } from '../test-doubles/lab/writer';
import { changeMilestones, changePhases, withHostTimes } from './change-phases';
import { privateUploadMs } from './private-upload';
import { engineCall } from './deploy-bench';
import { etcdProcesses, expectRestarted, healthyMember } from './host-probes';
import { ChangeRun, WriterFigures } from './results';
import { runEngineTimed } from './timed-engine';

/** The e2e day-2 scenarios' availability bounds: a lost quorum shows as a long gap and many failures. */
export const WRITER_BOUNDS = { maxGapMs: 15_000, maxFailures: 2 } as const;

export interface ChangeOptions {
  readonly scenario: string;
  readonly round: number;
  /** The cluster's hosts (every member). */
  readonly hosts: readonly LabHost[];
  /** The edited spec. */
  readonly spec: ClusterSpec;
  /** The members whose etcd must restart, each once. */
  readonly restarts: readonly string[];
  /** Run the continuous writer through the apply. */
  readonly writer: boolean;
  readonly logFile: string;
  /** The change's own proof on the hosts, checked after the apply; throws when it is missing. */
  readonly verify?: () => Promise<void>;
}

/** What a run keeps of the writer's report: the counts, the longest gap and when it ended, and why writes failed (when some did). */
export function writerFigures(w: WriterReport): WriterFigures {
  return {
    writes: w.writes,
    failures: w.failures,
    maxGapMs: w.maxGapMs,
    maxGapEndAt: w.maxGapEndAt,
    ...(w.failureReasons.length > 0 && { failureReasons: w.failureReasons }),
  };
}

/** Throws when the writer saw the cluster unavailable (or never wrote at all). */
export function checkWriter(w: WriterCounts, what: string): void {
  if (w.writes === 0 || w.failures > WRITER_BOUNDS.maxFailures || w.maxGapMs >= WRITER_BOUNDS.maxGapMs) {
    const why = w.failureReasons?.length ? `; failed: ${w.failureReasons.join('; ')}` : '';
    throw new Error(
      `${what}: the cluster was not available throughout: ${w.writes} writes, ${w.failures} failed, longest gap ${w.maxGapMs} ms (at most ${WRITER_BOUNDS.maxFailures} failures and a gap under ${WRITER_BOUNDS.maxGapMs} ms expected)${why}`,
    );
  }
}

export async function timedChange(lab: Lab, d: LabDeployment, opts: ChangeOptions): Promise<ChangeRun> {
  // Untimed: a healthy cluster to start from, and etcd's processes before.
  await Promise.all(opts.hosts.map((h) => healthyMember(lab, h)));
  const before = await etcdProcesses(lab, opts.hosts);
  const endpoints = opts.hosts.map((h) => `https://${h.address}:2379`);
  const termBefore = await d.raftTerm(endpoints);
  d.synth(opts.spec);
  // The writer's client certificate comes from terraform output: fetched before the apply runs.
  if (opts.writer) await d.clientFiles(true);
  const writer = opts.writer ? await startWriter(d, endpoints) : undefined;
  let r;
  let w: WriterReport | undefined;
  try {
    r = await runEngineTimed(lab, engineCall(d), ['apply', '-auto-approve', '-input=false', '-no-color'], opts.logFile);
  } finally {
    w = await writer?.stop();
  }
  const where = `see ${opts.logFile}`;
  if (r.code !== 0) throw new Error(`${opts.scenario}: apply exited ${r.code}; ${where}`);
  const after = await etcdProcesses(lab, opts.hosts);
  // Untimed, after the health check passed: every member agrees on the term.
  const elections = (await d.raftTerm(endpoints)) - termBefore;
  expectRestarted(before, after, opts.restarts, opts.scenario);
  // The hosts' stop and start times on the apply's clock: where in each window etcd was gone and ready again.
  const hostTimes = Object.fromEntries(
    opts.restarts.map((h) => [h, { stopped: after[h].stoppedMonoMs - r.startedMonoMs, ready: after[h].readyMonoMs - r.startedMonoMs }]),
  );
  let milestones;
  try {
    const m = changeMilestones(r.lines, r.wallMs, opts.restarts);
    milestones = { ...m, windows: withHostTimes(m.windows, hostTimes) };
  } catch (e) {
    throw new Error(`${opts.scenario}: ${(e as Error).message}; ${where}`, { cause: e });
  }
  await opts.verify?.();
  if (w) checkWriter(w, opts.scenario);
  const uploadMs = privateUploadMs(r.lines);
  return {
    scenario: opts.scenario,
    round: opts.round,
    members: opts.hosts.length,
    restarted: [...opts.restarts].sort(),
    applyMs: r.wallMs,
    phases: changePhases(milestones),
    milestones,
    ...(uploadMs !== null && { uploadMs }),
    elections,
    writer: w ? writerFigures(w) : undefined,
    log: opts.logFile,
  };
}
