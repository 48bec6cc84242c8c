// The benchmark's pure parts for what happens on a deployed cluster: phases of no-change plans,
// of one member's restart floor and of change applies (restart windows, one at a time, placed
// with the hosts' own start times), and the targets and report rows judged from them. No lab.
import { changeMilestones, changePhases, provisionAround, restartWindows, withHostTimes } from '../../bench/change-phases';
import { emptyStackConfig, pkiStackConfig, resourceCount } from '../../bench/plan-bench';
import { planMilestones, planPhases } from '../../bench/plan-phases';
import { renderMarkdown } from '../../bench/report';
import { applySummary, firstChangeMs } from '../../bench/pki-apply';
import { BenchResults, ChangeRun, PkiApplyRun, ReplanRun, RestartFloorRun } from '../../bench/results';
import { parseRestartFigures, restartPhases } from '../../bench/restart-phases';
import { SCENARIOS } from '../../bench/scenarios';
import { failedWhy, summarize } from '../../bench/summary';
import { designFloorStory, etcdOwnPart, TARGETS } from '../../bench/targets';
import { checkWriter } from '../../bench/change-bench';
import { writerSummary } from '../../test-doubles/lab/writer';
import { TimedLine } from '../../bench/timed-process';
import { synthSpec } from '../helpers/synth';

const at = (t: number, text: string): TimedLine => ({ t, stream: 'stdout', text });
const ops = (member: string, text: string): string => `terraform_data.etcd_member_${member} (remote-exec): [etcd-ops ${member}] ${text}`;

describe('no-change plans', () => {
  it('splits a re-plan into load, refresh and finish, and counts the refreshed resources', () => {
    const lines = [
      at(700, 'tls_private_key.etcd_ca_key: Refreshing state... [id=ab]'),
      at(900, 'terraform_data.etcd_membership["e1"]: Refreshing state... [id=cd]'),
      at(1400, 'No changes. Your infrastructure matches the configuration.'),
    ];
    const m = planMilestones(lines, 1450);
    expect(m).toEqual({ firstRefresh: 700, noChanges: 1400, wall: 1450, refreshed: 2 });
    expect(planPhases(m)).toEqual({ load: 700, refresh: 700, finish: 50 });
  });

  it('gives an empty stack all of its plan as load', () => {
    const m = planMilestones([at(180, 'No changes. Your infrastructure matches the configuration.')], 190);
    expect(planPhases(m)).toEqual({ load: 180, refresh: 0, finish: 10 });
    expect(() => planMilestones([at(10, 'Plan: 1 to add')], 20)).toThrow(/No changes/);
  });

  it('keeps only the providers of the synthesized stack for the empty stack', () => {
    const providers = { tls: { source: 'hashicorp/tls', version: '4.1.0' }, local: { source: 'hashicorp/local', version: '2.9.0' } };
    const stack = {
      terraform: { backend: { local: { path: '../../../terraform.etcd.tfstate' } }, required_providers: providers },
      provider: { tls: [{}], local: [{}] },
      resource: { tls_private_key: {} },
      output: {},
    };
    expect(emptyStackConfig(stack)).toEqual({ terraform: { required_providers: providers }, provider: { tls: [{}], local: [{}] } });
    expect(() => emptyStackConfig({ terraform: {} })).toThrow(/required_providers/);
  });

  it("keeps the default stack's PKI alone: its tls_ and local_ resources as synthesized, with its providers, and nothing that provisions", () => {
    const tf = synthSpec();
    const pki = pkiStackConfig(tf) as { terraform: unknown; provider: unknown; resource: Record<string, Record<string, unknown>> };
    expect(Object.keys(pki).sort()).toEqual(['provider', 'resource', 'terraform']);
    expect(pki.provider).toEqual(tf.provider);
    expect(Object.keys(pki.resource).sort()).toEqual([
      'local_file',
      'local_sensitive_file',
      'tls_cert_request',
      'tls_locally_signed_cert',
      'tls_private_key',
      'tls_self_signed_cert',
    ]);
    for (const [type, byName] of Object.entries(pki.resource)) expect(byName).toEqual(tf.resource[type]);
    // 3 members: the CA (key, certificate), 10 leaves (key, request, certificate), 9 files per host.
    expect(resourceCount(pki)).toBe(2 + 10 * 3 + 3 * 9);
    expect(resourceCount(tf)).toBe(resourceCount(pki) + Object.keys(tf.resource.terraform_data).length);
  });

  it('refuses a PKI that refers to a resource it leaves out (it could not be planned alone)', () => {
    const stack = {
      terraform: { required_providers: { local: { source: 'hashicorp/local' } } },
      provider: { local: [{}] },
      resource: {
        terraform_data: { etcd_cluster: { input: 'x' } },
        local_file: { f: { filename: 'x', content: '${terraform_data.etcd_cluster.output}' } },
      },
    };
    expect(() => pkiStackConfig(stack)).toThrow(/refer to resources outside the PKI: terraform_data\.etcd_cluster/);
    expect(() => pkiStackConfig({ ...stack, resource: { terraform_data: {} } })).toThrow(/no tls_ or local_ resources/);
  });
});

