// Why a measurement exceeds its floor: the phases that make most of the gap, what each spends its
// time on, and what would shrink it. One story per phase, for first deploys, change applies and
// no-change plans. Pure: no I/O.
import { CHANGE_PHASES, ChangePhase, ChangePhases } from './change-phases';
import { Phase, Phases } from './phases';
import { PLAN_PHASES, PlanPhase, PlanPhases } from './plan-phases';
import { RestartPhases } from './restart-phases';

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

interface Story {
  readonly why: string;
  readonly lever: string;
}

/** What a phase of the Terraform deploy spends its time on, and what would shrink it. */
const PHASE_STORY: Record<Phase, Story> = {
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
    why: 'the member provisioners up to "installed etcd": several SSH sessions per member (the uploads, then the script) where the floor streams everything through one',
    lever: 'one SSH session per member (upload and script together)',
  },
  start: {
    why: 'everything from the last "installed etcd" until the cluster is started, before the health check: the rest of each member provisioner (placing files, the unit), then the steps that start etcd: the bootstrap record (no SSH: Terraform records it once every founder is installed), then every member\'s join step side by side (one SSH session each: in the apply that creates the record, `etcd-ops.sh found` starts the founder), then the membership records',
    lever:
      'the start folded into the member provisioners (one SSH session per member fewer): but a founder may only start once every founder is installed, which needs a step after them all',
  },
  health: {
    why: "the health-check provisioner: one SSH session to the first member once the cluster is started (its parameters written by the same inline script), then etcdctl until it answers: a new cluster answers once it has its first leader, and a founding member starts its raft only after etcd's own check that it never ran before (it asks each peer's `/members` in turn, 1 s at most each, server/etcdserver/bootstrap.go); a peer whose port is open but not yet served (started a moment before) costs that second, so founders started at the same instant can wait up to 1 s per peer (3 deploys of 5 on a 2-core lab, 2026-11-27, from the members' journals: 4.0 s, 1.0 s and 0.06 s in that check, the first leader within 0.5 s after it)",
    lever:
      "a shorter `health.intervalSeconds`, or the health check folded into the last member provisioner; founders started one after another, each once the one before serves its peer port, would spare etcd's check its waits, but Terraform starts the join steps in any order at `-parallelism=1`, so that needs an order between them",
  },
  finish: {
    why: 'Terraform writing the state and the outputs and stopping the providers',
    lever: 'nothing worth doing (a fixed cost)',
  },
};

export const CHANGE_LABEL: Record<ChangePhase, string> = {
  plan: 'plan',
  pki: 'PKI',
  provision: 'provision',
  stop: 'stop',
  start: 'start',
  gate: 'gate',
  health: 'health',
  finish: 'finish',
};

/** What a phase of a change apply (one-member change, rolling renewal, upgrade) spends its time on. */
const CHANGE_STORY: Record<ChangePhase, Story> = {
  plan: {
    why: 'Terraform loading the configuration and the state and refreshing every resource before it changes the first (the no-change re-plan of the same cluster is the same work)',
    lever: 'fewer resources per member: the refresh reads every one back',
  },
  pki: {
    why: 'destroying and re-creating the changed certificates and per-host files (tls_ and local_ resources, one step after another along their dependencies)',
    lever: 'fewer certificate and file resources per member (one bundle resource instead of one `local_file` per file)',
  },
  provision: {
    why: "the member provisioners' time outside the restarts: an SSH session per step, uploading and placing the member's files (an upgrade also downloads and installs the release and takes the pre-upgrade snapshot), the cluster lock and the health gate before each restart (a member's join step runs once per identity, not on these changes)",
    lever: 'one SSH session per member',
  },
  stop: {
    why: "etcd stopping inside the restart windows, until systemd saw the old process gone (the hosts' own timestamps): a leader hands its leadership over, then etcd closes its client listener and waits up to its request timeout (5 s + 2 × the election timeout: 7 s at the lab's 1 s) for open client streams to end before it cuts them, then up to 1 s for its peer connections (server/embed/etcd.go, Close). That last wait comes in steps: Go's http.Server.Shutdown looks for idle connections at intervals doubling from 1 ms to 500 ms, so the peer listener closes at once, after about 0.5 s, or at etcd's 1 s limit, depending on whether the peers' connections opened during the stop (their streams and pipelines re-dialing) are still open at those instants (journal of 8 restarts in a 3-member lab, 'stopping serving peer traffic' to 'stopped serving peer traffic': 5 × 1.00 s, 3 × 0.53-0.56 s); the floor's restarts draw from the same steps, so one window can stop 0.5 s longer than the floor's median by chance alone. Members waiting for the lock poll it with short reads, so no stream of the deploy's own is left open on the member that restarts; a watch of another client (the writer's requests are short) would still hold it up",
    lever: "nothing in the deploy: what remains is etcd's own stop, as at the floor",
  },
  start: {
    why: "the new etcd starting until it told systemd it was ready: etcd's own work, as at the floor, here under the load of the apply (and of the writer in the rolling changes)",
    lever: 'nothing in the deploy shortens etcd itself',
  },
  gate: {
    why: "the host script's health gate after each restart: `endpoint health --cluster` (every member the cluster lists, this one at its client URL), polled every 0.2 s (the floor polls every 0.1 s), one etcdctl process per poll",
    lever: 'nothing much: a shorter poll interval (more etcdctl processes on the shared cores)',
  },
  health: {
    why: 'the health-check provisioner: a new SSH session once every member is done, then etcdctl until the cluster answers',
    lever: 'no separate health check after members that each passed a health gate, or a shorter `health.intervalSeconds`',
  },
  finish: {
    why: 'Terraform writing the state and the outputs and stopping the providers',
    lever: 'nothing worth doing (a fixed cost)',
  },
};

