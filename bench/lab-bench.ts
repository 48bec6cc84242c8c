// The lab part of the benchmark, in rounds. Each round boots a fresh 5-host lab and runs, on it,
// one of each scenario; between first deploys the used hosts are wiped (fresh-hosts.ts), so every
// deploy is a first deploy (checked: every member must log "installed etcd"). The deployed
// 3-member cluster of the first deploy is then used, before it is wiped, for the no-change plans
// (re-plan, its PKI alone and the empty stack's plan, interleaved), one member's restart floor (each member
// twice, the leader last in each pass), the one-member change and the rolling renewal; the PKI alone is applied
// first, and then with each change's edit (pki-apply.ts). Interleaving inside a round exposes a
// measurement and its floor to the same machine load. The lab goes down in `finally`.
import * as path from 'node:path';
import { providersDescription } from '../toolchain/providers';
import { Lab } from '../test-doubles/lab/lab';
import { WriterCounts, writerSummary } from '../test-doubles/lab/writer';
import { oneMemberChange, rollingRenewal, rollingUpgrade } from './day2-bench';
import { deployOnce, engineCall } from './deploy-bench';
import { floorOnce } from './floor';
import { wipeHosts } from './fresh-hosts';
import { applyPkiChange, preparePkiStack } from './pki-apply';
import { prepareEmptyStack, timedPlan } from './plan-bench';
import { leaderLast, restartFloorOnce } from './restart-floor';
import { LabResults } from './results';
import { SCENARIOS, UPGRADE_FROM } from './scenarios';

/**
 * Restarts of each member per round for the restart floor. etcd's stop takes either a few ms or up
 * to its peer server's 1 s deadline (bench/README), so single restarts spread from about 0.4 to
 * 1.5 s: with one pass the median of 9 moved from 0.98 s to 1.46 s between two runs of the same
 * code on one machine (2026-11-27); two passes make it a median of 18.
 */
const RESTART_FLOOR_PASSES = 2;

/** A rolling change's writes for the progress log. */
const writes = (w: WriterCounts | undefined): string => (w ? writerSummary(w) : 'no writer ran');

export interface LabBenchOptions {
  readonly rounds: number;
  /** Run the rolling upgrade (a cluster deployed at UPGRADE_FROM first, untimed). */
  readonly upgrade: boolean;
  readonly outDir: string;
  /** Progress, one line per step. */
  readonly progress: (s: string) => void;
  /** The lab's own log lines. */
  readonly labLog: (s: string) => void;
}

