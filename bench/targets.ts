// The targets (issue 12), each judged on medians of the same run against its floor: met or not,
// the figures, and when not met the phases that make the gap. Nothing is met without a
// measurement: a target whose inputs are missing is "not measured". Pure: no I/O.
import { ChangePhases } from './change-phases';
import { explainChangeGap, explainGaps, explainPlanGap } from './explain';
import { PlanPhases } from './plan-phases';
import { etcdPart, RestartPhases } from './restart-phases';
import { SCENARIOS, UPGRADE_FROM } from './scenarios';
import { ratio } from './stats';
import { failedWhy, windowsText } from './summary';
import type { OpsRow, ScenarioRow, SynthRow } from './summary';

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly status: TargetStatus;
  readonly note: string;
}

export interface TargetInputs {
  readonly scenarios: readonly ScenarioRow[];
  readonly ops: readonly OpsRow[];
  readonly synth: readonly SynthRow[];
  /** A --quick run leaves the rolling upgrade out unless asked. */
  readonly quick: boolean;
  /** The machine's cores, for what its busy CPU time allows. */
  readonly cores?: number;
}

/** The bounds, in one place. */
export const BOUNDS = {
  deployVsFloor: 1.5,
  fiveVsThree: 1.1,
  serialVsParallel: 1.3,
  replanVsEmpty: 2,
  changeVsRestartFloor: 1.5,
  rollingAllowanceMs: 2000,
  synthVsEmpty: 3,
} as const;

