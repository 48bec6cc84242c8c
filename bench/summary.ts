// From raw results to the figures the report shows: medians, the phases of each scenario's median
// run, and ratios; the targets are judged in targets.ts. Pure: no I/O.
import { CHANGE_PHASES, ProvisionAround, provisionAround } from './change-phases';
import { Phases } from './phases';
import { PLAN_PHASES } from './plan-phases';
import { BenchResults, SynthMode } from './results';
import { RESTART_PHASES, etcdPart } from './restart-phases';
import { SCENARIOS } from './scenarios';
import { medianRun, ratio, spread, Spread } from './stats';
import { judgeTargets, TargetRow } from './targets';

export { gapContributors, PHASE_LABEL, PHASE_ORDER } from './explain';
export type { TargetRow, TargetStatus } from './targets';

export interface SynthRow {
  readonly id: string;
  readonly members: number;
  readonly resources: number | null;
  readonly compiled: Spread | null;
  readonly tsNode: Spread | null;
}

export type ScenarioKind = 'deploy' | 'floor';

/** A first deploy or its floor. */
export interface ScenarioRow {
  readonly scenario: string;
  readonly kind: ScenarioKind;
  readonly members: number;
  /** Wall time: init + apply for a deploy. */
  readonly total: Spread;
  readonly apply: Spread | null;
  /** Phases of the run whose total is the median: they add up to its total. */
  readonly phases: Phases;
  readonly medianRunTotal: number;
  /** The machine's busy CPU time during the apply (the floor script), every core; null when not recorded. */
  readonly cpu: Spread | null;
  /** Of it, the lab's hosts' CPU time (their cgroups); null when not recorded. */
  readonly hostsCpu: Spread | null;
  /** Deploys: the median run's private uploads before the member scripts (ms of wall time); null when not recorded. */
  readonly upload: number | null;
}

export type OpsKind = 'plan' | 'restart-floor' | 'change' | 'pki-apply';

/** A no-change plan, one member's restart floor, or a change applied to a deployed cluster. */
export interface OpsRow {
  readonly scenario: string;
  readonly kind: OpsKind;
  readonly members: number;
  readonly total: Spread;
  /** Phase names in order, and the phases of the median run: they add up to its total. */
  readonly phaseOrder: readonly string[];
  readonly phases: Readonly<Record<string, number>>;
  readonly medianRunTotal: number;
  /** Restart floor: etcd's own part (systemctl restart to healthy, on the host), over the runs. */
  readonly etcdPart: Spread | null;
  /** Restart floor: the median of the leader's restarts and of the others' (an election or not). */
  readonly byRole: { leader: Spread | null; follower: Spread | null } | null;
  /** Restart floor: etcd's own part of the leader's restarts and of the others'. */
  readonly etcdPartByRole: { leader: Spread | null; follower: Spread | null } | null;
  /** Plans: resources refreshed (median run). */
  readonly refreshed: number | null;
  /**
   * Changes: the restart windows of the median run in the order they happened: their length, and
   * how far into each the old etcd was gone and the new one ready (the hosts' own timestamps; null
   * when unknown).
   */
  readonly windows: { member: string; ms: number; stoppedMs: number | null; readyMs: number | null }[] | null;
  /** Rolling changes: the longest write gap over the runs; writes and failed writes of every run, and why they failed ("round N: endpoint: error"). */
  readonly writer: { maxGap: Spread; writes: number; failures: number; failureReasons: string[] } | null;
  /** Changes: the leader elections of each run, in run order (null when not recorded). */
  readonly elections: number[] | null;
  /** Changes with restarts: the median run's provision phase before, between and after its restart windows. */
  readonly around: ProvisionAround | null;
  /** Changes: the median run's private uploads before the member scripts (ms of wall time); null when not recorded. */
  readonly upload: number | null;
  /** The PKI alone applied: its init (first apply), plan (until the first change) and the machine's busy CPU, over the runs; what the median run did. */
  readonly pki: { init: Spread | null; plan: Spread; cpu: Spread | null; summary: string } | null;
}

export interface RatioRow {
  readonly label: string;
  readonly value: number;
  readonly detail: string;
}