describe("one member's restart floor", () => {
  it("reads the script's figures and splits the SSH session's wall time", () => {
    const f = parseRestartFigures('restart_ms=1315 health_ms=84 polls=0\n');
    expect(f).toEqual({ restartMs: 1315, healthMs: 84, polls: 0 });
    // systemd's own stop (1100 ms) splits the restart; a stop longer than the restart is clamped.
    expect(restartPhases(1632, f, 1100)).toEqual({ connect: 233, stop: 1100, start: 215, health: 84 });
    expect(restartPhases(1632, f, 9000)).toMatchObject({ stop: 1315, start: 0 });
    expect(() => parseRestartFigures('Failed to restart etcd.service')).toThrow(/restart_ms/);
  });
});

/** A rolling renewal of e1..e3 as terraform apply -no-color prints it (abridged). */
const RENEWAL: TimedLine[] = [
  at(1500, 'terraform_data.etcd_health_check: Destroying... [id=1]'),
  at(2000, 'tls_locally_signed_cert.etcd_e1_server: Creation complete after 0s [id=2]'),
  at(3000, 'local_file.etcd_e3_file_pki_etcd_server_crt: Creation complete after 0s [id=3]'),
  at(3100, 'terraform_data.etcd_member_e1: Creating...'),
  at(4000, ops('e1', 'waiting for the cluster lock (restart-locked-plain)')),
  at(4100, ops('e1', 'restarting etcd.service')),
  at(5100, ops('e1', 'restarted; cluster healthy')),
  at(5200, ops('e3', 'restarting etcd.service')),
  at(6200, ops('e3', 'restarted; cluster healthy')),
  at(6300, ops('e2', 'restarting etcd.service')),
  at(7300, ops('e2', 'restarted; cluster healthy')),
  at(7400, 'terraform_data.etcd_member_e2: Creation complete after 4s [id=4]'),
  at(8000, 'terraform_data.etcd_member_e1_join: Creation complete after 1s [id=5]'),
  at(8400, 'terraform_data.etcd_health_check: Creation complete after 0s [id=6]'),
];

