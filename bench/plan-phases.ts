// Phases of a `terraform plan -detailed-exitcode -no-color` that finds no change, from its
// timestamped output lines: load = until the first "Refreshing state..." (the configuration, the
// state and the providers loaded; the whole plan when nothing is refreshed), refresh = until
// "No changes." (every resource read back and compared with the configuration), finish = exit.
import { TimedLine } from './timed-process';

export const PLAN_PHASES = ['load', 'refresh', 'finish'] as const;
export type PlanPhase = (typeof PLAN_PHASES)[number];
export type PlanPhases = Partial<Record<PlanPhase, number>>;

export interface PlanMilestones {
  /** The first "Refreshing state..." line; null when the plan refreshed nothing. */
  readonly firstRefresh: number | null;
  readonly noChanges: number;
  readonly wall: number;
  /** "Refreshing state..." lines: resources refreshed. */
  readonly refreshed: number;
}

export function planMilestones(lines: readonly TimedLine[], wallMs: number): PlanMilestones {
  const refreshes = lines.filter((l) => /^[\w.-]+(\[[^\]]*\])?: Refreshing state\.\.\./.test(l.text)).map((l) => l.t);
  const done = lines.find((l) => /^No changes\./.test(l.text));
  if (!done) throw new Error('no "No changes." line in the plan output');
  return { firstRefresh: refreshes.length > 0 ? Math.min(...refreshes) : null, noChanges: done.t, wall: wallMs, refreshed: refreshes.length };
}

export function planPhases(m: PlanMilestones): PlanPhases {
  const load = Math.min(m.firstRefresh ?? m.noChanges, m.noChanges);
  const done = Math.min(Math.max(m.noChanges, load), m.wall);
  return { load, refresh: done - load, finish: Math.max(m.wall - done, 0) };
}
