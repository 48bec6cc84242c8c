// From raw results to the figures the report shows: medians, the phases of each scenario's median
// run, ratios, and each target met or not with a sentence on why. Pure: no I/O.
import { Phase, Phases } from './phases';
import { BenchResults, SynthMode } from './results';
import { medianRun, ratio, spread, Spread } from './stats';
import { SCENARIOS } from './scenarios';

export interface SynthRow {
  readonly id: string;
  readonly members: number;
  readonly resources: number | null;
  readonly compiled: Spread | null;
  readonly tsNode: Spread | null;
}

export type ScenarioKind = 'deploy' | 'floor' | 'replan';

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
}

export interface RatioRow {
  readonly label: string;
  readonly value: number;
  readonly detail: string;
}

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly status: TargetStatus;
  readonly note: string;
}

export interface Summary {
  readonly synth: SynthRow[];
  readonly scenarios: ScenarioRow[];
  readonly ratios: RatioRow[];
  readonly targets: TargetRow[];
}

export const PHASE_ORDER: readonly Phase[] = ['init', 'plan', 'pki', 'install', 'start', 'health', 'finish'];

export const PHASE_LABEL: Record<Phase, string> = {
  init: 'init',
  plan: 'plan',
  pki: 'PKI',
  install: 'install',
  start: 'start',
  health: 'health',
  finish: 'finish',
};

/** What a phase of the Terraform deploy spends its time on, and what would shrink it. */
const PHASE_STORY: Record<Phase, { why: string; lever: string }> = {
  init: {
    why: '`terraform init` installing the providers into a fresh working directory',
    lever: 'keep `.terraform` between runs (a pipeline cache), so that init happens once per workspace, not per deploy',
  },
  plan: {
    why: 'Terraform loading the configuration, starting the providers and planning every resource before it creates the first',
    lever: 'fewer resources per member (e.g. one bundle resource instead of one `local_file` per certificate)',
  },
  pki: {
    why: 'generating the keys, signing the certificates and writing the per-host files inside the apply (the floor got its certificates before its timed part)',
    lever: '`pki.keyAlgorithm: ECDSA-P256` (far cheaper keys than the default RSA-2048), or the PKI created by an earlier apply',
  },
  install: {
    why: 'the member provisioners up to "installed etcd": three SSH sessions per member (staging dir, upload, script) where the floor streams everything through one',
    lever: 'one SSH session per member (upload and script together)',
  },
  start: {
    why: 'what the provisioning script does between installing etcd and returning: placing files, enabling the unit and, at a first start, any probe for a running cluster to join (which waits out its timeouts when there is none)',
    lever: 'skip or shorten the probe for a running cluster when the state says the cluster is new',
  },
  health: {
    why: 'the health-check provisioner: a new SSH session to the first member once every member is done, then etcdctl until the cluster answers',
    lever: 'a shorter `health.intervalSeconds`, or the health check folded into the last member provisioner',
  },
  finish: {
    why: 'Terraform writing the state and the outputs and stopping the providers',
    lever: 'nothing worth doing (a fixed cost)',
  },
};

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const x = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a');

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

function scenarioRows(results: BenchResults): ScenarioRow[] {
  const rows: ScenarioRow[] = [];
  const order = Object.values(SCENARIOS) as string[];
  const deploys = results.lab.deploys;
  const floors = results.lab.floors;
  const replans = results.lab.replans;
  for (const scenario of order) {
    const d = deploys.filter((r) => r.scenario === scenario);
    const f = floors.filter((r) => r.scenario === scenario);
    const p = replans.filter((r) => r.scenario === scenario);
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
      });
    } else if (p.length > 0) {
      const mid = medianRun(p, (r) => r.totalMs);
      rows.push({
        scenario,
        kind: 'replan',
        members: mid.members,
        total: spread(p.map((r) => r.totalMs)),
        apply: null,
        phases: {},
        medianRunTotal: mid.totalMs,
      });
    }
  }
  return rows;
}

const fixed = (r: ScenarioRow): number => (r.phases.init ?? 0) + (r.phases.plan ?? 0);
function fixedPart(r3: number, r5: number): string {
  const over = r3 > 1.5 || r5 > 1.5;
  return `Terraform's fixed part alone (init + plan) is ${x(r3)} (3) and ${x(r5)} (5) the floor: ${
    over ? 'the target needs a shorter plan as well, whatever the other phases do.' : 'within the target by itself; the other phases decide it.'
  }`;
}
const row = (rows: ScenarioRow[], scenario: string): ScenarioRow | undefined => rows.find((r) => r.scenario === scenario);

/** Phases where `a` spends the most time beyond `b`, largest first, covering most of the gap. */
export function gapContributors(a: Phases, b: Phases): { phase: Phase; ms: number }[] {
  const deltas = PHASE_ORDER.map((phase) => ({ phase, ms: (a[phase] ?? 0) - (b[phase] ?? 0) })).filter((d) => d.ms > 0);
  deltas.sort((p, q) => q.ms - p.ms);
  const total = deltas.reduce((n, d) => n + d.ms, 0);
  const out: { phase: Phase; ms: number }[] = [];
  let covered = 0;
  for (const d of deltas) {
    if (out.length > 0 && (covered >= 0.75 * total || d.ms < 0.1 * total)) break;
    out.push(d);
    covered += d.ms;
  }
  return out;
}

