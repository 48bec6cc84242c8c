// Phases of a deploy, from the timestamped output lines of `terraform apply -no-color` and of the
// floor script. Milestones are made monotone, so the phases are back to back and add up to the
// wall time: work that overlaps (member A installing while member B's certificates are still
// signed) is counted in the earlier phase.
import { TimedLine } from './timed-process';

export const DEPLOY_PHASES = ['plan', 'pki', 'install', 'start', 'health', 'finish'] as const;
export const FLOOR_PHASES = ['install', 'start', 'health', 'finish'] as const;
export type Phase = 'init' | (typeof DEPLOY_PHASES)[number];
export type Phases = Partial<Record<Phase, number>>;

/** Raw milestones (ms since terraform apply was spawned); `first*` are kept for the overlap story. */
export interface DeployMilestones {
  firstCreating: number;
  lastPkiComplete: number;
  firstMemberCreating: number;
  firstInstalled: number;
  lastInstalled: number;
  /** Last line that says a member starts or bootstraps etcd (null when the script says neither). */
  lastStartLine: number | null;
  lastMemberComplete: number;
  /**
   * The last terraform_data other than the health check complete: the cluster started (member
   * provisioners, the bootstrap, join checks, membership records). Absent in older results.
   */
  lastStartComplete?: number;
  healthComplete: number;
  wall: number;
}

export interface FloorMilestones {
  lastInstalled: number;
  lastStarted: number;
  healthy: number;
  wall: number;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function times(lines: readonly TimedLine[], re: RegExp): number[] {
  return lines.filter((l) => re.test(l.text)).map((l) => l.t);
}

/** Time of the last line matching `re` for every name, or throws naming the names without one. */
function lastPerName(lines: readonly TimedLine[], names: readonly string[], re: (name: string) => RegExp, what: string): number[] {
  const missing: string[] = [];
  const found = names.map((n) => {
    const t = times(lines, re(n));
    if (t.length === 0) missing.push(n);
    return t.length > 0 ? Math.max(...t) : NaN;
  });
  if (missing.length > 0) throw new Error(`no "${what}" line for ${missing.join(', ')}`);
  return found;
}

function one(lines: readonly TimedLine[], re: RegExp, what: string, pick: 'first' | 'last' = 'first'): number {
  const t = times(lines, re);
  if (t.length === 0) throw new Error(`no "${what}" line in the output`);
  return pick === 'first' ? Math.min(...t) : Math.max(...t);
}

/**
 * Milestones of a first deploy: every member must have downloaded and installed etcd (an
 * "already installed" member means the hosts were not fresh) and the health check must pass.
 */
export function deployMilestones(lines: readonly TimedLine[], wallMs: number, members: readonly string[], prefix = 'etcd'): DeployMilestones {
  const p = escape(prefix);
  const memberRes = (n: string) => `terraform_data\\.${p}_member_${escape(n)}`;
  const installed = lastPerName(lines, members, (n) => new RegExp(`\\[etcd-deploy ${escape(n)}\\] installed etcd`), 'installed etcd');
  const firstInstalled = Math.min(...members.map((n) => Math.min(...times(lines, new RegExp(`\\[etcd-deploy ${escape(n)}\\] installed etcd`)))));
  const startLines = members.flatMap((n) => times(lines, new RegExp(`\\[etcd-(?:deploy|ops) ${escape(n)}\\] .*(?:start|bootstrap)`)));
  const complete = lastPerName(lines, members, (n) => new RegExp(`^${memberRes(n)}: Creation complete`), 'member creation complete');
  return {
    firstCreating: one(lines, /^[\w.-]+: Creating\.\.\.$/, 'Creating...'),
    lastPkiComplete: one(lines, /^(?:tls_[a-z_]+|local_(?:sensitive_)?file)\.[\w-]+: Creation complete/, 'PKI creation complete', 'last'),
    firstMemberCreating: Math.min(...members.map((n) => one(lines, new RegExp(`^${memberRes(n)}: Creating\\.\\.\\.$`), `${n} Creating...`))),
    firstInstalled,
    lastInstalled: Math.max(...installed),
    lastStartLine: startLines.length > 0 ? Math.max(...startLines) : null,
    lastMemberComplete: Math.max(...complete),
    lastStartComplete: one(
      lines,
      new RegExp(`^terraform_data\\.${p}_(?!health_check:)[\\w-]+(?:\\[[^\\]]*\\])?: Creation complete`),
      'creation complete',
      'last',
    ),
    healthComplete: one(lines, new RegExp(`^terraform_data\\.${p}_health_check: Creation complete`), 'health check creation complete'),
    wall: wallMs,
  };
}

/** Back-to-back phases: each milestone is clamped to be no earlier than the one before. */
function consecutive(names: readonly string[], marks: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  let prev = 0;
  names.forEach((name, i) => {
    const at = Math.max(marks[i], prev);
    out[name] = at - prev;
    prev = at;
  });
  return out;
}

export function deployPhases(m: DeployMilestones): Phases {
  const started = m.lastStartComplete ?? m.lastMemberComplete;
  return consecutive(DEPLOY_PHASES, [m.firstCreating, m.lastPkiComplete, m.lastInstalled, started, m.healthComplete, m.wall]);
}

/** Milestones of the floor script's `[floor NAME] installed|started` and `[floor] healthy` lines. */
export function floorMilestones(lines: readonly TimedLine[], wallMs: number, members: readonly string[]): FloorMilestones {
  return {
    lastInstalled: Math.max(...lastPerName(lines, members, (n) => new RegExp(`^\\[floor ${escape(n)}\\] installed`), 'floor installed')),
    lastStarted: Math.max(...lastPerName(lines, members, (n) => new RegExp(`^\\[floor ${escape(n)}\\] started`), 'floor started')),
    healthy: one(lines, /^\[floor\] healthy/, 'floor healthy'),
    wall: wallMs,
  };
}

export function floorPhases(m: FloorMilestones): Phases {
  return consecutive(FLOOR_PHASES, [m.lastInstalled, m.lastStarted, m.healthy, m.wall]);
}