export interface Summary {
  readonly synth: SynthRow[];
  readonly scenarios: ScenarioRow[];
  readonly ops: OpsRow[];
  readonly ratios: RatioRow[];
  readonly targets: TargetRow[];
}

function synthRows(results: BenchResults): SynthRow[] {
  const samples = results.synth.samples;
  const ids = [...new Set(samples.map((x) => x.case))];
  const pick = (id: string, mode: SynthMode): Spread | null => {
    const ms = samples.filter((x) => x.case === id && x.mode === mode).map((x) => x.ms);
    return ms.length > 0 ? spread(ms) : null;
  };
  return ids.map((id) => {
    const first = samples.find((x) => x.case === id);
    return { id, members: first?.members ?? 0, resources: first?.resources ?? null, compiled: pick(id, 'compiled'), tsNode: pick(id, 'ts-node') };
  });
}

/** A CPU time of the runs that recorded it. */
function cpuSpread<R>(runs: readonly R[], of: (r: R) => number | undefined): Spread | null {
  const ms = runs.flatMap((r) => of(r) ?? []);
  return ms.length > 0 ? spread(ms) : null;
}

function scenarioRows(results: BenchResults): ScenarioRow[] {
  const rows: ScenarioRow[] = [];
  for (const scenario of Object.values(SCENARIOS) as string[]) {
    const d = results.lab.deploys.filter((r) => r.scenario === scenario);
    const f = results.lab.floors.filter((r) => r.scenario === scenario);
    if (d.length > 0) {
      const mid = medianRun(d, (r) => r.totalMs);
      rows.push({
        scenario,
        kind: 'deploy',
        members: mid.members,
        total: spread(d.map((r) => r.totalMs)),
        apply: spread(d.map((r) => r.applyMs)),
        phases: mid.phases,
        medianRunTotal: mid.totalMs,
        cpu: cpuSpread(d, (r) => r.cpuMs),
        hostsCpu: cpuSpread(d, (r) => r.hostsCpuMs),
        upload: mid.uploadMs ?? null,
      });
    } else if (f.length > 0) {
      const mid = medianRun(f, (r) => r.totalMs);
      rows.push({
        scenario,
        kind: 'floor',
        members: mid.members,
        total: spread(f.map((r) => r.totalMs)),
        apply: null,
        phases: mid.phases,
        medianRunTotal: mid.totalMs,
        cpu: cpuSpread(f, (r) => r.cpuMs),
        hostsCpu: cpuSpread(f, (r) => r.hostsCpuMs),
        upload: null,
      });
    }
  }
  return rows;
}

const spreadOrNull = (values: number[]): Spread | null => (values.length > 0 ? spread(values) : null);
const none = {
  etcdPart: null,
  byRole: null,
  etcdPartByRole: null,
  refreshed: null,
  windows: null,
  writer: null,
  elections: null,
  pki: null,
  around: null,
  upload: null,
};