/** No-change plans per round, of the deployed cluster and of the empty stack each. */
export const PLAN_REPS = 3;

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function runLabBench(opts: LabBenchOptions): Promise<LabResults> {
  const results: Required<LabResults> = {
    providers: providersDescription(),
    rounds: [],
    deploys: [],
    floors: [],
    replans: [],
    restarts: [],
    changes: [],
    pkiApplies: [],
  };
  for (let round = 1; round <= opts.rounds; round++) {
    const say = (s: string): void => opts.progress(`[bench] lab round ${round}/${opts.rounds}: ${s}`);
    const upStarted = Date.now();
    const lab = await Lab.up({ hosts: 5, log: opts.labLog });
    const upMs = Date.now() - upStarted;
    say(`lab ${lab.name} up in ${secs(upMs)} (rootfs ${lab.timings.rootfsMode ?? '?'})`);
    try {
      const release = await lab.publishEtcdRelease();
      const older = opts.upgrade ? await lab.publishEtcdRelease(UPGRADE_FROM) : undefined;
      const three = lab.hosts.slice(0, 3);
      const five = lab.hosts.slice(0, 5);
      const dir = (name: string): string => path.resolve(opts.outDir, `round-${round}`, name);

      const d3 = await deployOnce(lab, release, { scenario: SCENARIOS.deploy3, round, hosts: three, hostState: 'new', workDir: dir('deploy-3') });
      results.deploys.push(d3.run);
      say(`${SCENARIOS.deploy3}: init ${secs(d3.run.initMs)} + apply ${secs(d3.run.applyMs)}`);

      // No-change plans: the deployed cluster's, its PKI alone and the empty stack's, in turn.
      const deployed = engineCall(d3.deployment);
      const empty = await prepareEmptyStack(lab, deployed, dir('empty-stack'));
      const pkiFirst = await preparePkiStack(lab, deployed, dir('pki-stack'), { scenario: SCENARIOS.pkiFirst3, round, members: 3 });
      const pki = pkiFirst.call;
      results.pkiApplies.push(pkiFirst.run);
      say(`${SCENARIOS.pkiFirst3}: init ${secs(pkiFirst.run.initMs ?? NaN)} + apply ${secs(pkiFirst.run.totalMs)}`);
      for (let i = 1; i <= PLAN_REPS; i++) {
        const replan = await timedPlan(lab, deployed, { scenario: SCENARIOS.replan3, round, members: 3, logFile: dir(`plans/replan-${i}.log`) });
        const pkiPlan = await timedPlan(lab, pki, { scenario: SCENARIOS.pkiPlan, round, members: 3, logFile: dir(`plans/pki-${i}.log`) });
        const emptyPlan = await timedPlan(lab, empty, { scenario: SCENARIOS.emptyPlan, round, members: 0, logFile: dir(`plans/empty-${i}.log`) });
        results.replans.push(replan, pkiPlan, emptyPlan);
        say(
          `${SCENARIOS.replan3} ${secs(replan.totalMs)} (${replan.refreshed} refreshed), ${SCENARIOS.pkiPlan} ${secs(pkiPlan.totalMs)} (${pkiPlan.refreshed}), ${SCENARIOS.emptyPlan} ${secs(emptyPlan.totalMs)}`,
        );
      }

      // Each member RESTART_FLOOR_PASSES times, the leader last in each pass: both roles in the figure
      // (a leader hands its leadership over).
      for (let pass = 1; pass <= RESTART_FLOOR_PASSES; pass++) {
        for (const host of await leaderLast(lab, three)) {
          const r = await restartFloorOnce(lab, { scenario: SCENARIOS.restartFloor, round, host, logFile: dir(`restart-floor-${host.name}-${pass}.log`) });
          results.restarts.push(r);
          say(
            `${SCENARIOS.restartFloor} ${host.name}${r.wasLeader ? ' (leader)' : ''}: ${secs(r.totalMs)} (etcd: stop ${secs(r.phases.stop)}, start ${secs(r.phases.start)}, healthy ${secs(r.phases.health)} later)`,
          );
        }
      }

      const day2 = { round, hosts: three };
      const c1 = await oneMemberChange(lab, d3.deployment, three[1], { ...day2, logFile: dir('deploy-3/one-member-change-apply-timed.log') });
      results.changes.push(c1);
      say(`${SCENARIOS.change1} (${three[1].name}): apply ${secs(c1.applyMs)}`);
      const pkiC1 = await applyPkiChange(lab, deployed, pki, {
        scenario: SCENARIOS.pkiChange1,
        round,
        members: 3,
        logFile: dir('pki-stack/one-member-change.log'),
      });
      results.pkiApplies.push(pkiC1);
      say(`${SCENARIOS.pkiChange1}: apply ${secs(pkiC1.totalMs)} (${pkiC1.summary})`);
      const renewal = await rollingRenewal(lab, d3.deployment, { ...day2, logFile: dir('deploy-3/renewal-apply-timed.log') });
      results.changes.push(renewal);
      say(`${SCENARIOS.renewal}: apply ${secs(renewal.applyMs)}, ${writes(renewal.writer)}`);
      const pkiRenewal = await applyPkiChange(lab, deployed, pki, { scenario: SCENARIOS.pkiRenewal, round, members: 3, logFile: dir('pki-stack/renewal.log') });
      results.pkiApplies.push(pkiRenewal);
      say(`${SCENARIOS.pkiRenewal}: apply ${secs(pkiRenewal.totalMs)} (${pkiRenewal.summary})`);
      await wipeHosts(lab, three);

      const t3 = await deployOnce(lab, release, {
        scenario: SCENARIOS.deploy3tofu,
        round,
        hosts: three,
        hostState: 'wiped',
        engine: 'tofu',
        workDir: dir('deploy-3-tofu'),
      });
      results.deploys.push(t3.run);
      say(`${SCENARIOS.deploy3tofu}: init ${secs(t3.run.initMs)} + apply ${secs(t3.run.applyMs)}`);
      await wipeHosts(lab, three);

      const f3 = await floorOnce(lab, release, {
        scenario: SCENARIOS.floor3,
        round,
        hosts: three,
        hostState: 'wiped',
        bundlesDir: path.join(d3.deployment.stackDir, 'hosts'),
        logFile: dir('floor-3.log'),
      });
      results.floors.push(f3);
      say(`${SCENARIOS.floor3}: ${secs(f3.totalMs)}`);
      await wipeHosts(lab, three);

      const f3serial = await floorOnce(lab, release, {
        scenario: SCENARIOS.floor3serial,
        round,
        hosts: three,
        hostState: 'wiped',
        bundlesDir: path.join(d3.deployment.stackDir, 'hosts'),
        logFile: dir('floor-3-serial.log'),
        serial: true,
      });
      results.floors.push(f3serial);
      say(`${SCENARIOS.floor3serial}: ${secs(f3serial.totalMs)}`);
      await wipeHosts(lab, three);

      const d5 = await deployOnce(lab, release, { scenario: SCENARIOS.deploy5, round, hosts: five, hostState: 'wiped', workDir: dir('deploy-5') });
      results.deploys.push(d5.run);
      say(`${SCENARIOS.deploy5}: init ${secs(d5.run.initMs)} + apply ${secs(d5.run.applyMs)}`);
      const pki5 = await preparePkiStack(lab, engineCall(d5.deployment), dir('pki-stack-5'), { scenario: SCENARIOS.pkiFirst5, round, members: 5 });
      results.pkiApplies.push(pki5.run);
      say(`${SCENARIOS.pkiFirst5}: init ${secs(pki5.run.initMs ?? NaN)} + apply ${secs(pki5.run.totalMs)}`);
      await wipeHosts(lab, five);

      const f5 = await floorOnce(lab, release, {
        scenario: SCENARIOS.floor5,
        round,
        hosts: five,
        hostState: 'wiped',
        bundlesDir: path.join(d5.deployment.stackDir, 'hosts'),
        logFile: dir('floor-5.log'),
      });
      results.floors.push(f5);
      say(`${SCENARIOS.floor5}: ${secs(f5.totalMs)}`);
      await wipeHosts(lab, five);

      const p1 = await deployOnce(lab, release, {
        scenario: SCENARIOS.deploy3p1,
        round,
        hosts: three,
        hostState: 'wiped',
        parallelism: 1,
        workDir: dir('deploy-3-p1'),
      });
      results.deploys.push(p1.run);
      say(`${SCENARIOS.deploy3p1}: init ${secs(p1.run.initMs)} + apply ${secs(p1.run.applyMs)}`);
      const pkiP1 = await preparePkiStack(lab, engineCall(p1.deployment), dir('pki-stack-p1'), {
        scenario: SCENARIOS.pkiFirst3p1,
        round,
        members: 3,
        parallelism: 1,
      });
      results.pkiApplies.push(pkiP1.run);
      say(`${SCENARIOS.pkiFirst3p1}: init ${secs(pkiP1.run.initMs ?? NaN)} + apply ${secs(pkiP1.run.totalMs)}`);

      if (older) {
        // Untimed: a first deploy at the older release (checked like any first deploy), then the upgrade.
        await wipeHosts(lab, three);
        const base = await deployOnce(lab, older, {
          scenario: `deploy 3 at ${UPGRADE_FROM}`,
          round,
          hosts: three,
          hostState: 'wiped',
          workDir: dir('upgrade-3'),
        });
        const upgrade = await rollingUpgrade(lab, base.deployment, release, { ...day2, logFile: dir('upgrade-3/upgrade-apply-timed.log') });
        results.changes.push(upgrade);
        say(`${SCENARIOS.upgrade} (${UPGRADE_FROM} → ${release.version}): apply ${secs(upgrade.applyMs)}, ${writes(upgrade.writer)}`);
      }
    } finally {
      const downStarted = Date.now();
      await lab.down();
      const downMs = Date.now() - downStarted;
      results.rounds.push({ round, lab: lab.name, hosts: lab.hosts.length, upMs, downMs, rootfsMode: lab.timings.rootfsMode });
      say(`lab down in ${secs(downMs)}`);
    }
  }
  return results;
}