export const TARGETS = {
  deploy3: `deploy 3 ≤ ${BOUNDS.deployVsFloor}× floor 3`,
  deploy5: `deploy 5 ≤ ${BOUNDS.deployVsFloor}× floor 5`,
  growth: `deploy 5 ≤ ${BOUNDS.fiveVsThree}× deploy 3`,
  serial: `deploy 3 -parallelism=1 ≤ ${BOUNDS.serialVsParallel}× deploy 3`,
  replan: `re-plan 3 ≤ ${BOUNDS.replanVsEmpty}× an empty stack's plan (same providers)`,
  change: `one-member change ≤ ${BOUNDS.changeVsRestartFloor}× one member's restart floor`,
  renewal: `rolling renewal of N ≤ N × restart floor + ${BOUNDS.rollingAllowanceMs / 1000} s`,
  upgrade: `rolling upgrade of N (${UPGRADE_FROM} → current) ≤ N × restart floor + ${BOUNDS.rollingAllowanceMs / 1000} s`,
  synth: `51-member compiled synth ≤ ${BOUNDS.synthVsEmpty}× the empty stack`,
} as const;

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const x = (r: number): string => (Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a');
const find = <R extends { scenario: string }>(rows: readonly R[], scenario: string): R | undefined => rows.find((r) => r.scenario === scenario);
const judged = (target: string, measured: string, met: boolean, note: string): TargetRow => ({
  target,
  measured,
  status: met ? 'met' : 'not met',
  note: `${met ? 'Met' : 'Not met'}. ${note}`,
});
const notMeasured = (target: string, why = 'not measured in this run'): TargetRow => ({ target, measured: '—', status: 'not measured', note: why });

/** The deploy floor's own etcd part: from its last `systemctl start` to a healthy cluster. */
function deployFloorEtcd(f: ScenarioRow): string {
  return `Of the floor's ${s(f.medianRunTotal)}, ${s(f.phases.health ?? NaN)} is what the hosts themselves need once etcd is installed: from the last \`systemctl start\` to a healthy cluster (the members starting and electing a leader).`;
}

/**
 * What the machine's cores allow: the busy CPU time of the deploy's apply and of the floor, every
 * core counted, and the wall time that CPU time takes at the very least on this machine's cores.
 */
export function cpuBound(d: ScenarioRow, f: ScenarioRow, cores: number | undefined): string {
  if (!d.cpu || !f.cpu || !cores) return '';
  const least = d.cpu.median / cores;
  const bound = BOUNDS.deployVsFloor * f.total.median;
  return ` CPU: during the apply the machine's ${cores} cores were busy ${s(d.cpu.median)} in all (the floor: ${s(f.cpu.median)}; medians)${cpuSplit(
    d,
    f,
    cores,
  )}, the lab's hosts, their sshd and etcd, Terraform and its providers together on the same cores: even spread perfectly over them that is ${s(least)} of wall time, ${x(ratio(least, f.total.median))} the floor, ${
    least > bound
      ? `beyond the ${x(BOUNDS.deployVsFloor)} target on this machine whatever the order of the steps; only less work (fewer SSH sessions and processes, cheaper keys) or hosts with their own cores move it.`
      : `within the ${x(BOUNDS.deployVsFloor)} target: the rest of the gap is waiting, not work.`
  }`;
}

/**
 * Whose work it was: the lab's hosts' CPU time (their cgroups) and the rest, the applying side
 * (Terraform and its providers; the floor's ssh clients), and what the applying side alone takes
 * of the cores.
 */
function cpuSplit(d: ScenarioRow, f: ScenarioRow, cores: number): string {
  if (!d.cpu || !f.cpu || !d.hostsCpu || !f.hostsCpu) return '';
  const applying = d.cpu.median - d.hostsCpu.median;
  return `: the hosts ${s(d.hostsCpu.median)} (the floor's: ${s(f.hostsCpu.median)}), the applying side ${s(applying)} (the floor's ssh clients: ${s(
    f.cpu.median - f.hostsCpu.median,
  )}), which alone takes ${s(applying / cores)} of these cores, ${x(ratio(applying / cores, f.total.median))} the floor, before any host works`;
}

/** The machine's busy CPU time of two deploys side by side: does the wall time follow the work, or waiting? */
export function cpuCompared(labelA: string, a: ScenarioRow, labelB: string, b: ScenarioRow): string {
  if (!a.cpu || !b.cpu) return '';
  const work = ratio(a.cpu.median, b.cpu.median);
  const wall = ratio(a.total.median, b.total.median);
  return ` CPU: ${labelA} kept the machine busy ${s(a.cpu.median)}, ${labelB} ${s(b.cpu.median)} (${x(work)} the work for ${x(wall)} the wall time): ${
    work >= wall - 0.1 ? 'the time follows the work done on these shared cores.' : 'more time than work: the rest is waiting.'
  }`;
}

/**
 * What no deploy of this design can go below on this machine, from the PKI alone's first apply in
 * the same run: Terraform inits and plans the PKI before it creates anything, and the floor's own
 * work follows (init + plan + floor); and the PKI's apply and the floor's work share the machine's
 * cores ((PKI CPU + floor CPU) / cores after init). The larger of the two, against the target.
 */
export function fixedDeployFloor(d: ScenarioRow, f: ScenarioRow, pki: OpsRow | undefined, cores: number | undefined): { least: number; text: string } | null {
  const init = pki?.pki?.init?.median;
  const plan = pki?.pki?.plan.median;
  const pkiCpu = pki?.pki?.cpu?.median;
  if (!pki || init === undefined || plan === undefined || pkiCpu === undefined || !f.cpu || !cores) return null;
  const inTurn = plan + f.total.median;
  const shared = (pkiCpu + f.cpu.median) / cores;
  const least = init + Math.max(inTurn, shared);
  const bound = BOUNDS.deployVsFloor * f.total.median;
  const verdict =
    least > bound
      ? `beyond the ${x(BOUNDS.deployVsFloor)} target (${s(bound)}) before any step of the design's own: on this machine the fixed design (Terraform, HashiCorp's providers, kubeadm's RSA-2048 certificates, one resource per key, certificate and file) and the hosts' own work cannot meet it together; hosts with their own cores, or a PKI made by an earlier apply, would move it`
      : `within the ${x(BOUNDS.deployVsFloor)} target (${s(bound)}), which leaves ${s(bound - least)} for the design's own steps (the SSH sessions, the bootstrap, the join steps, the health check, Terraform's handling of the provisioning resources); they took ${s(d.total.median - least)}`;
  return {
    least,
    text: ` The fixed design's floor, from the PKI alone applied in the same run (${pki.members} members: init ${s(init)}, then its first apply ${s(pki.total.median)}, ${s(plan)} of it planning before the first resource, ${s(pkiCpu)} of CPU): Terraform inits and plans the PKI before anything is created, then the floor's work remains (${s(init)} + ${s(plan)} + ${s(f.total.median)} = ${s(init + inTurn)}); and the PKI's apply shares the ${cores} cores with the floor's work (${s(pkiCpu)} + ${s(f.cpu.median)} of CPU: ${s(shared)} after init). At least ${s(least)}, ${x(ratio(least, f.total.median))} the floor: ${verdict}.`,
  };
}

function deployVsFloor(target: string, d: ScenarioRow | undefined, f: ScenarioRow | undefined, cores?: number, pki?: OpsRow): TargetRow {
  if (!d || !f) return notMeasured(target);
  const r = ratio(d.total.median, f.total.median);
  const met = r <= BOUNDS.deployVsFloor;
  const fixedPart = ratio((d.phases.init ?? 0) + (d.phases.plan ?? 0), f.medianRunTotal);
  const gap = met
    ? ''
    : `Beyond the floor, ${explainGaps([{ label: `${d.members} members`, a: d.phases, b: f.phases }])} Terraform's fixed part alone (init + plan) is ${x(fixedPart)} the floor: ${
        fixedPart > BOUNDS.deployVsFloor
          ? 'the target needs a shorter plan as well, whatever the other phases do.'
          : 'within the target by itself; the other phases decide it.'
      } Without init: ${x(ratio(d.apply?.median ?? NaN, f.total.median))}. `;
  const fixed = met ? null : fixedDeployFloor(d, f, pki, cores);
  return judged(
    target,
    `${x(r)} (${s(d.total.median)} vs ${s(f.total.median)})`,
    met,
    `${gap}${deployFloorEtcd(f)}${met ? '' : cpuBound(d, f, cores)}${fixed?.text ?? ''}`,
  );
}

function growth(d3: ScenarioRow | undefined, d5: ScenarioRow | undefined, f3: ScenarioRow | undefined, f5: ScenarioRow | undefined): TargetRow {
  if (!d3 || !d5) return notMeasured(TARGETS.growth);
  const r = ratio(d5.total.median, d3.total.median);
  const met = r <= BOUNDS.fiveVsThree;
  const floorSays =
    f3 && f5
      ? ` The floor itself grows ${x(ratio(f5.total.median, f3.total.median))} from 3 to 5 members here: 5 hosts, their etcd elections and the controller share the machine's cores${
          ratio(f5.total.median, f3.total.median) > BOUNDS.fiveVsThree
            ? `; beyond the ${x(BOUNDS.fiveVsThree)} target by itself: on this machine the bare work is not flat in the member count, so no deploy of it can be`
            : ''
        }.`
      : '';
  const gap = met ? '' : ` Growth, ${explainGaps([{ label: '5 vs 3 members', a: d5.phases, b: d3.phases }])}${cpuCompared('5 members', d5, '3', d3)}`;
  return judged(TARGETS.growth, `${x(r)} (${s(d5.total.median)} vs ${s(d3.total.median)})`, met, `${x(r)}.${floorSays}${gap}`);
}

/** Why a member's provisioner needs two SSH sessions before its script (private-upload.ts). */
export const PRIVATE_UPLOAD_WHY =
  "two SSH sessions per member before its script runs, a private directory, then the files: Terraform's scp creates directories 0755 and files 0644 and makes every script 0777, so private keys can only go into a directory an earlier session made private";

/**
 * What one operation at a time costs by itself, whatever the rest of the design does: the floor
 * one host at a time against all at once, the PKI alone applied at -parallelism=1 against its
 * default apply, and the members' private uploads one after another against side by side (from
 * the two deploys), added to the default deploy.
 */
export function serialFloorStory(
  d3: ScenarioRow,
  f3: ScenarioRow | undefined,
  f3serial: ScenarioRow | undefined,
  pki?: OpsRow,
  pkiSerial?: OpsRow,
  p1?: ScenarioRow,
): string {
  if (!f3 || !f3serial) return '';
  const hosts = f3serial.total.median - f3.total.median;
  const keys = pki && pkiSerial ? pkiSerial.total.median - pki.total.median : 0;
  const uploads = p1?.upload != null && d3.upload != null ? { serial: p1.upload, parallel: d3.upload, more: Math.max(0, p1.upload - d3.upload) } : null;
  const added = hosts + keys + (uploads?.more ?? 0);
  const least = ratio(d3.total.median + added, d3.total.median);
  const pkiText =
    pki && pkiSerial
      ? `, and the PKI alone applied one resource at a time takes ${s(pkiSerial.total.median)} against ${s(pki.total.median)} (${s(keys)} more)`
      : '';
  const uploadText = uploads
    ? `; the members' private uploads (${PRIVATE_UPLOAD_WHY}) took ${s(uploads.serial)} one member after another against ${s(uploads.parallel)} side by side (${s(uploads.more)} more)`
    : '';
  const who = [pkiText ? 'the fixed design' : '', uploadText ? 'the private uploads' : ''].filter(Boolean);
  const took = p1 ? `; -parallelism=1 added ${s(p1.total.median - d3.total.median)} in all` : '';
  return ` The floor's own work one host at a time takes ${s(f3serial.total.median)}, ${x(ratio(f3serial.total.median, f3.total.median))} the floor all at once (${s(hosts)} more)${pkiText}${uploadText}: what the hosts${
    who.length > 0 ? `${who.length > 1 ? ',' : ' and'} ${who.join(' and ')}` : ''
  } add by themselves when one operation runs at a time is ${s(added)}, which alone makes ${x(least)} of the default deploy (${
    least > BOUNDS.serialVsParallel
      ? `beyond the ${x(BOUNDS.serialVsParallel)} target: with one operation at a time none of them can overlap, whatever the rest of the design does`
      : `within the ${x(BOUNDS.serialVsParallel)} target: the rest is the design's own per-member steps`
  }${took}).`;
}

function serial(
  p1: ScenarioRow | undefined,
  d3: ScenarioRow | undefined,
  f3?: ScenarioRow,
  f3serial?: ScenarioRow,
  pki?: OpsRow,
  pkiSerial?: OpsRow,
): TargetRow {
  if (!p1 || !d3) return notMeasured(TARGETS.serial);
  const r = ratio(p1.total.median, d3.total.median);
  const met = r <= BOUNDS.serialVsParallel;
  const gap = met
    ? ''
    : ` With one operation at a time Terraform runs the member provisioners one after another, so what each member spends in them adds up instead of overlapping: ${explainGaps(
        [{ label: '-parallelism=1 beyond the default', a: p1.phases, b: d3.phases }],
      )}${cpuCompared('-parallelism=1', p1, 'the default', d3)}`;
  return judged(
    TARGETS.serial,
    `${x(r)} (${s(p1.total.median)} vs ${s(d3.total.median)})`,
    met,
    `${x(r)}.${gap}${met ? '' : serialFloorStory(d3, f3, f3serial, pki, pkiSerial, p1)}`,
  );
}

/**
 * The re-plan of the PKI alone against the bound: the part of the re-plan the project's fixed
 * choices prescribe (a tls_ resource for every key, request and certificate, a local_ file for
 * every file of each host's tree), whatever provisions the hosts.
 */
function pkiFloorStory(rp: OpsRow, pki: OpsRow | undefined, empty: OpsRow): string {
  if (!pki) return '';
  const alone = ratio(pki.total.median, empty.total.median);
  const beyond =
    alone > BOUNDS.replanVsEmpty
      ? `: beyond the ${BOUNDS.replanVsEmpty}× target by itself, before any provisioning resource. That is Terraform refreshing and planning the resources the fixed design prescribes (a tls_ resource for every key, request and certificate, a local_ file for every file of each host's tree), not the SSH steps; only fewer certificates or host files (a departure from kubeadm's layout) would move it`
      : `: within the ${BOUNDS.replanVsEmpty}× target by itself`;
  return ` The PKI alone (its ${pki.refreshed ?? '?'} tls_ and local_ resources as synthesized, in a stack of their own with the same providers, applied beforehand) re-plans in ${s(pki.total.median)}, ${x(alone)} the empty plan${beyond}; the whole re-plan is ${x(ratio(rp.total.median, pki.total.median))} the PKI's (${s(rp.total.median - pki.total.median)} for the provisioning resources).`;
}