describe('change applies', () => {
  it('reads the restart windows and refuses two at once, or one that never closes', () => {
    expect(restartWindows(RENEWAL).map((w) => [w.member, w.from, w.to])).toEqual([
      ['e1', 4100, 5100],
      ['e3', 5200, 6200],
      ['e2', 6300, 7300],
    ]);
    const overlapping = [at(1, ops('e1', 'restarting etcd.service')), at(2, ops('e2', 'restarting etcd.service'))];
    expect(() => restartWindows(overlapping)).toThrow(/e2 began restarting while e1 was still restarting/);
    expect(() => restartWindows([at(1, ops('e1', 'restarting etcd.service'))])).toThrow(/never logged/);
    expect(() => restartWindows([at(1, ops('e1', 'restarted; cluster healthy'))])).toThrow(/had not begun/);
    // "no quorum reachable: restarting without waiting" is no window.
    expect(restartWindows([at(1, ops('e1', 'no quorum reachable: restarting without waiting'))])).toEqual([]);
  });

  it('requires exactly the expected restarts and a passed health check', () => {
    expect(() => changeMilestones(RENEWAL, 8500, ['e2'])).toThrow(/expected restarts of e2, the host scripts logged restarts of e1, e2, e3/);
    expect(() => changeMilestones(RENEWAL.slice(0, -1), 8500, ['e1', 'e2', 'e3'])).toThrow(/health check/);
  });

  it("makes back-to-back phases; the hosts' stop and ready times split each window into stop, start and gate", () => {
    const m = changeMilestones(RENEWAL, 8500, ['e1', 'e2', 'e3']);
    expect(m).toMatchObject({ firstChange: 1500, lastPkiComplete: 3000, lastStepComplete: 8000, healthComplete: 8400, wall: 8500 });
    // Without host times, every window is stop.
    expect(changePhases(m)).toEqual({ plan: 1500, pki: 1500, provision: 2000, stop: 3000, start: 0, gate: 0, health: 400, finish: 100 });
    const windows = withHostTimes(m.windows, {
      e1: { stopped: 4700, ready: 4800 },
      e2: { stopped: 6400, ready: 6500 },
      // A ready time past the window's end (its closing line reached terraform early) is clamped into it.
      e3: { stopped: 6000, ready: 6250 },
    });
    expect(windows.map((w) => [w.member, w.stopped, w.ready])).toEqual([
      ['e1', 4700, 4800],
      ['e3', 6000, 6200],
      ['e2', 6400, 6500],
    ]);
    const phases = changePhases({ ...m, windows });
    expect(phases).toEqual({
      plan: 1500,
      pki: 1500,
      provision: 2000,
      stop: 600 + 800 + 100,
      start: 100 + 200 + 100,
      gate: 300 + 0 + 800,
      health: 400,
      finish: 100,
    });
    expect(Object.values(phases).reduce((n, v) => n + (v ?? 0), 0)).toBe(8500);
  });

  it('splits the provision phase around the restarts: before the first, each lock handed on, after the last', () => {
    const m = changeMilestones(RENEWAL, 8500, ['e1', 'e2', 'e3']);
    const around = provisionAround(m);
    expect(around).toEqual({ before: 4100 - 3000, handoffs: [5200 - 5100, 6300 - 6200], after: 8000 - 7300 });
    // They add up to the provision phase.
    expect((around?.before ?? 0) + (around?.handoffs ?? []).reduce((n, v) => n + v, 0) + (around?.after ?? 0)).toBe(changePhases(m).provision);
    expect(provisionAround({ ...m, windows: [] })).toBeNull();
  });

  it('refuses host times far outside the window (etcd restarted again)', () => {
    const m = changeMilestones(RENEWAL, 8500, ['e1', 'e2', 'e3']);
    expect(() => withHostTimes(m.windows, { e1: { stopped: 20_000, ready: 20_500 } })).toThrow(/e1: etcd stopped at \+20000 ms.*restarted again/);
    expect(() => withHostTimes(m.windows, { e1: { stopped: 4900, ready: 4800 } })).toThrow(/not within/);
  });

  it('fails a rolling change that lost availability', () => {
    expect(() => checkWriter({ writes: 120, failures: 1, maxGapMs: 900 }, 'renewal')).not.toThrow();
    expect(() => checkWriter({ writes: 0, failures: 0, maxGapMs: 900 }, 'renewal')).toThrow(/0 writes/);
    expect(() => checkWriter({ writes: 50, failures: 9, maxGapMs: 16_000 }, 'renewal')).toThrow(/not available/);
    expect(() => checkWriter({ writes: 50, failures: 3, maxGapMs: 900, failureReasons: ['t1 https://e1:2379: no answer in 5000 ms'] }, 'renewal')).toThrow(
      /expected\); failed: t1 https:\/\/e1:2379: no answer in 5000 ms$/,
    );
  });
});

