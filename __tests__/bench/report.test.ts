// The benchmark's pure parts: statistics, first-deploy phases from timestamped terraform output,
// options, specs, the targets and report built from raw results, and shellcheck on the bench's
// scripts. No lab. (Plans, restarts and change applies: changes.test.ts.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseOptions } from '../../bench/options';
import { deployMilestones, deployPhases, floorMilestones, floorPhases } from '../../bench/phases';
import { renderMarkdown } from '../../bench/report';
import { BenchResults, DeployRun, FloorRun } from '../../bench/results';
import { SCENARIOS } from '../../bench/scenarios';
import { memberSpec, synthCases } from '../../bench/specs';
import { median, medianRun, ratio } from '../../bench/stats';
import { gapContributors, summarize } from '../../bench/summary';
import type { OpsRow, ScenarioRow } from '../../bench/summary';
import { cpuBound, cpuCompared, fixedDeployFloor, serialFloorStory, TARGETS } from '../../bench/targets';
import { machineBusyMs, TimedLine } from '../../bench/timed-process';
import { shellcheck, shellcheckAvailable } from '../helpers/shellcheck';

const at = (t: number, text: string): TimedLine => ({ t, stream: 'stdout', text });

/** A 2-member first deploy, as terraform apply -no-color prints it (abridged). */
const APPLY: TimedLine[] = [
  at(10, 'Plan: 40 to add, 0 to change, 0 to destroy.'),
  at(1000, 'tls_private_key.etcd_ca_key: Creating...'),
  at(1800, 'tls_private_key.etcd_ca_key: Creation complete after 1s [id=ab]'),
  at(2100, 'terraform_data.etcd_member_a1: Creating...'),
  at(2500, 'local_sensitive_file.etcd_a2_file_pki_etcd_peer_key: Creation complete after 0s [id=cd]'),
  at(2600, 'terraform_data.etcd_member_a2: Creating...'),
  at(3000, 'terraform_data.etcd_member_a1 (remote-exec): [etcd-deploy a1] downloading http://x/etcd.tar.gz'),
  at(3400, 'terraform_data.etcd_member_a1 (remote-exec): [etcd-deploy a1] installed etcd 3.4.23 into /usr/local/bin'),
  at(3900, 'terraform_data.etcd_member_a2 (remote-exec): [etcd-deploy a2] installed etcd 3.4.23 into /usr/local/bin'),
  at(
    4000,
    'terraform_data.etcd_member_a1 (remote-exec): [etcd-deploy a1] not started yet: the bootstrap (a new cluster) or the join step (a running one) starts it',
  ),
  at(4100, 'terraform_data.etcd_member_a1: Creation complete after 2s [id=1]'),
  at(4400, 'terraform_data.etcd_member_a2: Creation complete after 2s [id=3]'),
  at(4500, 'terraform_data.etcd_bootstrap: Creating...'),
  at(4600, 'terraform_data.etcd_bootstrap (remote-exec): [etcd-ops a1] bootstrapping: starting as a founding member of a new cluster'),
  at(4700, 'terraform_data.etcd_bootstrap (remote-exec): [etcd-ops a2] bootstrapping: starting as a founding member of a new cluster'),
  at(4800, 'terraform_data.etcd_bootstrap: Creation complete after 0s [id=5]'),
  at(4900, 'terraform_data.etcd_member_a1_join: Creation complete after 0s [id=6]'),
  at(5000, 'terraform_data.etcd_membership["a2"]: Creation complete after 0s [id=7]'),
  at(5100, 'terraform_data.etcd_health_check (remote-exec): etcd cluster healthy after 1 attempt(s); members: a1 a2'),
  at(5200, 'terraform_data.etcd_health_check: Creation complete after 0s [id=5]'),
  at(5250, 'Apply complete! Resources: 40 added, 0 changed, 0 destroyed.'),
];

describe('stats', () => {
  it('takes medians of odd and even counts, and the median run', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(medianRun([{ t: 9 }, { t: 1 }, { t: 5 }, { t: 7 }], (r) => r.t)).toEqual({ t: 5 });
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
  });
});