function replan(rp: OpsRow | undefined, pki: OpsRow | undefined, empty: OpsRow | undefined): TargetRow {
  if (!rp || !empty) return notMeasured(TARGETS.replan);
  const r = ratio(rp.total.median, empty.total.median);
  const met = r <= BOUNDS.replanVsEmpty;
  const what = `The re-plan refreshed ${rp.refreshed ?? '?'} resources; the empty stack declares the same providers (Terraform starts both) and has none. Medians of ${rp.total.n} and ${empty.total.n} plans, alternating.`;
  const gap = met ? '' : ` ${explainPlanGap(rp.phases as PlanPhases, empty.phases as PlanPhases)}`;
  return judged(TARGETS.replan, `${x(r)} (${s(rp.total.median)} vs ${s(empty.total.median)})`, met, `${what}${gap}${pkiFloorStory(rp, pki, empty)}`);
}

/** The floor's restart in the same terms as a restart window. */
const floorRestartText = (p: RestartPhases): string =>
  `at the floor etcd stopped in ${s(p.stop)}, was ready ${s(p.start)} later and the cluster healthy ${s(p.health)} after that (${s(etcdPart(p))})`;

/** The restart floor, and how much of it is etcd's own (where the floor is what the hosts need). */
function restartFloorStory(floor: OpsRow): string {
  const p = floor.phases as RestartPhases;
  const roles = floor.byRole;
  const byRole =
    roles?.leader && roles.follower
      ? ` Restarts of the member that led the cluster: ${s(roles.leader.median)}; of the others: ${s(roles.follower.median)}.`
      : '';
  return `The restart floor is ${s(floor.total.median)} (median of ${floor.total.n}), ${s(floor.etcdPart?.median ?? NaN)} of it etcd's own — what the host needs whatever restarts it: in the median run \`systemctl restart\` ${s(p.stop + p.start)} (etcd stopping ${s(p.stop)}: a leader hands its leadership over, etcd closes its servers and waits up to 1 s for its peer connections; starting until ready ${s(p.start)}), then ${s(p.health)} until the cluster answered healthy; the rest is the SSH session.${byRole}`;
}