const plan = (scenario: string, round: number, members: number, totalMs: number, refreshed: number): ReplanRun => ({
  scenario,
  round,
  members,
  code: 0,
  totalMs,
  phases: { load: totalMs / 2, refresh: refreshed > 0 ? totalMs / 2 - 10 : 0, finish: refreshed > 0 ? 10 : totalMs / 2 },
  refreshed,
  log: '',
});
const restart = (member: string, totalMs: number, wasLeader: boolean): RestartFloorRun => ({
  scenario: SCENARIOS.restartFloor,
  round: 1,
  member,
  wasLeader,
  totalMs,
  phases: { connect: 200, stop: totalMs - 400, start: 100, health: 100 },
  polls: 0,
  log: '',
});
const change = (scenario: string, applyMs: number, members: string[], writer?: ChangeRun['writer']): ChangeRun => ({
  scenario,
  round: 1,
  members: 3,
  restarted: members,
  applyMs,
  phases: {
    plan: 500,
    pki: 200,
    provision: applyMs - 1000 - 1000 * members.length,
    stop: 500 * members.length,
    start: 100 * members.length,
    gate: 400 * members.length,
    health: 200,
    finish: 100,
  },
  milestones: {
    firstChange: 500,
    lastPkiComplete: 700,
    lastStepComplete: applyMs - 300,
    healthComplete: applyMs - 100,
    wall: applyMs,
    windows: members.map((m, i) => ({ member: m, from: 3000 + i * 1000, to: 4000 + i * 1000, stopped: 3500 + i * 1000, ready: 3600 + i * 1000 })),
  },
  writer,
  log: '',
});

const pkiApply = (scenario: string, round: number, totalMs: number, planMs: number, summary: string): PkiApplyRun => ({
  scenario,
  round,
  members: 3,
  totalMs,
  planMs,
  cpuMs: totalMs * 1.5,
  summary,
  log: '',
});

const RESULTS: BenchResults = {
  startedAt: '2026-01-01T00:00:00.000Z',
  source: { commit: 'abc1234', uncommitted: [] },
  durationMs: 1000,
  quick: true,
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20', terraform: '1.11.4', loadAverageAtStart: [0, 0, 0], loadAverageAtEnd: [0, 0, 0] },
  synth: { build: { command: 'npm run build', code: 0, ms: 1, errors: [] }, reps: { compiled: 0, tsNode: 0 }, samples: [] },
  lab: {
    providers: 'hashicorp/tls 4.1.0, hashicorp/local 2.9.0 (built from their Go modules)',
    rounds: [],
    deploys: [],
    floors: [],
    replans: [1, 2, 3].flatMap((i) => [
      plan(SCENARIOS.replan3, 1, 3, 1500 + i * 10, 95),
      plan(SCENARIOS.pkiPlan, 1, 3, 1300 + i * 10, 59),
      plan(SCENARIOS.emptyPlan, 1, 0, 190 + i, 0),
    ]),
    restarts: [restart('e1', 1600, true), restart('e2', 1400, false), restart('e3', 1500, false)],
    changes: [
      change(SCENARIOS.change1, 2200, ['e2']),
      { ...change(SCENARIOS.renewal, 20_000, ['e1', 'e3', 'e2'], { writes: 170, failures: 0, maxGapMs: 240 }), elections: 1 },
    ],
  },
};

/** RESULTS with these change runs instead of its own. */
const withChanges = (changes: ChangeRun[]): BenchResults => ({ ...RESULTS, lab: { ...RESULTS.lab, changes } });

describe('the PKI alone, applied', () => {
  it("reads the engine's summary line and when the first resource changed", () => {
    const lines = [
      at(800, 'tls_cert_request.etcd_e2_server_csr: Refreshing state... [id=ab]'),
      at(1100, 'local_file.etcd_e2_file_pki_etcd_server_crt: Destroying... [id=cd]'),
      at(1300, 'tls_cert_request.etcd_e2_server_csr: Creating...'),
      at(1900, 'Apply complete! Resources: 3 added, 0 changed, 3 destroyed.'),
    ];
    expect(applySummary(lines)).toEqual({ added: 3, changed: 0, destroyed: 3 });
    expect(firstChangeMs(lines, 2000)).toBe(1100);
    expect(firstChangeMs([at(5, 'tls_private_key.etcd_ca_key: Creating...')], 10)).toBe(5);
    // Nothing applied: no summary, and planning is all of it.
    expect(applySummary([at(10, 'Error: bad')])).toBeNull();
    expect(firstChangeMs([at(10, 'No changes.')], 40)).toBe(40);
  });
});