function opsRows(results: BenchResults): OpsRow[] {
  const rows: OpsRow[] = [];
  const lab = results.lab;
  for (const scenario of Object.values(SCENARIOS) as string[]) {
    const plans = lab.replans.filter((r) => r.scenario === scenario);
    const restarts = (lab.restarts ?? []).filter((r) => r.scenario === scenario);
    const changes = (lab.changes ?? []).filter((r) => r.scenario === scenario);
    const pkiApplies = (lab.pkiApplies ?? []).filter((r) => r.scenario === scenario);
    if (pkiApplies.length > 0) {
      const mid = medianRun(pkiApplies, (r) => r.totalMs);
      rows.push({
        ...none,
        scenario,
        kind: 'pki-apply',
        members: mid.members,
        total: spread(pkiApplies.map((r) => r.totalMs)),
        phaseOrder: ['plan', 'apply'],
        phases: { plan: mid.planMs, apply: mid.totalMs - mid.planMs },
        medianRunTotal: mid.totalMs,
        pki: {
          init: spreadOrNull(pkiApplies.flatMap((r) => r.initMs ?? [])),
          plan: spread(pkiApplies.map((r) => r.planMs)),
          cpu: cpuSpread(pkiApplies, (r) => r.cpuMs),
          summary: mid.summary,
        },
      });
    } else if (plans.length > 0) {
      const mid = medianRun(plans, (r) => r.totalMs);
      rows.push({
        ...none,
        scenario,
        kind: 'plan',
        members: mid.members,
        total: spread(plans.map((r) => r.totalMs)),
        phaseOrder: mid.phases ? PLAN_PHASES : [],
        phases: mid.phases ?? {},
        medianRunTotal: mid.totalMs,
        refreshed: mid.refreshed ?? null,
      });
    } else if (restarts.length > 0) {
      const mid = medianRun(restarts, (r) => r.totalMs);
      const role = (leader: boolean, of: (r: (typeof restarts)[number]) => number = (r) => r.totalMs): Spread | null =>
        spreadOrNull(restarts.filter((r) => r.wasLeader === leader).map(of));
      const own = (r: (typeof restarts)[number]) => etcdPart(r.phases);
      rows.push({
        ...none,
        scenario,
        kind: 'restart-floor',
        members: 1,
        total: spread(restarts.map((r) => r.totalMs)),
        phaseOrder: RESTART_PHASES,
        phases: mid.phases,
        medianRunTotal: mid.totalMs,
        etcdPart: spread(restarts.map((r) => etcdPart(r.phases))),
        byRole: { leader: role(true), follower: role(false) },
        etcdPartByRole: { leader: role(true, own), follower: role(false, own) },
      });
    } else if (changes.length > 0) {
      const mid = medianRun(changes, (r) => r.applyMs);
      const written = changes.filter((r) => r.writer);
      rows.push({
        ...none,
        scenario,
        kind: 'change',
        members: mid.members,
        total: spread(changes.map((r) => r.applyMs)),
        phaseOrder: CHANGE_PHASES,
        phases: mid.phases,
        medianRunTotal: mid.applyMs,
        windows: mid.milestones.windows.map((w) => ({
          member: w.member,
          ms: w.to - w.from,
          stoppedMs: w.stopped === undefined ? null : w.stopped - w.from,
          readyMs: w.ready === undefined ? null : w.ready - w.from,
        })),
        writer:
          written.length > 0
            ? {
                maxGap: spread(written.map((r) => r.writer?.maxGapMs ?? NaN)),
                writes: written.reduce((n, r) => n + (r.writer?.writes ?? 0), 0),
                failures: written.reduce((n, r) => n + (r.writer?.failures ?? 0), 0),
                failureReasons: written.flatMap((r) => (r.writer?.failureReasons ?? []).map((why) => `round ${r.round}: ${why}`)),
              }
            : null,
        elections: changes.every((r) => r.elections !== undefined) ? changes.map((r) => r.elections ?? NaN) : null,
        around: provisionAround(mid.milestones),
        upload: mid.uploadMs ?? null,
      });
    }
  }
  return rows;
}

/** ": why" of a scenario's failed writes for its notes ("" when none failed, or the runs did not record why). */
export function failedWhy(w: { failures: number; failureReasons?: readonly string[] }): string {
  return w.failures > 0 && w.failureReasons?.length ? `: ${w.failureReasons.join('; ')}` : '';
}

/** "e2 1.22 s (stopped 0.95 s, ready 0.15 s later)" for each restart window. */
export function windowsText(windows: OpsRow['windows'], secs: (ms: number) => string): string {
  const parts = (w: NonNullable<OpsRow['windows']>[number]): string =>
    w.stoppedMs === null || w.readyMs === null ? '' : ` (stopped ${secs(w.stoppedMs)}, ready ${secs(w.readyMs - w.stoppedMs)} later)`;
  return (windows ?? []).map((w) => `${w.member} ${secs(w.ms)}${parts(w)}`).join(', ');
}

const row = <R extends { scenario: string }>(rows: readonly R[], scenario: string): R | undefined => rows.find((r) => r.scenario === scenario);

/** A rolling change's bound: one restart floor per member, plus 2 s. */
export const rollingBound = (members: number, floorMs: number): number => members * floorMs + 2000;

