// Timed no-change plans: the re-plan of a deployed cluster, and two floors: the plan of an empty
// stack with the same providers (the deployed stack's required_providers and provider blocks, no
// resources, variables or outputs), and the re-plan of its PKI alone (the same stack's tls_ and
// local_ resources, as synthesized, in a stack of their own: what the project's fixed choices
// prescribe, a tls_ resource for every key, request and certificate and a local_ file for every
// file of each host's tree, before any provisioning resource). Each is initialised from the same
// provider mirror with the same engine and environment (the PKI stack is also applied, timed:
// pki-apply.ts). All run the same way in the controller namespace and must exit 0.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lab } from '../test-doubles/lab/lab';
import { planMilestones, planPhases } from './plan-phases';
import { ReplanRun } from './results';
import { EngineCall, runEngineTimed } from './timed-engine';

export interface StackJson {
  terraform?: { required_providers?: unknown };
  provider?: unknown;
  resource?: Record<string, Record<string, unknown>>;
}

/** The resource types of the PKI: the CA and leaf certificates, and each host's files. */
const PKI_TYPE = /^(tls|local)_/;

/** The empty stack's configuration: the providers of a synthesized stack, nothing else. */
export function emptyStackConfig(stack: StackJson): object {
  if (!stack.terraform?.required_providers || !stack.provider) throw new Error('the synthesized stack has no required_providers or provider blocks');
  return { terraform: { required_providers: stack.terraform.required_providers }, provider: stack.provider };
}

/**
 * The PKI stack's configuration: the providers of a synthesized stack and its tls_ and local_
 * resources as they are, nothing else. Refuses a stack where one of them would refer to anything
 * left out (it would not plan alone).
 */
export function pkiStackConfig(stack: StackJson): object {
  const providers = emptyStackConfig(stack);
  const resource = Object.fromEntries(Object.entries(stack.resource ?? {}).filter(([type]) => PKI_TYPE.test(type)));
  if (Object.keys(resource).length === 0) throw new Error('the synthesized stack has no tls_ or local_ resources');
  const refs = JSON.stringify(resource).match(/\b[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+/g) ?? [];
  const outside = refs.filter((ref) => {
    const type = ref.split('.')[0];
    return Object.hasOwn(stack.resource ?? {}, type) && !PKI_TYPE.test(type);
  });
  if (outside.length > 0) throw new Error(`the PKI resources refer to resources outside the PKI: ${[...new Set(outside)].join(', ')}`);
  return { ...providers, resource };
}

/** Resources in a stack configuration. */
export function resourceCount(config: object): number {
  const resource = (config as StackJson).resource ?? {};
  return Object.values(resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** Writes `config` into `dir` (emptied first) and runs `init` there, timed; returns how to run the engine in it. */
export async function prepareStack(lab: Lab, deployed: EngineCall, dir: string, name: string, config: object): Promise<{ call: EngineCall; initMs: number }> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  writeStackConfig(dir, config);
  const call = { ...deployed, cwd: dir };
  const init = await runEngineTimed(lab, call, ['init', '-input=false', '-no-color'], path.join(dir, 'init.log'), 120_000);
  if (init.code !== 0) throw new Error(`${name}: init exited ${init.code}; see ${path.join(dir, 'init.log')}`);
  return { call, initMs: init.wallMs };
}

/** A stack's whole configuration, as its only file. */
export const writeStackConfig = (dir: string, config: object): void => fs.writeFileSync(path.join(dir, 'main.tf.json'), `${JSON.stringify(config, null, 2)}\n`);

/** The synthesized stack a deployment's engine runs (after a change: the changed one). */
export const deployedStack = (deployed: EngineCall): StackJson => JSON.parse(fs.readFileSync(path.join(deployed.cwd, 'cdk.tf.json'), 'utf8')) as StackJson;

/**
 * Writes the empty stack beside the deployment into `dir` (emptied first) and runs `init` there,
 * untimed; returns how to run the engine in it.
 */
export async function prepareEmptyStack(lab: Lab, deployed: EngineCall, dir: string): Promise<EngineCall> {
  return (await prepareStack(lab, deployed, dir, 'empty stack', emptyStackConfig(deployedStack(deployed)))).call;
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
