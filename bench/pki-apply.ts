// The PKI alone, applied: the deployed stack's tls_ and local_ resources in a stack of their own
// (plan-bench.ts pkiStackConfig), with the same engine, providers and environment. Its first apply
// (init and apply timed), then, after a change scenario synthesized the edited spec, the same
// edit's PKI applied there: what the fixed design asks of Terraform and its providers for that
// change before any SSH step. Each apply must succeed, and a change must change something.
import * as path from 'node:path';
import { Lab } from '../test-doubles/lab/lab';
import { deployedStack, pkiStackConfig, prepareStack, resourceCount, writeStackConfig } from './plan-bench';
import { PkiApplyRun } from './results';
import { EngineCall, runEngineTimed } from './timed-engine';
import { TimedLine } from './timed-process';

export interface PkiApplyOptions {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  readonly logFile: string;
  /**
   * `-parallelism=N` for the apply.
   * @default undefined: Terraform's default (10)
   */
  readonly parallelism?: number;
}

/** The engine's summary line, "N added, N changed, N destroyed", of a successful apply. */
export function applySummary(lines: readonly TimedLine[]): { added: number; changed: number; destroyed: number } | null {
  for (const l of lines) {
    const m = /^Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./.exec(l.text);
    if (m) return { added: Number(m[1]), changed: Number(m[2]), destroyed: Number(m[3]) };
  }
  return null;
}

/** When the first resource was created, replaced or destroyed: the end of loading, refreshing and planning. */
export function firstChangeMs(lines: readonly TimedLine[], wallMs: number): number {
  const first = lines.find((l) => /: (Creating|Destroying|Modifying)\.\.\.( \[|$)/.test(l.text));
  return first?.t ?? wallMs;
}

async function timedApply(lab: Lab, call: EngineCall, opts: PkiApplyOptions, initMs?: number): Promise<PkiApplyRun> {
  const extra = opts.parallelism ? [`-parallelism=${opts.parallelism}`] : [];
  const r = await runEngineTimed(lab, call, ['apply', '-auto-approve', '-input=false', '-no-color', ...extra], opts.logFile, 300_000);
  const counts = applySummary(r.lines);
  if (r.code !== 0 || !counts) throw new Error(`${opts.scenario}: apply exited ${r.code}; see ${opts.logFile}`);
  if (counts.added + counts.changed + counts.destroyed === 0) throw new Error(`${opts.scenario}: the apply changed nothing; see ${opts.logFile}`);
  return {
    scenario: opts.scenario,
    round: opts.round,
    members: opts.members,
    ...(initMs !== undefined && { initMs }),
    totalMs: r.wallMs,
    planMs: firstChangeMs(r.lines, r.wallMs),
    ...(r.cpuMs !== null && { cpuMs: r.cpuMs }),
    summary: `${counts.added} added, ${counts.changed} changed, ${counts.destroyed} destroyed`,
    log: opts.logFile,
  };
}

/**
 * Writes the deployment's PKI alone into `dir` (emptied first; its keys, certificates and host
 * files are written there), runs `init` and `apply` there, timed; returns how to run the engine in
 * it and the timed first apply, which must create every resource of the stack.
 */
export async function preparePkiStack(
  lab: Lab,
  deployed: EngineCall,
  dir: string,
  opts: Omit<PkiApplyOptions, 'logFile'>,
): Promise<{ call: EngineCall; run: PkiApplyRun }> {
  const config = pkiStackConfig(deployedStack(deployed));
  const { call, initMs } = await prepareStack(lab, deployed, dir, opts.scenario, config);
  const run = await timedApply(lab, call, { ...opts, logFile: path.join(dir, 'apply.log') }, initMs);
  if (!run.summary.startsWith(`${resourceCount(config)} added`))
    throw new Error(`${opts.scenario}: the apply did not create its ${resourceCount(config)} resources; see ${run.log}`);
  return { call, run };
}

/** After a change scenario synthesized the edited spec into `deployed`: the same edit's PKI, applied to the PKI stack in `pki`. */
export async function applyPkiChange(lab: Lab, deployed: EngineCall, pki: EngineCall, opts: PkiApplyOptions): Promise<PkiApplyRun> {
  writeStackConfig(pki.cwd, pkiStackConfig(deployedStack(deployed)));
  return timedApply(lab, pki, opts);
}
