// One member's restart floor: over plain SSH to one member of the deployed cluster, what a restart
// needs and nothing else (restart-floor.sh: `systemctl restart etcd`, then `endpoint health
// --cluster` every 0.1 s). Before the timed part the cluster must be healthy (untimed); after it,
// etcd's MainPID must have changed, or the run fails; systemd's timestamps split the restart into
// etcd's stop and its start.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab, LabHost } from '../test-doubles/lab/lab';
import { etcdProcess, healthyMember } from './host-probes';
import { RestartFloorRun } from './results';
import { parseRestartFigures, restartPhases } from './restart-phases';

export const RESTART_FLOOR_SCRIPT = path.join(__dirname, 'restart-floor.sh');

export interface RestartFloorOptions {
  readonly scenario: string;
  readonly round: number;
  readonly host: LabHost;
  readonly logFile: string;
}

export async function restartFloorOnce(lab: Lab, opts: RestartFloorOptions): Promise<RestartFloorRun> {
  const { host } = opts;
  const before = await healthyMember(lab, host);
  // bash -s reads the script on stdin: its argument comes first, as `set --`.
  const script = `set -- ${host.address}\n${fs.readFileSync(RESTART_FLOOR_SCRIPT, 'utf8')}`;
  const started = performance.now();
  const r = await lab.sshExec(host, script, { timeoutMs: 150_000 });
  const wallMs = performance.now() - started;
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  fs.writeFileSync(
    opts.logFile,
    `$ ssh ${host.name} bash -s < restart-floor.sh ${host.address}\n# exit ${r.code} after ${Math.round(wallMs)} ms; MainPID before ${before.pid}, leader ${before.leader}\n${r.stdout}\n--- stderr ---\n${r.stderr}`,
  );
  if (r.code !== 0) throw new Error(`${opts.scenario} ${host.name}: restart-floor.sh exited ${r.code}; see ${opts.logFile}`);
  const figures = parseRestartFigures(r.stdout);
  const after = await etcdProcess(lab, host);
  if (after.pid === before.pid) throw new Error(`${opts.scenario} ${host.name}: etcd's MainPID is still ${after.pid}: it did not restart; see ${opts.logFile}`);
  // systemd's own account of the stop: from leaving `active` to `inactive`.
  const stopMs = after.stoppedMonoMs - after.stoppingMonoMs;
  if (!(stopMs >= 0 && stopMs <= figures.restartMs + 50)) {
    throw new Error(
      `${opts.scenario} ${host.name}: systemd's stop of etcd took ${stopMs} ms, not within the restart's ${figures.restartMs} ms; see ${opts.logFile}`,
    );
  }
  return {
    scenario: opts.scenario,
    round: opts.round,
    member: host.name,
    wasLeader: before.leader,
    totalMs: wallMs,
    phases: restartPhases(wallMs, figures, stopMs),
    polls: figures.polls,
    log: opts.logFile,
  };
}

/** The hosts with the current leader last (untimed: waits for a healthy cluster first). */
export async function leaderLast(lab: Lab, hosts: readonly LabHost[]): Promise<LabHost[]> {
  const roles = await Promise.all(hosts.map((h) => healthyMember(lab, h)));
  return [...hosts.filter((_, i) => !roles[i].leader), ...hosts.filter((_, i) => roles[i].leader)];
}