describe('targets of plans, restarts and changes', () => {
  const summary = summarize(RESULTS);
  const target = (name: string) => summary.targets.find((t) => t.target === name)!;

  it('judges the re-plan against the empty plan with the same providers', () => {
    expect(target(TARGETS.replan)).toMatchObject({ status: 'not met', measured: '7.92× (1.52 s vs 0.19 s)' });
    expect(target(TARGETS.replan).note).toMatch(/refreshed 95 resources/);
    expect(target(TARGETS.replan).note).toMatch(/re-plan beyond the empty plan: refresh \+0\.75 s, load \+0\.66 s\. Why: refresh is refreshing every resource/);
  });

  it('says what the PKI alone takes of the re-plan, and whether it is beyond the target by itself', () => {
    const note = target(TARGETS.replan).note;
    expect(note).toContain(
      'The PKI alone (its 59 tls_ and local_ resources as synthesized, in a stack of their own with the same providers, applied beforehand) re-plans in 1.32 s, 6.88× the empty plan: beyond the 2× target by itself, before any provisioning resource.',
    );
    expect(note).toContain("the whole re-plan is 1.15× the PKI's (0.20 s for the provisioning resources).");
    const ratios = Object.fromEntries(summary.ratios.map((r) => [r.label, r.value]));
    expect(ratios['re-plan of its PKI alone / empty plan']).toBeCloseTo(1320 / 192, 5);
    expect(ratios['re-plan 3 / re-plan of its PKI alone']).toBeCloseTo(1520 / 1320, 5);
    // A PKI within the bound says so; without its plans, nothing is said.
    const fast = summarize({
      ...RESULTS,
      lab: { ...RESULTS.lab, replans: RESULTS.lab.replans.map((r) => (r.scenario === SCENARIOS.pkiPlan ? { ...r, totalMs: 300 } : r)) },
    });
    expect(fast.targets.find((t) => t.target === TARGETS.replan)!.note).toContain('1.56× the empty plan: within the 2× target by itself;');
    const without = summarize({ ...RESULTS, lab: { ...RESULTS.lab, replans: RESULTS.lab.replans.filter((r) => r.scenario !== SCENARIOS.pkiPlan) } });
    expect(without.targets.find((t) => t.target === TARGETS.replan)!.note).not.toContain('PKI alone');
  });

  it('judges the one-member change against the restart floor, and says how much of the floor is etcd', () => {
    const t = target(TARGETS.change);
    expect(t).toMatchObject({ status: 'met', measured: '1.47× (2.20 s vs 1.50 s)' });
    expect(t.note).toMatch(/e2 1\.00 s \(stopped 0\.50 s, ready 0\.10 s later\)/);
    expect(t.note).toMatch(/The restart floor is 1\.50 s \(median of 3\), 1\.30 s of it etcd's own/);
    expect(t.note).toMatch(/Restarts of the member that led the cluster: 1\.60 s; of the others: 1\.45 s/);
  });

  it("says what no apply of the stack can go below: the PKI's re-plan plus etcd's own restarts, against each bound", () => {
    expect(target(TARGETS.change).note).toContain(
      "No apply of this stack can take less than the re-plan of its PKI alone (1.32 s: every apply refreshes those resources first) plus etcd's own part of the restart (1 × 1.30 s): 2.62 s, beyond the bound (2.25 s) before any SSH step of the design runs",
    );
    expect(target(TARGETS.renewal).note).toContain(
      "plus etcd's own part of 3 restarts, the leader's once (1.40 s: every rolling change restarts it, and its stop hands its leadership over) and the others' (2 × 1.25 s): 5.22 s, within the bound (6.50 s), which leaves 1.28 s for the SSH steps; they took 14.78 s.",
    );
    const without = summarize({ ...RESULTS, lab: { ...RESULTS.lab, replans: RESULTS.lab.replans.filter((r) => r.scenario !== SCENARIOS.pkiPlan) } });
    expect(without.targets.find((t) => t.target === TARGETS.change)!.note).not.toContain('No apply of this stack');
  });

  it('prefers the PKI alone applying the same edit, when measured, to its re-plan in what no apply can go below', () => {
    const withPki = summarize({
      ...RESULTS,
      lab: {
        ...RESULTS.lab,
        pkiApplies: [1, 2, 3].flatMap((round) => [
          pkiApply(SCENARIOS.pkiChange1, round, 1400 + round * 10, 1000, '3 added, 0 changed, 3 destroyed'),
          pkiApply(SCENARIOS.pkiRenewal, round, 2400 + round * 10, 1000, '29 added, 0 changed, 29 destroyed'),
        ]),
      },
    });
    const note = (name: string): string => withPki.targets.find((t) => t.target === name)!.note;
    expect(note(TARGETS.change)).toContain(
      "No apply of this stack can take less than the PKI alone applying the same edit (1.42 s, measured in the same rounds: refreshing every tls_ and local_ resource, then replacing the changed ones, 3 added, 0 changed, 3 destroyed) plus etcd's own part of the restart (1 × 1.30 s): 2.72 s, beyond the bound (2.25 s) before any SSH step of the design runs",
    );
    expect(note(TARGETS.renewal)).toContain('(2 × 1.25 s): 6.32 s, within the bound (6.50 s), which leaves 0.18 s for the SSH steps; they took 13.68 s.');
    // The upgrade changes no certificate: it keeps the PKI's re-plan.
    expect(note(TARGETS.change)).not.toContain('re-plan of its PKI alone (');
    const row = withPki.ops.find((r) => r.scenario === SCENARIOS.pkiRenewal)!;
    expect(row).toMatchObject({ kind: 'pki-apply', phases: { plan: 1000, apply: 1420 }, medianRunTotal: 2420 });
    expect(renderMarkdown(RESULTS, withPki, 'results.png')).toContain(
      '| PKI alone: the renewal | 3 | 2.42 | 2.41–2.43 | plan 1.00 · apply 1.42 | 29 added, 0 changed, 29 destroyed; CPU 3.63 |',
    );
  });

  it("counts the new release onto the hosts in an upgrade's floor, from the deploy floor's install phase", () => {
    const floor = summary.ops.find((r) => r.scenario === SCENARIOS.restartFloor)!;
    const pki = summary.ops.find((r) => r.scenario === SCENARIOS.pkiPlan)!;
    const note = designFloorStory(floor, 3, 6500, 'the SSH steps', 9000, { pki, installMs: 1400 });
    expect(note).toBe(
      " No apply of this stack can take less than the re-plan of its PKI alone (1.32 s: every apply refreshes those resources first), the new release onto the hosts (1.40 s: the deploy floor's install phase, download, check and extract on every host at once) plus etcd's own part of 3 restarts, the leader's once (1.40 s: every rolling change restarts it, and its stop hands its leadership over) and the others' (2 × 1.25 s): 6.62 s, beyond the bound (6.50 s) before any SSH step of the design runs: what the fixed design prescribes of Terraform and HashiCorp's providers, and what the hosts need, leave no room for the SSH steps, which took 2.38 s.",
    );
    expect(designFloorStory(floor, 3, 6500, 'the SSH steps', 9000, {})).toBe('');
  });

  it("counts a change's own private uploads and final health check in what no apply can go below, when recorded", () => {
    const withUploads = summarize({
      ...RESULTS,
      lab: {
        ...RESULTS.lab,
        changes: (RESULTS.lab.changes ?? []).map((c) => ({ ...c, uploadMs: c.restarted.length === 1 ? 210 : 280 })),
        pkiApplies: [1, 2, 3].flatMap((round) => [
          pkiApply(SCENARIOS.pkiChange1, round, 1400 + round * 10, 1000, '3 added, 0 changed, 3 destroyed'),
          pkiApply(SCENARIOS.pkiRenewal, round, 2400 + round * 10, 1000, '29 added, 0 changed, 29 destroyed'),
        ]),
      },
    });
    const note = (name: string): string => withUploads.targets.find((t) => t.target === name)!.note;
    expect(withUploads.ops.find((r) => r.scenario === SCENARIOS.renewal)!.upload).toBe(280);
    expect(note(TARGETS.renewal)).toContain(
      "the private upload of the members' files (0.28 s, measured in the same apply: two SSH sessions per member before its script runs",
    );
    expect(note(TARGETS.renewal)).toContain(
      "the final health check the stack ends with (0.20 s, measured in the same apply) plus etcd's own part of 3 restarts, the leader's once (1.40 s: every rolling change restarts it, and its stop hands its leadership over) and the others' (2 × 1.25 s): 6.80 s, beyond the bound (6.50 s) before the rest of the design runs",
    );
    expect(note(TARGETS.change)).toContain('(0.21 s, measured in the same apply');
    expect(note(TARGETS.change)).toContain('leave no room for the rest (the member script and its health gate)');
    expect(renderMarkdown(RESULTS, withUploads, 'results.png')).toMatch(/\| rolling renewal 3 \|[^\n]*; private upload 0\.28 \|/);
    // Without uploads recorded (older results), the story is the one before.
    expect(summary.targets.find((t) => t.target === TARGETS.renewal)!.note).not.toContain('private upload');
    expect(renderMarkdown(RESULTS, summary, 'results.png')).not.toContain('; private upload');
  });

  it('judges a rolling change against N × the restart floor + 2 s, with the write gap, and names the phases of the gap', () => {
    const t = target(TARGETS.renewal);
    expect(t.status).toBe('not met');
    expect(t.measured).toBe('20.00 s vs 6.50 s (3 × 1.50 s + 2.00 s); longest write gap 0.24 s (170 writes, 0 failed)');
    expect(t.note).toMatch(/^Not met\. 3\.08× of the bound\. Beyond 3 restarts at the floor/);
    expect(t.note).toMatch(/the apply: provision \+\d+\.\d\d s/);
    expect(t.note).toMatch(/Restart windows, one at a time: e1 1\.00 s \(stopped 0\.50 s, ready 0\.10 s later\), e3 1\.00 s/);
  });

  it('judges a renewal that restarted no member (etcd reads its certificates at every new connection) against the same bound', () => {
    const noRestart = withChanges([
      change(SCENARIOS.change1, 2000, []),
      { ...change(SCENARIOS.renewal, 4000, [], { writes: 90, failures: 0, maxGapMs: 60 }), elections: 0, uploadMs: 280 },
    ]);
    const targets = summarize(noRestart).targets;
    const renewal = targets.find((t) => t.target === TARGETS.renewal)!;
    expect(renewal).toMatchObject({ status: 'met', measured: '4.00 s vs 6.50 s (3 × 1.50 s + 2.00 s); longest write gap 0.06 s (90 writes, 0 failed)' });
    expect(renewal.note).toContain('No member restarted: etcd reads its server and peer certificates again at every new connection');
    expect(renewal.note).toContain('plus no restart of etcd (no member restarted)');
    expect(renewal.note).not.toContain('Restart windows');
    const one = targets.find((t) => t.target === TARGETS.change)!;
    expect(one.note).toContain('No member restarted');
    expect(renderMarkdown(noRestart, summarize(noRestart), 'results.png')).toMatch(
      /\| rolling renewal 3 \| 1 \| 4\.00 \|[^\n]*\| no member restarted; bound 6\.50 \(0\.62×\); leader elections per run 0/,
    );
  });

  it('says why writes failed, round by round, where the runs recorded it', () => {
    const reason = 'https://198.51.100.12:2379: request timed out after 5000 ms';
    const failed = withChanges([
      change(SCENARIOS.change1, 2000, []),
      {
        ...change(SCENARIOS.renewal, 4000, [], { writes: 90, failures: 1, maxGapMs: 5060, maxGapEndAt: 1_795_800_000_000, failureReasons: [reason] }),
        round: 3,
      },
    ]);
    const summary = summarize(failed);
    expect(summary.targets.find((t) => t.target === TARGETS.renewal)!.measured).toBe(
      `4.00 s vs 6.50 s (3 × 1.50 s + 2.00 s); longest write gap 5.06 s (90 writes, 1 failed: round 3: ${reason})`,
    );
    expect(renderMarkdown(failed, summary, 'results.png')).toContain(`longest write gap 5.06 (90 writes, 1 failed: round 3: ${reason})`);
    // The progress log says the same through the writer's own summary, from the figures a run keeps.
    expect(writerSummary(failed.lab.changes?.[1].writer ?? { writes: 0, failures: 0, maxGapMs: 0 })).toBe(
      `writes 90, failures 1, longest write gap 5060 ms (ended 2026-11-27T17:20:00.000Z); failed: ${reason}`,
    );
    expect(writerSummary({ writes: 90, failures: 0, maxGapMs: 60 })).toBe('writes 90, failures 0, longest write gap 60 ms');
    // Failures from runs that did not record why (older results) are counted, with nothing made up.
    expect(target(TARGETS.renewal).measured).toMatch(/\(170 writes, 0 failed\)$/);
    expect(failedWhy({ failures: 2 })).toBe('');
  });

  it('leaves the upgrade not measured in a --quick run, and says why', () => {
    expect(target(TARGETS.upgrade)).toMatchObject({ status: 'not measured', measured: '—' });
    expect(target(TARGETS.upgrade).note).toMatch(/--quick` leaves the rolling upgrade out/);
  });

  it('renders the plans, restarts and changes table', () => {
    const md = renderMarkdown(RESULTS, summary, 'results.png');
    expect(md).toContain('| restart floor (1 member) | 3 | 1.50 | 1.40–1.60 | connect 0.20 · stop 1.10 · start 0.10 · health 0.10 |');
    expect(md).toMatch(
      /\| rolling renewal 3 \| 1 \| 20\.00 \| — \| plan 0\.50 · PKI 0\.20 · provision 16\.00 · stop 1\.50 · start 0\.30 · gate 1\.20 · health 0\.20 · finish 0\.10 \| restart windows e1 1\.00 \(stopped 0\.50, ready 0\.10 later\)/,
    );
    expect(md).toContain('leader elections per run 1; longest write gap 0.24 (170 writes, 0 failed)');
    expect(md).toContain('provision 2.30 before the first restart, 0.00 + 0.00 between restarts (the lock handed on), 13.70 after the last');
    // Results from before the elections were counted say nothing of them.
    expect(md).not.toMatch(/one-member change[^\n]*leader elections/);
    expect(md).toContain('The rolling upgrade did not run (`--quick` leaves it out).');
  });
});

describe("etcd's own part of a rolling change's restarts", () => {
  const spreadOf = (median: number) => ({ n: 3, median, min: median, max: median });
  const measured = summarize(RESULTS).ops.find((r) => r.scenario === SCENARIOS.restartFloor)!;
  const floorRow = (byRole: boolean) => ({
    ...measured,
    etcdPart: spreadOf(900),
    etcdPartByRole: byRole ? { leader: spreadOf(1400), follower: spreadOf(800) } : null,
  });

  it("counts the leader's restart once and the others' for the rest, when the floor saw both roles", () => {
    expect(etcdOwnPart(floorRow(true), 3)).toEqual({
      ms: 1400 + 2 * 800,
      text: "etcd's own part of 3 restarts, the leader's once (1.40 s: every rolling change restarts it, and its stop hands its leadership over) and the others' (2 × 0.80 s)",
    });
    expect(etcdOwnPart(floorRow(true), 5).ms).toBe(1400 + 4 * 800);
  });

  it('counts nothing for a change that restarted no member', () => {
    expect(etcdOwnPart(floorRow(true), 0)).toEqual({ ms: 0, text: 'no restart of etcd (no member restarted)' });
  });

  it('keeps the median of all restarts for one restart, or when a role was not seen', () => {
    expect(etcdOwnPart(floorRow(true), 1)).toEqual({ ms: 900, text: "etcd's own part of the restart (1 × 0.90 s)" });
    expect(etcdOwnPart(floorRow(false), 3)).toEqual({ ms: 2700, text: "etcd's own part of 3 restarts (3 × 0.90 s)" });
  });
});