/** "3 members: plan +4.29 s, PKI +3.39 s; …. Why: …. What would close it: …." */
export function explainGaps(pairs: readonly { label: string; a: ScenarioRow; b: ScenarioRow }[]): string {
  const parts = pairs.map((p) => ({ label: p.label, contributors: gapContributors(p.a.phases, p.b.phases) }));
  const phases = [...new Set(parts.flatMap((p) => p.contributors.map((c) => c.phase)))];
  const figures = parts.map((p) => `${p.label}: ${p.contributors.map((c) => `${PHASE_LABEL[c.phase]} +${s(c.ms)}`).join(', ')}`).join('; ');
  const why = phases.map((p) => `${PHASE_LABEL[p]} is ${PHASE_STORY[p].why}`).join('; ');
  const levers = phases.map((p) => PHASE_STORY[p].lever).join('; ');
  return `${figures}. Why: ${why}. What would close it: ${levers}.`;
}

function ratios(rows: ScenarioRow[], synth: SynthRow[]): RatioRow[] {
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
  const empty = synth.find((r) => r.id === 'empty');
  const big = synth.find((r) => r.id === '51');
  add('synth 51 / empty stack (compiled)', big?.compiled?.median, empty?.compiled?.median, 'fresh node processes');
  add('synth 51 / empty stack (ts-node)', big?.tsNode?.median, empty?.tsNode?.median, 'fresh node processes, type-checking');
  add('synth 51 ts-node / compiled', big?.tsNode?.median, big?.compiled?.median, 'what type-checking at every synth costs');
  return out;
}

function targets(rows: ScenarioRow[], synth: SynthRow[]): TargetRow[] {
  const out: TargetRow[] = [];
  const d3 = row(rows, SCENARIOS.deploy3);
  const d5 = row(rows, SCENARIOS.deploy5);
  const f3 = row(rows, SCENARIOS.floor3);
  const f5 = row(rows, SCENARIOS.floor5);
  const notMeasured = (target: string): TargetRow => ({ target, measured: '—', status: 'not measured', note: 'not measured in this run' });

  const t1 = 'deploy ≤ 1.5× the floor (3 and 5 members)';
  if (d3 && f3 && d5 && f5) {
    const r3 = ratio(d3.total.median, f3.total.median);
    const r5 = ratio(d5.total.median, f5.total.median);
    const met = r3 <= 1.5 && r5 <= 1.5;
    const measured = `3: ${x(r3)} (${s(d3.total.median)} vs ${s(f3.total.median)}); 5: ${x(r5)} (${s(d5.total.median)} vs ${s(f5.total.median)})`;
    const note = met
      ? `Met: the deploy costs at most ${x(Math.max(r3, r5))} the bare work.`
      : `Not met. Beyond the floor, ${explainGaps([
          { label: '3 members', a: d3, b: f3 },
          { label: '5 members', a: d5, b: f5 },
        ])} ${fixedPart(ratio(fixed(d3), f3.medianRunTotal), ratio(fixed(d5), f5.medianRunTotal))} Without init the ratios are ${x(ratio(d3.apply?.median ?? NaN, f3.total.median))} and ${x(ratio(d5.apply?.median ?? NaN, f5.total.median))}.`;
    out.push({ target: t1, measured, status: met ? 'met' : 'not met', note });
  } else out.push(notMeasured(t1));

  const t2 = '5 members ≤ 1.2× the time of 3';
  if (d3 && d5) {
    const r = ratio(d5.total.median, d3.total.median);
    const rf = f3 && f5 ? ratio(f5.total.median, f3.total.median) : NaN;
    const met = r <= 1.2;
    const floorSays = Number.isFinite(rf)
      ? ` The floor itself grows ${x(rf)} from 3 to 5 members here: 5 hosts, their etcd elections and the controller share the machine's cores.`
      : '';
    const note = met ? `Met: ${x(r)}.${floorSays}` : `Not met: ${x(r)}.${floorSays} Growth, ${explainGaps([{ label: '5 vs 3 members', a: d5, b: d3 }])}`;
    out.push({ target: t2, measured: `${x(r)} (${s(d5.total.median)} vs ${s(d3.total.median)})`, status: met ? 'met' : 'not met', note });
  } else out.push(notMeasured(t2));

  const t3 = '51-member compiled synth < 2 s';
  const big = synth.find((r) => r.id === '51');
  const empty = synth.find((r) => r.id === 'empty');
  if (big?.compiled) {
    const ms = big.compiled.median;
    const met = ms < 2000;
    const floor = empty?.compiled ? ` (the empty cdktf stack alone: ${s(empty.compiled.median)})` : '';
    const note = met
      ? `Met with ${s(2000 - ms)} to spare${floor}.`
      : `Not met${floor}: the rest is constructing and serializing ${big.resources ?? '?'} resources; a CPU profile (\`node --cpu-prof dist/main.js\`) says where, and fewer resources per member would close it.`;
    out.push({ target: t3, measured: s(ms), status: met ? 'met' : 'not met', note });
  } else out.push(notMeasured(t3));

  const t4 = 're-plan of the deployed cluster < 5 s';
  const rp = row(rows, SCENARIOS.replan3);
  if (rp) {
    const ms = rp.total.median;
    const met = ms < 5000;
    const note = met
      ? `Met with ${s(5000 - ms)} to spare (plan -detailed-exitcode exited 0: no change).`
      : 'Not met: the plan refreshes every resource of the 3-member stack and starts the three providers; fewer resources per member, or `-refresh=false` for a quick check, would close it.';
    out.push({ target: t4, measured: s(ms), status: met ? 'met' : 'not met', note });
  } else out.push(notMeasured(t4));
  return out;
}

export function summarize(results: BenchResults): Summary {
  const synth = synthRows(results);
  const scenarios = scenarioRows(results);
  return { synth, scenarios, ratios: ratios(scenarios, synth), targets: targets(scenarios, synth) };
}