describe('phases of a deploy', () => {
  it('derives milestones from the timestamped lines; the cluster is started once every step but the health check is done', () => {
    const m = deployMilestones(APPLY, 5300, ['a1', 'a2']);
    expect(m).toEqual({
      firstCreating: 1000,
      lastPkiComplete: 2500,
      firstMemberCreating: 2100,
      firstInstalled: 3400,
      lastInstalled: 3900,
      lastStartLine: 4700,
      lastMemberComplete: 4400,
      lastStartComplete: 5000,
      healthComplete: 5200,
      wall: 5300,
    });
  });

  it('makes back-to-back phases that add up to the wall time, overlap going to the earlier phase', () => {
    const phases = deployPhases(deployMilestones(APPLY, 5300, ['a1', 'a2']));
    // start: from the last "installed etcd" through the bootstrap, the join checks and membership.
    expect(phases).toEqual({ plan: 1000, pki: 1500, install: 1400, start: 1100, health: 200, finish: 100 });
    // Results from before lastStartComplete was recorded: start ends with the member provisioners.
    const { lastStartComplete: _, ...old } = deployMilestones(APPLY, 5300, ['a1', 'a2']);
    expect(deployPhases(old)).toMatchObject({ start: 500, health: 800 });
    // PKI ends after the health check? Then the later phases are 0, never negative.
    const odd = deployPhases({ ...deployMilestones(APPLY, 5300, ['a1', 'a2']), lastPkiComplete: 5250 });
    expect(Object.values(odd).every((v) => (v ?? 0) >= 0)).toBe(true);
    expect(Object.values(odd).reduce((n, v) => n + (v ?? 0), 0)).toBe(5300);
  });

  it('refuses a deploy where a member did not install etcd (hosts not fresh)', () => {
    const lines = APPLY.filter((l) => !l.text.includes('[etcd-deploy a2] installed'));
    expect(() => deployMilestones(lines, 5300, ['a1', 'a2'])).toThrow(/installed etcd.*a2/);
  });

  it('refuses a deploy without a passed health check', () => {
    expect(() =>
      deployMilestones(
        APPLY.filter((l) => !l.text.startsWith('terraform_data.etcd_health_check')),
        5300,
        ['a1', 'a2'],
      ),
    ).toThrow(/health check/);
  });

  it('reads the floor script lines', () => {
    const lines = [
      at(900, '[floor e1] installed'),
      at(1000, '[floor e2] installed'),
      at(1100, '[floor e2] started'),
      at(1150, '[floor e1] started'),
      at(1900, '[floor] healthy after 2 polls'),
    ];
    const m = floorMilestones(lines, 1910, ['e1', 'e2']);
    expect(floorPhases(m)).toEqual({ install: 1000, start: 150, health: 750, finish: 10 });
    expect(() => floorMilestones(lines, 1910, ['e1', 'e2', 'e3'])).toThrow(/e3/);
  });
});

describe('gap between a deploy and its floor', () => {
  it('names the phases that make most of the gap, largest first', () => {
    const parts = gapContributors(
      { init: 100, plan: 4000, pki: 3000, install: 1200, start: 300, health: 400, finish: 50 },
      { install: 1000, start: 200, health: 500, finish: 0 },
    );
    expect(parts.map((p) => p.phase)).toEqual(['plan', 'pki']);
    expect(parts[0].ms).toBe(4000);
  });
});

describe('options and specs', () => {
  it('parses --quick and --rounds, and rejects the unknown', () => {
    expect(parseOptions([])).toMatchObject({ quick: false, rounds: 3, compiledReps: 7, tsNodeReps: 5 });
    expect(parseOptions(['--quick'])).toMatchObject({ quick: true, rounds: 1, compiledReps: 3, tsNodeReps: 1 });
    expect(parseOptions(['--quick', '--rounds', '2']).rounds).toBe(2);
    // The rolling upgrade: in every full run, left out of --quick unless asked for.
    expect(parseOptions([]).upgrade).toBe(true);
    expect(parseOptions(['--quick']).upgrade).toBe(false);
    expect(parseOptions(['--quick', '--upgrade']).upgrade).toBe(true);
    expect(parseOptions(['--skip-upgrade']).upgrade).toBe(false);
    expect(() => parseOptions(['--upgrade', '--skip-upgrade'])).toThrow(/contradict/);
    expect(() => parseOptions(['--rounds', 'x'])).toThrow(/--rounds/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown argument/);
  });

  it('makes N-member specs on TEST-NET-1 and the synth cases in table order', () => {
    const spec = memberSpec(51);
    expect(spec.members).toHaveLength(51);
    expect(spec.members[0]).toEqual({ name: 'm1', address: '192.0.2.11' });
    expect(spec.members[50]).toEqual({ name: 'm51', address: '192.0.2.61' });
    expect(synthCases([3, 51]).map((c) => c.id)).toEqual(['empty', 'default', '3', '51']);
  });
});