const PLAN_STORY: Record<PlanPhase, Story> = {
  load: {
    why: "Terraform loading the configuration (every resource's, variable's and output's definition) and the state before it refreshes the first resource",
    lever: 'a smaller configuration (fewer resources, variables and outputs per member)',
  },
  refresh: {
    why: 'refreshing every resource through the providers and comparing it with the configuration (the empty stack has none)',
    lever: 'fewer resources per member, or `-refresh=false` for a check that trusts the state',
  },
  finish: { why: 'Terraform stopping the providers and exiting', lever: 'nothing worth doing (a fixed cost)' },
};

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Phases where `a` spends the most time beyond `b`, largest first, covering most of the gap. */
export function gapContributors<K extends string = Phase>(
  a: Partial<Record<K, number>>,
  b: Partial<Record<K, number>>,
  order: readonly K[] = PHASE_ORDER as readonly string[] as readonly K[],
): { phase: K; ms: number }[] {
  const deltas = order.map((phase) => ({ phase, ms: (a[phase] ?? 0) - (b[phase] ?? 0) })).filter((d) => d.ms > 0);
  deltas.sort((p, q) => q.ms - p.ms);
  const total = deltas.reduce((n, d) => n + d.ms, 0);
  const out: { phase: K; ms: number }[] = [];
  let covered = 0;
  for (const d of deltas) {
    if (out.length > 0 && (covered >= 0.75 * total || d.ms < 0.1 * total)) break;
    out.push(d);
    covered += d.ms;
  }
  return out;
}

/** "LABEL: plan +4.29 s, PKI +3.39 s; …. Why: …. What would close it: …." for any phase family. */
function explain<K extends string>(
  pairs: readonly { label: string; a: Partial<Record<K, number>>; b: Partial<Record<K, number>> }[],
  order: readonly K[],
  label: Record<K, string>,
  story: Record<K, Story>,
): string {
  const parts = pairs.map((p) => ({ label: p.label, contributors: gapContributors(p.a, p.b, order) }));
  const phases = [...new Set(parts.flatMap((p) => p.contributors.map((c) => c.phase)))];
  if (phases.length === 0) return 'No phase takes longer than at the floor.';
  const figures = parts.map((p) => `${p.label}: ${p.contributors.map((c) => `${label[c.phase]} +${s(c.ms)}`).join(', ')}`).join('; ');
  const why = phases.map((p) => `${label[p]} is ${story[p].why}`).join('; ');
  const levers = [...new Set(phases.map((p) => story[p].lever))].join('; ');
  return `${figures}. Why: ${why}. What would close it: ${levers}.`;
}

/** First deploys against their floors (or each other), by deploy phase. */
export function explainGaps(pairs: readonly { label: string; a: Phases; b: Phases }[]): string {
  return explain(pairs, PHASE_ORDER, PHASE_LABEL, PHASE_STORY);
}

/** A no-change re-plan against the empty stack's plan. */
export function explainPlanGap(replan: PlanPhases, empty: PlanPhases): string {
  const label = { load: 'load', refresh: 'refresh', finish: 'finish' } as const;
  return explain([{ label: 're-plan beyond the empty plan', a: replan, b: empty }], PLAN_PHASES, label, PLAN_STORY);
}

/**
 * What a change restarting `restarts` members would cost at the restart floor, in change phases:
 * the floor's SSH session as provisioning, its stop and start as the windows' stop and start, its
 * polling until healthy as the gate.
 */
export function floorAsChange(floor: RestartPhases, restarts: number): ChangePhases {
  return { provision: restarts * floor.connect, stop: restarts * floor.stop, start: restarts * floor.start, gate: restarts * floor.health };
}

/** A change apply against `restarts` restarts at the floor. */
export function explainChangeGap(label: string, change: ChangePhases, floor: RestartPhases, restarts: number): string {
  return explain([{ label, a: change, b: floorAsChange(floor, restarts) }], CHANGE_PHASES, CHANGE_LABEL, CHANGE_STORY);
}