function ratios(rows: ScenarioRow[], ops: OpsRow[], synth: SynthRow[]): RatioRow[] {
  const out: RatioRow[] = [];
  const add = (label: string, a: number | undefined, b: number | undefined, detail: string): void => {
    if (a !== undefined && b !== undefined) out.push({ label, value: ratio(a, b), detail });
  };
  const d3 = row(rows, SCENARIOS.deploy3);
  const d5 = row(rows, SCENARIOS.deploy5);
  const f3 = row(rows, SCENARIOS.floor3);
  const f5 = row(rows, SCENARIOS.floor5);
  const p1 = row(rows, SCENARIOS.deploy3p1);
  const t3 = row(rows, SCENARIOS.deploy3tofu);
  add('deploy 3 / floor 3', d3?.total.median, f3?.total.median, 'init + apply vs floor');
  add('deploy 3 (OpenTofu) / floor 3', t3?.total.median, f3?.total.median, 'init + apply vs floor, OpenTofu');
  add('deploy 3 (OpenTofu) / deploy 3', t3?.total.median, d3?.total.median, 'OpenTofu vs Terraform, same stack and providers');
  add('deploy 3 / floor 3 (apply only)', d3?.apply?.median, f3?.total.median, 'apply without init vs floor');
  add('deploy 5 / floor 5', d5?.total.median, f5?.total.median, 'init + apply vs floor');
  add('deploy 5 / floor 5 (apply only)', d5?.apply?.median, f5?.total.median, 'apply without init vs floor');
  add('deploy 5 / deploy 3', d5?.total.median, d3?.total.median, 'growth of the deploy with 2 more members');
  add('floor 5 / floor 3', f5?.total.median, f3?.total.median, 'the same growth of the bare work on this machine');
  add('deploy 3 -parallelism=1 / deploy 3', p1?.total.median, d3?.total.median, 'serial members vs parallel');
  add('floor 3, one host at a time / floor 3', row(rows, SCENARIOS.floor3serial)?.total.median, f3?.total.median, 'the bare work, serial vs parallel');
  const replan = row(ops, SCENARIOS.replan3);
  const empty = row(ops, SCENARIOS.emptyPlan);
  const floor = row(ops, SCENARIOS.restartFloor);
  const pki = row(ops, SCENARIOS.pkiPlan);
  add('re-plan 3 / empty plan', replan?.total.median, empty?.total.median, 'no-change plan vs the same providers with no resources');
  add('re-plan of its PKI alone / empty plan', pki?.total.median, empty?.total.median, 'the tls_ and local_ resources alone vs the providers alone');
  add('re-plan 3 / re-plan of its PKI alone', replan?.total.median, pki?.total.median, 'what the provisioning resources add to the PKI');
  add('one-member change / restart floor', row(ops, SCENARIOS.change1)?.total.median, floor?.total.median, 'apply vs one restart over plain SSH');
  for (const name of [SCENARIOS.renewal, SCENARIOS.upgrade]) {
    const c = row(ops, name);
    if (c && floor) add(`${name} / (${c.members} × restart floor + 2 s)`, c.total.median, rollingBound(c.members, floor.total.median), 'apply vs its bound');
  }
  const emptySynth = synth.find((r) => r.id === 'empty');
  const big = synth.find((r) => r.id === '51');
  add('synth 51 / empty stack (compiled)', big?.compiled?.median, emptySynth?.compiled?.median, 'fresh node processes');
  add('synth 51 / empty stack (ts-node)', big?.tsNode?.median, emptySynth?.tsNode?.median, 'fresh node processes, type-checking');
  add('synth 51 ts-node / compiled', big?.tsNode?.median, big?.compiled?.median, 'what type-checking at every synth costs');
  return out;
}

export function summarize(results: BenchResults): Summary {
  const synth = synthRows(results);
  const scenarios = scenarioRows(results);
  const ops = opsRows(results);
  return {
    synth,
    scenarios,
    ops,
    ratios: ratios(scenarios, ops, synth),
    targets: judgeTargets({ scenarios, ops, synth, quick: results.quick, cores: results.machine.cpus }),
  };
}
