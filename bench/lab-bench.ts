// The lab part of the benchmark, in rounds. Each round boots a fresh 5-host lab and runs, on it,
// one of each scenario; between scenarios the used hosts are wiped (fresh-hosts.ts), so every run
// is a first deploy (checked: every member must log "installed etcd"). Interleaving deploys and
// floors inside a round exposes them to the same machine load. The lab goes down in `finally`.
import * as path from 'node:path';
import { providersDescription } from '../toolchain/providers';
import { Lab } from '../test-doubles/lab/lab';
import { deployOnce, replanOnce } from './deploy-bench';
import { floorOnce } from './floor';
import { wipeHosts } from './fresh-hosts';
import { LabResults } from './results';
import { SCENARIOS } from './scenarios';

export interface LabBenchOptions {
  readonly rounds: number;
  readonly outDir: string;
  /** Progress, one line per step. */
  readonly progress: (s: string) => void;
  /** The lab's own log lines. */
  readonly labLog: (s: string) => void;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

export async function runLabBench(opts: LabBenchOptions): Promise<LabResults> {
  const results: LabResults = { providers: providersDescription(), rounds: [], deploys: [], floors: [], replans: [] };
  for (let round = 1; round <= opts.rounds; round++) {
    const say = (s: string): void => opts.progress(`[bench] lab round ${round}/${opts.rounds}: ${s}`);
    const upStarted = Date.now();
    const lab = await Lab.up({ hosts: 5, log: opts.labLog });
    const upMs = Date.now() - upStarted;
    say(`lab ${lab.name} up in ${secs(upMs)} (rootfs ${lab.timings.rootfsMode ?? '?'})`);
    try {
      const release = await lab.publishEtcdRelease();
      const three = lab.hosts.slice(0, 3);
      const five = lab.hosts.slice(0, 5);
      const dir = (name: string): string => path.resolve(opts.outDir, `round-${round}`, name);

      const d3 = await deployOnce(lab, release, { scenario: SCENARIOS.deploy3, round, hosts: three, hostState: 'new', workDir: dir('deploy-3') });
      results.deploys.push(d3.run);
      say(`${SCENARIOS.deploy3}: init ${secs(d3.run.initMs)} + apply ${secs(d3.run.applyMs)}`);
      const replan = await replanOnce(d3, SCENARIOS.replan3);
      results.replans.push(replan);
      say(`${SCENARIOS.replan3}: ${secs(replan.totalMs)} (exit ${replan.code})`);
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

      const d5 = await deployOnce(lab, release, { scenario: SCENARIOS.deploy5, round, hosts: five, hostState: 'wiped', workDir: dir('deploy-5') });
      results.deploys.push(d5.run);
      say(`${SCENARIOS.deploy5}: init ${secs(d5.run.initMs)} + apply ${secs(d5.run.applyMs)}`);
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