/**
 * etcd's own part of `restarts` restarts at the floor. A rolling change restarts every member once,
 * the leader among them, and a leader's stop is etcd's longest (it hands its leadership over, then
 * waits for its peer connections: the floor measures it on its own): one leader's restart and the
 * others' when the floor saw both roles, else the median of all.
 */
export function etcdOwnPart(floor: OpsRow, restarts: number): { ms: number; text: string } {
  const median = floor.etcdPart?.median ?? NaN;
  const leader = floor.etcdPartByRole?.leader?.median;
  const follower = floor.etcdPartByRole?.follower?.median;
  if (restarts === 0) return { ms: 0, text: 'no restart of etcd (no member restarted)' };
  if (restarts < 2 || leader === undefined || follower === undefined) {
    return { ms: restarts * median, text: `etcd's own part of ${restarts === 1 ? 'the restart' : `${restarts} restarts`} (${restarts} × ${s(median)})` };
  }
  return {
    ms: leader + (restarts - 1) * follower,
    text: `etcd's own part of ${restarts} restarts, the leader's once (${s(leader)}: every rolling change restarts it, and its stop hands its leadership over) and the others' (${restarts - 1} × ${s(follower)})`,
  };
}

/** What a change's apply needs at the very least besides etcd's restarts, measured in the same run. */
export interface FixedPart {
  /** The PKI alone applying the same edit (its re-plan when the edit changes no certificate). */
  readonly pki?: OpsRow;
  readonly pkiChange?: OpsRow;
  /** An upgrade: the new release onto the hosts (the deploy floor's install phase). */
  readonly installMs?: number;
  /** The change's own private uploads before the member scripts (private-upload.ts). */
  readonly uploadMs?: number;
  /** The change's final health check (its health phase). */
  readonly healthMs?: number;
}

