// One first deploy onto lab hosts, timed: LabDeployment synthesizes and runs `init` with the
// engine (terraform or tofu), then `apply` is spawned here (timed-engine.ts: same namespace, cwd,
// binary and environment as LabDeployment uses) so that every output line is timestamped as it
// arrives. The release is any the lab publishes (the rolling upgrade starts from an older one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labCpuMs } from '../test-doubles/lab/cgroups';
import { Engine, LabDeployment, labClusterSpec } from '../test-doubles/lab/deploy';
import { Lab, LabHost } from '../test-doubles/lab/lab';
import { PublishedRelease } from '../test-doubles/lab/artefacts';
import { deployMilestones, deployPhases } from './phases';
import { privateUploadMs } from './private-upload';
import { DeployRun, HostState } from './results';
import { EngineCall, runEngineTimed } from './timed-engine';
import { cpuDelta } from './timed-process';

export interface DeployOptions {
  readonly scenario: string;
  readonly round: number;
  readonly hosts: readonly LabHost[];
  readonly hostState: HostState;
  readonly parallelism?: number;
  /** @default 'terraform' */
  readonly engine?: Engine;
  /** Fresh directory for the synthesized stack, its state and the logs. */
  readonly workDir: string;
}

/** LabDeployment logs `# exit 0 after N ms` at the top of each engine run's log. */
function loggedMs(workDir: string, engine: Engine, command: string): number {
  const file = fs.readdirSync(workDir).find((f) => new RegExp(`^${engine}-\\d+-${command}\\.log$`).test(f));
  const m = file ? /^# exit 0 after (\d+) ms$/m.exec(fs.readFileSync(path.join(workDir, file), 'utf8')) : null;
  if (!m) throw new Error(`no successful ${engine} ${command} log in ${workDir}`);
  return Number(m[1]);
}

/** How to run the engine in a deployment's stack, as LabDeployment does. */
export const engineCall = (d: LabDeployment): EngineCall => ({ binary: d.binary, env: d.env, cwd: d.stackDir });

export interface TimedDeploy {
  readonly run: DeployRun;
  readonly deployment: LabDeployment;
}

export async function deployOnce(lab: Lab, release: PublishedRelease, opts: DeployOptions): Promise<TimedDeploy> {
  // A first deploy: no state, stack or logs from an earlier run in this directory.
  fs.rmSync(opts.workDir, { recursive: true, force: true });
  fs.mkdirSync(opts.workDir, { recursive: true });
  const members = opts.hosts.map((h) => ({ name: h.name, address: h.address }));
  const engine = opts.engine ?? 'terraform';
  const spec = labClusterSpec(lab, release, { members });
  const deployment = await LabDeployment.create(lab, spec, { workDir: opts.workDir, engine });
  const initMs = loggedMs(opts.workDir, engine, 'init');

  const extra = opts.parallelism ? [`-parallelism=${opts.parallelism}`] : [];
  const log = path.join(opts.workDir, `apply-timed.log`);
  const hostsBefore = labCpuMs(lab.name);
  const r = await runEngineTimed(lab, engineCall(deployment), ['apply', '-auto-approve', '-input=false', '-no-color', ...extra], log);
  const hostsCpuMs = cpuDelta(hostsBefore, labCpuMs(lab.name));
  if (r.code !== 0) throw new Error(`${opts.scenario}: ${engine} apply exited ${r.code}; see ${log}`);

  let milestones;
  try {
    milestones = deployMilestones(
      r.lines,
      r.wallMs,
      members.map((m) => m.name),
    );
  } catch (e) {
    throw new Error(`${opts.scenario}: ${(e as Error).message}; see ${log}`, { cause: e });
  }
  const phases = { init: initMs, ...deployPhases(milestones) };
  const uploadMs = privateUploadMs(r.lines);
  return {
    deployment,
    run: {
      scenario: opts.scenario,
      engine,
      round: opts.round,
      members: members.length,
      parallelism: opts.parallelism ?? 10,
      hosts: opts.hostState,
      initMs,
      applyMs: r.wallMs,
      totalMs: initMs + r.wallMs,
      ...(r.cpuMs !== null && { cpuMs: r.cpuMs }),
      ...(hostsCpuMs !== null && { hostsCpuMs }),
      phases,
      milestones,
      ...(uploadMs !== null && { uploadMs }),
      log,
    },
  };
}
