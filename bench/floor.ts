// The floor of a deploy: bench/floor.sh run in the lab's controller namespace on wiped hosts, with
// the PKI trees and units a Terraform deploy of the same members generated (certificates made
// before the timed part, as the floor's definition says), timed line by line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labCpuMs } from '../test-doubles/lab/cgroups';
import { Lab, LabHost } from '../test-doubles/lab/lab';
import { PublishedRelease } from '../test-doubles/lab/artefacts';
import { floorMilestones, floorPhases } from './phases';
import { FloorRun, HostState } from './results';
import { cpuDelta, formatTimedLines, runTimed } from './timed-process';

export const FLOOR_SCRIPT = path.join(__dirname, 'floor.sh');

export interface FloorOptions {
  readonly scenario: string;
  readonly round: number;
  readonly hosts: readonly LabHost[];
  readonly hostState: HostState;
  /** Directory with one `NAME/pki` tree per host (a Terraform deploy's `hosts/`). */
  readonly bundlesDir: string;
  /** Where the timed log goes. */
  readonly logFile: string;
  /**
   * One host after another (FLOOR_SERIAL=1), the floor of a `-parallelism=1` deploy.
   * @default false: every host at once
   */
  readonly serial?: boolean;
}

export async function floorOnce(lab: Lab, release: PublishedRelease, opts: FloorOptions): Promise<FloorRun> {
  for (const h of opts.hosts) {
    for (const f of ['pki/etcd/ca.crt', 'pki/apiserver-etcd-client.crt', 'pki/apiserver-etcd-client.key']) {
      if (!fs.existsSync(path.join(opts.bundlesDir, h.name, f))) throw new Error(`${opts.scenario}: no ${f} for ${h.name} in ${opts.bundlesDir}`);
    }
  }
  const argv = [
    'ip',
    'netns',
    'exec',
    lab.controllerNetns,
    'bash',
    FLOOR_SCRIPT,
    lab.sshPrivateKeyPath,
    release.url,
    release.sha256,
    lab.etcdctlPath,
    opts.bundlesDir,
    ...opts.hosts.map((h) => `${h.name}=${h.address}`),
  ];
  const hostsBefore = labCpuMs(lab.name);
  const r = await runTimed(argv, { timeoutMs: 300_000, env: { ...process.env, FLOOR_SERIAL: opts.serial ? '1' : '0' } });
  const hostsCpuMs = cpuDelta(hostsBefore, labCpuMs(lab.name));
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  fs.writeFileSync(opts.logFile, `$ ${argv.join(' ')}\n# exit ${r.code} after ${Math.round(r.wallMs)} ms\n${formatTimedLines(r.lines)}\n`);
  if (r.code !== 0) throw new Error(`${opts.scenario}: floor.sh exited ${r.code}; see ${opts.logFile}`);
  let milestones;
  try {
    milestones = floorMilestones(
      r.lines,
      r.wallMs,
      opts.hosts.map((h) => h.name),
    );
  } catch (e) {
    throw new Error(`${opts.scenario}: ${(e as Error).message}; see ${opts.logFile}`, { cause: e });
  }
  return {
    scenario: opts.scenario,
    round: opts.round,
    members: opts.hosts.length,
    hosts: opts.hostState,
    totalMs: r.wallMs,
    ...(r.cpuMs !== null && { cpuMs: r.cpuMs }),
    ...(hostsCpuMs !== null && { hostsCpuMs }),
    phases: floorPhases(milestones),
    milestones,
    log: opts.logFile,
  };
}