/**
 * What no apply of this design can go below: Terraform and the providers doing the PKI's part of
 * the change (the PKI alone applying the same edit, or its re-plan when no certificate changes;
 * every apply refreshes those resources first), the new release onto the hosts for an upgrade,
 * plus etcd's own part of `restarts` restarts, against the target's bound; and what that leaves
 * for the design's own steps, against what they took.
 */
export function designFloorStory(floor: OpsRow, restarts: number, bound: number, what: string, measured: number, fixed: FixedPart): string {
  const median = floor.etcdPart?.median;
  const pki = fixed.pkiChange ?? fixed.pki;
  if (!pki || median === undefined) return '';
  const own = etcdOwnPart(floor, restarts);
  const parts = [
    fixed.pkiChange
      ? `the PKI alone applying the same edit (${s(pki.total.median)}, measured in the same rounds: refreshing every tls_ and local_ resource, then replacing the changed ones, ${pki.pki?.summary ?? '?'})`
      : `the re-plan of its PKI alone (${s(pki.total.median)}: every apply refreshes those resources first)`,
    ...(fixed.installMs !== undefined
      ? [`the new release onto the hosts (${s(fixed.installMs)}: the deploy floor's install phase, download, check and extract on every host at once)`]
      : []),
    ...(fixed.uploadMs !== undefined
      ? [`the private upload of the members' files (${s(fixed.uploadMs)}, measured in the same apply: ${PRIVATE_UPLOAD_WHY})`]
      : []),
    ...(fixed.healthMs !== undefined ? [`the final health check the stack ends with (${s(fixed.healthMs)}, measured in the same apply)`] : []),
    own.text,
  ];
  const least = pki.total.median + (fixed.installMs ?? 0) + (fixed.uploadMs ?? 0) + (fixed.healthMs ?? 0) + own.ms;
  const verdict =
    least > bound
      ? `beyond the bound (${s(bound)}) before ${fixed.uploadMs !== undefined || fixed.healthMs !== undefined ? 'the rest of the design runs' : 'any SSH step of the design runs'}: what the fixed design prescribes of Terraform and HashiCorp's providers, and what the hosts need, leave no room for ${what}, which took ${s(measured - least)}`
      : `within the bound (${s(bound)}), which leaves ${s(bound - least)} for ${what}; they took ${s(measured - least)}`;
  return ` No apply of this stack can take less than ${parts.slice(0, -1).join(', ')} plus ${parts[parts.length - 1]}: ${s(least)}, ${verdict}.`;
}