function deployRun(scenario: string, members: number, round: number, totalMs: number, phases: DeployRun['phases']): DeployRun {
  return {
    scenario,
    round,
    members,
    parallelism: 10,
    hosts: 'wiped',
    initMs: phases.init ?? 0,
    applyMs: totalMs - (phases.init ?? 0),
    totalMs,
    phases,
    milestones: {} as DeployRun['milestones'],
    log: '',
  };
}
function floorRun(scenario: string, members: number, round: number, totalMs: number): FloorRun {
  return {
    scenario,
    round,
    members,
    hosts: 'wiped',
    totalMs,
    phases: { install: totalMs - 500, start: 100, health: 400, finish: 0 },
    milestones: {} as FloorRun['milestones'],
    log: '',
  };
}

const RESULTS: BenchResults = {
  startedAt: '2026-01-01T00:00:00.000Z',
  source: { commit: 'abc1234', uncommitted: [] },
  durationMs: 1000,
  quick: false,
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20', terraform: '1.11.4', loadAverageAtStart: [0, 0, 0], loadAverageAtEnd: [0, 0, 0] },
  synth: {
    build: { command: 'npm run build', code: 0, ms: 1, errors: [] },
    reps: { compiled: 2, tsNode: 1 },
    samples: [
      { case: 'empty', members: 0, mode: 'compiled', rep: 1, ms: 200, resources: 0 },
      { case: 'empty', members: 0, mode: 'compiled', rep: 2, ms: 220, resources: 0 },
      { case: '51', members: 51, mode: 'compiled', rep: 1, ms: 700, resources: 1230 },
      { case: '51', members: 51, mode: 'compiled', rep: 2, ms: 900, resources: 1230 },
      { case: '51', members: 51, mode: 'ts-node', rep: 1, ms: 2500, resources: 1230 },
    ],
  },
  lab: {
    providers: 'hashicorp/tls 4.1.0, hashicorp/local 2.9.0 (built from their Go modules)',
    rounds: [],
    deploys: [1, 2, 3].flatMap((round) => [
      deployRun(SCENARIOS.deploy3, 3, round, 6000 + round * 100, {
        init: 100,
        plan: 2000,
        pki: 1500,
        install: 1000,
        start: 500,
        health: 400,
        finish: 500 + round * 100,
      }),
      deployRun(SCENARIOS.deploy3p1, 3, round, 6400 + round * 100, {
        init: 100,
        plan: 2000,
        pki: 1500,
        install: 1300,
        start: 500,
        health: 400,
        finish: 500 + round * 100,
      }),
      deployRun(SCENARIOS.deploy5, 5, round, 7000 + round * 100, {
        init: 100,
        plan: 2400,
        pki: 2000,
        install: 1200,
        start: 500,
        health: 300,
        finish: 500 + round * 100,
      }),
    ]),
    floors: [1, 2, 3].flatMap((round) => [floorRun(SCENARIOS.floor3, 3, round, 2000), floorRun(SCENARIOS.floor5, 5, round, 2500)]),
    replans: [1, 2, 3].map((round) => ({ scenario: SCENARIOS.replan3, round, members: 3, code: 0, totalMs: 2000 + round, log: '' })),
  },
};

