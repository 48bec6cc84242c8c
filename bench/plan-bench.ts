// Timed no-change plans: the re-plan of a deployed cluster, and its floor, the plan of an empty
// stack with the same providers (the deployed stack's required_providers and provider blocks, no
// resources, variables or outputs), initialised untimed from the same provider mirror with the
// same engine and environment. Both run the same way in the controller namespace and must exit 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lab } from '../test-doubles/lab/lab';
import { planMilestones, planPhases } from './plan-phases';
import { ReplanRun } from './results';
import { EngineCall, runEngineTimed } from './timed-engine';

interface StackJson {
  terraform?: { required_providers?: unknown };
  provider?: unknown;
}

/** The empty stack's configuration: the providers of a synthesized stack, nothing else. */
export function emptyStackConfig(stack: StackJson): object {
  if (!stack.terraform?.required_providers || !stack.provider) throw new Error('the synthesized stack has no required_providers or provider blocks');
  return { terraform: { required_providers: stack.terraform.required_providers }, provider: stack.provider };
}

/**
 * Writes the empty stack beside the deployment into `dir` (emptied first) and runs `init` there,
 * untimed; returns how to run the engine in it.
 */
export async function prepareEmptyStack(lab: Lab, deployed: EngineCall, dir: string): Promise<EngineCall> {
  const stack = JSON.parse(fs.readFileSync(path.join(deployed.cwd, 'cdk.tf.json'), 'utf8')) as StackJson;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), `${JSON.stringify(emptyStackConfig(stack), null, 2)}\n`);
  const empty = { ...deployed, cwd: dir };
  const init = await runEngineTimed(lab, empty, ['init', '-input=false', '-no-color'], path.join(dir, 'init.log'), 120_000);
  if (init.code !== 0) throw new Error(`empty stack: init exited ${init.code}; see ${path.join(dir, 'init.log')}`);
  return empty;
}

export interface PlanOptions {
  readonly scenario: string;
  readonly round: number;
  readonly members: number;
  readonly logFile: string;
}

/** `plan -detailed-exitcode`, timed line by line: must exit 0 (no change). */
export async function timedPlan(lab: Lab, engine: EngineCall, opts: PlanOptions): Promise<ReplanRun> {
  const r = await runEngineTimed(lab, engine, ['plan', '-detailed-exitcode', '-input=false', '-no-color'], opts.logFile, 300_000);
  if (r.code !== 0) throw new Error(`${opts.scenario}: plan -detailed-exitcode exited ${r.code} (0 = no change expected); see ${opts.logFile}`);
  let m;
  try {
    m = planMilestones(r.lines, r.wallMs);
  } catch (e) {
    throw new Error(`${opts.scenario}: ${(e as Error).message}; see ${opts.logFile}`, { cause: e });
  }
  return {
    scenario: opts.scenario,
    round: opts.round,
    members: opts.members,
    code: r.code,
    totalMs: r.wallMs,
    phases: planPhases(m),
    refreshed: m.refreshed,
    log: opts.logFile,
  };
}