/** The change's own private uploads and final health check, when recorded: steps no apply of this stack skips. */
function measuredSteps(c: OpsRow): Pick<FixedPart, 'uploadMs' | 'healthMs'> {
  return c.upload === null ? {} : { uploadMs: c.upload, healthMs: c.phases.health };
}

/** What remains for the design once the measured steps are counted (older results: every SSH step). */
const restOf = (c: OpsRow, older: string, steps: string): string => (c.upload === null ? older : `the rest (${steps})`);

/** The restarts of a change's median run (its restart windows). */
const restartsOf = (c: OpsRow): number => c.windows?.length ?? 0;

/** Said of a change whose members took their renewed certificates without a restart. */
const NO_RESTART =
  'No member restarted: etcd reads its server and peer certificates again at every new connection, and each member script saw the renewed ones served on its ports. ';

function change(c: OpsRow | undefined, floor: OpsRow | undefined, pki?: OpsRow, pkiChange?: OpsRow): TargetRow {
  if (!c || !floor) return notMeasured(TARGETS.change);
  const r = ratio(c.total.median, floor.total.median);
  const met = r <= BOUNDS.changeVsRestartFloor;
  const fp = floor.phases as RestartPhases;
  const n = restartsOf(c);
  const gap = met
    ? ''
    : `Beyond ${n === 0 ? 'the restart floor' : 'one restart at the floor'}, ${explainChangeGap('the apply', c.phases as ChangePhases, fp, n)} `;
  const windows =
    n === 0 ? NO_RESTART : `Its restart window (\`restarting\` → \`restarted; cluster healthy\`): ${windowsText(c.windows, s)}; ${floorRestartText(fp)}. `;
  const least = designFloorStory(
    floor,
    n,
    BOUNDS.changeVsRestartFloor * floor.total.median,
    restOf(
      c,
      'the SSH session and the health gate',
      n === 0 ? 'the member script and its check of the served certificates' : 'the member script and its health gate',
    ),
    c.total.median,
    {
      pki,
      pkiChange,
      ...measuredSteps(c),
    },
  );
  return judged(TARGETS.change, `${x(r)} (${s(c.total.median)} vs ${s(floor.total.median)})`, met, `${gap}${windows}${restartFloorStory(floor)}${least}`);
}

