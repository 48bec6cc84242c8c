// One first deploy onto lab hosts, timed: LabDeployment synthesizes and runs terraform init, then
// terraform apply is spawned here (same namespace, cwd and environment as LabDeployment uses) so
// that every output line is timestamped as it arrives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LabDeployment, labClusterSpec, providerSource } from '../test-doubles/lab/deploy';
import { Lab, LabHost } from '../test-doubles/lab/lab';
import { PublishedRelease } from '../test-doubles/lab/artefacts';
import { ensureProviderMirror } from '../test-doubles/providers/mirror';
import { deployMilestones, deployPhases } from './phases';
import { DeployRun, HostState, ReplanRun } from './results';
import { formatTimedLines, runTimed } from './timed-process';

export interface DeployOptions {
  readonly scenario: string;
  readonly round: number;
  readonly hosts: readonly LabHost[];
  readonly hostState: HostState;
  readonly parallelism?: number;
  /** Fresh directory for the synthesized stack, its state and the logs. */
  readonly workDir: string;
}

/** terraform's environment as LabDeployment sets it (stand-in providers from the mirror). */
async function terraformEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  if (providerSource() === 'stand-in') Object.assign(env, (await ensureProviderMirror()).env);
  return env;
}

/** LabDeployment logs `# exit 0 after N ms` at the top of each terraform run's log. */
function loggedMs(workDir: string, command: string): number {
  const file = fs.readdirSync(workDir).find((f) => new RegExp(`^terraform-\\d+-${command}\\.log$`).test(f));
  const m = file ? /^# exit 0 after (\d+) ms$/m.exec(fs.readFileSync(path.join(workDir, file), 'utf8')) : null;
  if (!m) throw new Error(`no successful terraform ${command} log in ${workDir}`);
  return Number(m[1]);
}

export interface TimedDeploy {
  readonly run: DeployRun;
  readonly deployment: LabDeployment;
}

export async function deployOnce(lab: Lab, release: PublishedRelease, opts: DeployOptions): Promise<TimedDeploy> {
  // A first deploy: no state, stack or logs from an earlier run in this directory.
  fs.rmSync(opts.workDir, { recursive: true, force: true });
  fs.mkdirSync(opts.workDir, { recursive: true });
  const members = opts.hosts.map((h) => ({ name: h.name, address: h.address }));
  const spec = labClusterSpec(lab, { ...release, version: lab.etcdVersion }, { members });
  const deployment = await LabDeployment.create(lab, spec, opts.workDir);
  const initMs = loggedMs(opts.workDir, 'init');

  const extra = opts.parallelism ? [`-parallelism=${opts.parallelism}`] : [];
  const argv = ['ip', 'netns', 'exec', lab.controllerNetns, 'terraform', 'apply', '-auto-approve', '-input=false', '-no-color', ...extra];
  const r = await runTimed(argv, { cwd: deployment.stackDir, env: await terraformEnv(), timeoutMs: 600_000 });
  const log = path.join(opts.workDir, `apply-timed.log`);
  fs.writeFileSync(log, `$ ${argv.join(' ')}\n# exit ${r.code} after ${Math.round(r.wallMs)} ms\n${formatTimedLines(r.lines)}\n`);
  if (r.code !== 0) throw new Error(`${opts.scenario}: terraform apply exited ${r.code}; see ${log}`);

  let milestones;
  try {
    milestones = deployMilestones(r.lines, r.wallMs, members.map((m) => m.name));
  } catch (e) {
    throw new Error(`${opts.scenario}: ${(e as Error).message}; see ${log}`);
  }
  const phases = { init: initMs, ...deployPhases(milestones) };
  return {
    deployment,
    run: {
      scenario: opts.scenario,
      round: opts.round,
      members: members.length,
      parallelism: opts.parallelism ?? 10,
      hosts: opts.hostState,
      initMs,
      applyMs: r.wallMs,
      totalMs: initMs + r.wallMs,
      phases,
      milestones,
      log,
    },
  };
}

/** `terraform plan -detailed-exitcode` of the deployed cluster: must be 0 (no change). */
export async function replanOnce(d: TimedDeploy, scenario: string): Promise<ReplanRun> {
  const p = await d.deployment.plan();
  if (p.code !== 0) throw new Error(`${scenario}: plan -detailed-exitcode exited ${p.code} (0 = no change expected); see ${p.log}`);
  return { scenario, round: d.run.round, members: d.run.members, code: p.code, totalMs: p.ms, log: p.log };
}