describe('summary and report', () => {
  const summary = summarize(RESULTS);

  it('judges each target from the medians of the same run', () => {
    const status = Object.fromEntries(summary.targets.map((t) => [t.target, t.status]));
    expect(status).toEqual({
      [TARGETS.deploy3]: 'not met',
      [TARGETS.deploy5]: 'not met',
      [TARGETS.growth]: 'not met',
      [TARGETS.serial]: 'met',
      // No empty plan, restart floor or change in these results: nothing is met without a measurement.
      [TARGETS.replan]: 'not measured',
      [TARGETS.change]: 'not measured',
      [TARGETS.renewal]: 'not measured',
      [TARGETS.upgrade]: 'not measured',
      [TARGETS.synth]: 'not met',
    });
    const t1 = summary.targets[0];
    expect(t1.measured).toBe('3.10× (6.20 s vs 2.00 s)');
    expect(t1.note).toMatch(/^Not met\. Beyond the floor, 3 members: plan \+2\.00 s, PKI \+1\.50 s/);
    expect(t1.note).toMatch(/What would close it: /);
    expect(t1.note).toMatch(/\(init \+ plan\) is 1\.05× the floor: within the target by itself/);
    // The floor's own etcd part, with its figure.
    expect(t1.note).toMatch(/Of the floor's 2\.00 s, 0\.40 s is what the hosts themselves need/);
    expect(summary.targets[2].measured).toBe('1.16× (7.20 s vs 6.20 s)');
    expect(summary.targets[3].measured).toBe('1.06× (6.60 s vs 6.20 s)');
    expect(summary.targets[8]).toMatchObject({ measured: '3.81× (0.80 s vs 0.21 s)', status: 'not met' });
  });

  it('keeps the phases of the median run, which add up to its total', () => {
    const d3 = summary.scenarios.find((r) => r.scenario === SCENARIOS.deploy3)!;
    expect(d3.total).toEqual({ n: 3, median: 6200, min: 6100, max: 6300 });
    expect(Object.values(d3.phases).reduce((n, v) => n + (v ?? 0), 0)).toBe(6200);
  });

  it('renders markdown tables with one row per scenario and synth stack', () => {
    const md = renderMarkdown(RESULTS, summary, 'results.png');
    expect(md).toContain('| deploy 3 | 3 | 6.20 | 6.10–6.30 | 0.10 | 2.00 | 1.50 | 1.00 | 0.50 | 0.40 | 0.70 | 3.10× |');
    expect(md).toContain('| 51 members | 51 | 1230 | 0.80 (2: 0.70–0.90) | +0.59 | 2.50 (1) | — |');
    expect(md).toContain(`| ${TARGETS.synth} | 3.81× (0.80 s vs 0.21 s) | **not met** |`);
    expect(md).toContain(`| ${TARGETS.replan} | — | **not measured** |`);
    expect(md).toContain('![synth and deploy times](results.png)');
    expect(md).toContain('Providers: hashicorp/tls 4.1.0, hashicorp/local 2.9.0 (built from their Go modules), the same for both engines.');
  });
});

describe('what the cores allow', () => {
  const spreadOf = (ms: number) => ({ n: 3, median: ms, min: ms, max: ms });
  const row = (scenario: string, wallMs: number, cpuMs: number | null, hostsCpuMs: number | null = null, upload: number | null = null): ScenarioRow => ({
    scenario,
    kind: scenario.startsWith('floor') ? 'floor' : 'deploy',
    members: 3,
    total: spreadOf(wallMs),
    apply: null,
    phases: {},
    medianRunTotal: wallMs,
    cpu: cpuMs === null ? null : spreadOf(cpuMs),
    hostsCpu: hostsCpuMs === null ? null : spreadOf(hostsCpuMs),
    upload,
  });

  it("turns the machine's busy CPU time into the least wall time its cores allow, against the floor", () => {
    const note = cpuBound(row('deploy 3', 6000, 9000), row('floor 3', 2000, 2500), 2);
    expect(note).toContain("the machine's 2 cores were busy 9.00 s in all (the floor: 2.50 s; medians)");
    expect(note).toContain('that is 4.50 s of wall time, 2.25× the floor, beyond the 1.50× target on this machine whatever the order of the steps');
    expect(cpuBound(row('deploy 3', 6000, 5000), row('floor 3', 2000, 2500), 2)).toContain(
      '1.25× the floor, within the 1.50× target: the rest of the gap is waiting',
    );
    // Not recorded (older results, or not Linux): nothing is said.
    expect(cpuBound(row('deploy 3', 6000, null), row('floor 3', 2000, 2500), 2)).toBe('');
    expect(cpuBound(row('deploy 3', 6000, 9000), row('floor 3', 2000, 2500), undefined)).toBe('');
  });

  it("splits the CPU time into the hosts' and the applying side's, and says what the applying side alone takes of the cores", () => {
    const note = cpuBound(row('deploy 3', 6000, 9000, 4000), row('floor 3', 2000, 2500, 2000), 2);
    expect(note).toContain(
      "busy 9.00 s in all (the floor: 2.50 s; medians): the hosts 4.00 s (the floor's: 2.00 s), the applying side 5.00 s (the floor's ssh clients: 0.50 s), which alone takes 2.50 s of these cores, 1.25× the floor, before any host works, the lab's hosts",
    );
    // Only when both sides recorded it.
    expect(cpuBound(row('deploy 3', 6000, 9000, 4000), row('floor 3', 2000, 2500), 2)).toContain('(the floor: 2.50 s; medians), the lab');
  });

  /** The PKI alone applied: its init, plan part and CPU (null: not recorded). */
  const pkiOps = (totalMs: number, planMs = 500, initMs: number | null = null, cpuMs: number | null = null): OpsRow => ({
    scenario: 'PKI alone',
    kind: 'pki-apply',
    members: 3,
    total: spreadOf(totalMs),
    phaseOrder: ['plan', 'apply'],
    phases: { plan: planMs, apply: totalMs - planMs },
    medianRunTotal: totalMs,
    etcdPart: null,
    byRole: null,
    etcdPartByRole: null,
    refreshed: null,
    windows: null,
    writer: null,
    elections: null,
    upload: null,
    around: null,
    pki: {
      init: initMs === null ? null : spreadOf(initMs),
      plan: spreadOf(planMs),
      cpu: cpuMs === null ? null : spreadOf(cpuMs),
      summary: '59 added, 0 changed, 0 destroyed',
    },
  });

  it("says what no deploy of the fixed design can go below on these cores, from the PKI alone's first apply", () => {
    const pki = (initMs: number, planMs: number, totalMs: number, cpuMs: number): OpsRow => pkiOps(totalMs, planMs, initMs, cpuMs);
    const d = row('deploy 3', 6000, 9000);
    const f = row('floor 3', 2000, 2500);
    // In turn: 0.30 + 0.60 + 2.00 = 2.90 s; shared: (2.80 + 2.50) / 2 = 2.65 s after init (2.95 s): the larger.
    const beyond = fixedDeployFloor(d, f, pki(300, 600, 1700, 2800), 2)!;
    expect(beyond.least).toBeCloseTo(2950, 6);
    expect(beyond.text).toContain(
      "(0.30 s + 0.60 s + 2.00 s = 2.90 s); and the PKI's apply shares the 2 cores with the floor's work (2.80 s + 2.50 s of CPU: 2.65 s after init). At least 2.95 s, 1.48× the floor: within the 1.50× target (3.00 s), which leaves 0.05 s for the design's own steps",
    );
    expect(beyond.text).toContain('they took 3.05 s');
    const slow = fixedDeployFloor(d, f, pki(300, 900, 2000, 2800), 2)!;
    expect(slow.least).toBeCloseTo(3200, 6);
    expect(slow.text).toContain("At least 3.20 s, 1.60× the floor: beyond the 1.50× target (3.00 s) before any step of the design's own");
    // Not measured (no PKI apply, or no CPU figures): nothing is said.
    expect(fixedDeployFloor(d, f, undefined, 2)).toBeNull();
    expect(fixedDeployFloor(d, row('floor 3', 2000, null), pki(300, 600, 1700, 2800), 2)).toBeNull();
  });

  it('says what serializing the bare host work costs by itself, from the floor one host at a time', () => {
    const d3 = row('deploy 3', 6000, 9000);
    expect(serialFloorStory(d3, row('floor 3', 2000, 2500), row('floor 3, one host at a time', 4400, 2700))).toContain(
      'takes 4.40 s, 2.20× the floor all at once (2.40 s more): what the hosts add by themselves when one operation runs at a time is 2.40 s, which alone makes 1.40× of the default deploy (beyond the 1.30× target',
    );
    // With the PKI alone applied both ways, and the -parallelism=1 deploy: what they add, and what it took.
    const withPki = serialFloorStory(
      d3,
      row('floor 3', 2000, 2500),
      row('floor 3, one host at a time', 2600, 2700),
      pkiOps(1700),
      pkiOps(2900),
      row('deploy 3 -parallelism=1', 9000, 9500),
    );
    expect(withPki).toContain(
      "(0.60 s more), and the PKI alone applied one resource at a time takes 2.90 s against 1.70 s (1.20 s more): what the hosts and the fixed design add by themselves when one operation runs at a time is 1.80 s, which alone makes 1.30× of the default deploy (within the 1.30× target: the rest is the design's own per-member steps; -parallelism=1 added 3.00 s in all).",
    );
    expect(serialFloorStory(d3, row('floor 3', 2000, 2500), row('floor 3, one host at a time', 2600, 2700))).toContain(
      '1.10× of the default deploy (within the 1.30× target',
    );
    expect(serialFloorStory(d3, row('floor 3', 2000, 2500), undefined)).toBe('');
  });

  it("adds the members' private uploads, one after another against side by side, to what one operation at a time costs", () => {
    const story = serialFloorStory(
      row('deploy 3', 6000, 9000, null, 300),
      row('floor 3', 2000, 2500),
      row('floor 3, one host at a time', 2600, 2700),
      pkiOps(1700),
      pkiOps(2900),
      row('deploy 3 -parallelism=1', 9000, 9500, null, 640),
    );
    expect(story).toContain(
      'took 0.64 s one member after another against 0.30 s side by side (0.34 s more): what the hosts, the fixed design and the private uploads add',
    );
    expect(story).toContain(
      'is 2.14 s, which alone makes 1.36× of the default deploy (beyond the 1.30× target: with one operation at a time none of them can overlap',
    );
    expect(story).toContain("Terraform's scp creates directories 0755 and files 0644 and makes every script 0777");
    // Not recorded on either side (older results): the story leaves the uploads out.
    expect(
      serialFloorStory(
        row('deploy 3', 6000, 9000),
        row('floor 3', 2000, 2500),
        row('floor 3, one host at a time', 2600, 2700),
        pkiOps(1700),
        pkiOps(2900),
        row('deploy 3 -parallelism=1', 9000, 9500, null, 640),
      ),
    ).not.toContain('private uploads');
  });

  it('tells work from waiting when two deploys are compared', () => {
    expect(cpuCompared('5 members', row('deploy 5', 9000, 13500), '3', row('deploy 3', 6000, 9000))).toContain(
      '(1.50× the work for 1.50× the wall time): the time follows the work',
    );
    expect(cpuCompared('-parallelism=1', row('deploy 3 -parallelism=1', 9000, 9000), 'the default', row('deploy 3', 6000, 9000))).toContain(
      '(1.00× the work for 1.50× the wall time): more time than work: the rest is waiting.',
    );
  });

  (fs.existsSync('/proc/stat') ? it : it.skip)("reads the machine's busy CPU time from /proc/stat, and it only grows", () => {
    const a = machineBusyMs();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += i;
    const b = machineBusyMs();
    expect(x).toBeGreaterThan(0);
    expect(a).toEqual(expect.any(Number));
    expect(b as number).toBeGreaterThan(a as number);
  });
});

// Without shellcheck: a loud skip (a failure under CI=true), never a silent pass.
(shellcheckAvailable() ? describe : describe.skip)('bench/*.sh', () => {
  it.each(['floor.sh', 'restart-floor.sh'])('%s passes shellcheck', (file) => {
    expect(shellcheck(fs.readFileSync(path.join(__dirname, '..', '..', 'bench', file), 'utf8'))).toBe('');
  });
});