function rolling(target: string, c: OpsRow | undefined, floor: OpsRow | undefined, missing: string, fixed: FixedPart): TargetRow {
  if (!c || !floor) return notMeasured(target, !c ? missing : 'not measured in this run (no restart floor)');
  const bound = c.members * floor.total.median + BOUNDS.rollingAllowanceMs;
  const met = c.total.median <= bound;
  const w = c.writer;
  const writes = w ? `longest write gap ${s(w.maxGap.max)} (${w.writes} writes, ${w.failures} failed${failedWhy(w)})` : 'no writer ran';
  const measured = `${s(c.total.median)} vs ${s(bound)} (${c.members} × ${s(floor.total.median)} + ${s(BOUNDS.rollingAllowanceMs)}); ${writes}`;
  const n = restartsOf(c);
  const gap = met
    ? ''
    : `Beyond ${n} restarts at the floor (the ${s(BOUNDS.rollingAllowanceMs)} allowance aside), ${explainChangeGap('the apply', c.phases as ChangePhases, floor.phases as RestartPhases, n)} `;
  const windows =
    n === 0 ? NO_RESTART : `Restart windows, one at a time: ${windowsText(c.windows, s)}; ${floorRestartText(floor.phases as RestartPhases)} per member. `;
  const availability = w
    ? `Writes through every member all along (the e2e day-2 writer): the longest gap over ${c.total.n} run(s) was ${s(w.maxGap.max)}. `
    : '';
  const least = designFloorStory(
    floor,
    n,
    bound,
    restOf(
      c,
      'the SSH steps',
      n === 0 ? 'the member scripts and their checks of the served certificates' : 'the member scripts, the cluster lock and health gate around each restart',
    ),
    c.total.median,
    { ...fixed, ...measuredSteps(c) },
  );
  return judged(target, measured, met, `${x(ratio(c.total.median, bound))} of the bound. ${gap}${windows}${availability}${restartFloorStory(floor)}${least}`);
}

function synthTarget(synth: readonly SynthRow[]): TargetRow {
  const big = synth.find((r) => r.id === '51');
  const empty = synth.find((r) => r.id === 'empty');
  if (!big?.compiled || !empty?.compiled) return notMeasured(TARGETS.synth);
  const r = ratio(big.compiled.median, empty.compiled.median);
  const met = r <= BOUNDS.synthVsEmpty;
  const rest = `${s(big.compiled.median - empty.compiled.median)} beyond the empty stack is constructing and serializing ${big.resources ?? '?'} resources`;
  const note = met
    ? `${x(r)}: ${rest}.`
    : `${x(r)}: ${rest}; a CPU profile (\`node --cpu-prof dist/main.js\`) says where, and fewer resources per member would close it.`;
  return judged(TARGETS.synth, `${x(r)} (${s(big.compiled.median)} vs ${s(empty.compiled.median)})`, met, note);
}

export function judgeTargets(i: TargetInputs): TargetRow[] {
  const sc = (name: string): ScenarioRow | undefined => find(i.scenarios, name);
  const op = (name: string): OpsRow | undefined => find(i.ops, name);
  const floor = op(SCENARIOS.restartFloor);
  const upgradeMissing = i.quick
    ? 'not measured: `--quick` leaves the rolling upgrade out (run `npm run bench`, or add `--upgrade`)'
    : 'not measured in this run';
  return [
    deployVsFloor(TARGETS.deploy3, sc(SCENARIOS.deploy3), sc(SCENARIOS.floor3), i.cores, op(SCENARIOS.pkiFirst3)),
    deployVsFloor(TARGETS.deploy5, sc(SCENARIOS.deploy5), sc(SCENARIOS.floor5), i.cores, op(SCENARIOS.pkiFirst5)),
    growth(sc(SCENARIOS.deploy3), sc(SCENARIOS.deploy5), sc(SCENARIOS.floor3), sc(SCENARIOS.floor5)),
    serial(
      sc(SCENARIOS.deploy3p1),
      sc(SCENARIOS.deploy3),
      sc(SCENARIOS.floor3),
      sc(SCENARIOS.floor3serial),
      op(SCENARIOS.pkiFirst3),
      op(SCENARIOS.pkiFirst3p1),
    ),
    replan(op(SCENARIOS.replan3), op(SCENARIOS.pkiPlan), op(SCENARIOS.emptyPlan)),
    change(op(SCENARIOS.change1), floor, op(SCENARIOS.pkiPlan), op(SCENARIOS.pkiChange1)),
    rolling(TARGETS.renewal, op(SCENARIOS.renewal), floor, 'not measured in this run', { pki: op(SCENARIOS.pkiPlan), pkiChange: op(SCENARIOS.pkiRenewal) }),
    rolling(TARGETS.upgrade, op(SCENARIOS.upgrade), floor, upgradeMissing, { pki: op(SCENARIOS.pkiPlan), installMs: sc(SCENARIOS.floor3)?.phases.install }),
    synthTarget(i.synth),
  ];
}
