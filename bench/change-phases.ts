// Phases of a change applied to a deployed cluster (a one-member change, a rolling renewal or
// upgrade), from the timestamped lines of `terraform apply -no-color`. Back to back, adding up to
// the wall time:
//   plan      until the first "Destroying..." / "Creating..." / "Modifying..."
//   pki       until the last tls_ / local_ resource is complete (certificates and host files)
//   provision until the last terraform_data but the health check is complete, outside the
//             restarts: SSH sessions, uploads, placing files, the cluster lock and the health gate
//             before each restart, the membership records
//   stop      the restart windows, "[etcd-ops X] restarting …" to "[etcd-ops X] restarted;
//             cluster healthy", until systemd saw the old etcd gone (the host's
//             InactiveEnterTimestamp, on the same monotonic clock as the apply)
//   start     … then until the new etcd told systemd it was ready (ActiveEnterTimestamp)
//   gate      the rest of the restart windows: the host script's health gate after the restart
//   health    until the health check is complete
//   finish    until terraform exits
import { TimedLine } from './timed-process';

export const CHANGE_PHASES = ['plan', 'pki', 'provision', 'stop', 'start', 'gate', 'health', 'finish'] as const;
export type ChangePhase = (typeof CHANGE_PHASES)[number];
export type ChangePhases = Partial<Record<ChangePhase, number>>;

/** One member's restart, in ms since the apply was spawned. */
export interface RestartWindow {
  readonly member: string;
  /** "restarting" logged. */
  readonly from: number;
  /** "restarted; cluster healthy" logged. */
  readonly to: number;
  /** The old etcd was gone (the host's InactiveEnterTimestamp), clamped into the window; absent when unknown. */
  readonly stopped?: number;
  /** The new etcd told systemd it was ready (ActiveEnterTimestamp), clamped into the window. */
  readonly ready?: number;
}

/** How far (ms) a host's timestamp may lie outside a window whose lines reached terraform late. */
export const HOST_TIME_SLACK_MS = 3000;

/**
 * The windows with the hosts' own stop and start times (ms since the apply was spawned, same
 * clock). A restart outside its window (beyond the slack for output that travels late) means etcd
 * restarted again after the restart the scripts logged: an error.
 */
export function withHostTimes(windows: readonly RestartWindow[], hosts: Readonly<Record<string, { stopped: number; ready: number }>>): RestartWindow[] {
  return windows.map((w) => {
    const h = hosts[w.member];
    if (!h) return w;
    const inside = (t: number): boolean => t >= w.from - HOST_TIME_SLACK_MS && t <= w.to + HOST_TIME_SLACK_MS;
    if (!inside(h.stopped) || !inside(h.ready) || h.ready < h.stopped) {
      throw new Error(
        `${w.member}: etcd stopped at +${Math.round(h.stopped)} ms and was ready at +${Math.round(h.ready)} ms, not within its restart window +${Math.round(w.from)}..+${Math.round(w.to)} ms (restarted again?)`,
      );
    }
    const clamp = (t: number): number => Math.min(Math.max(t, w.from), w.to);
    return { ...w, stopped: clamp(h.stopped), ready: clamp(h.ready) };
  });
}

export interface ChangeMilestones {
  readonly firstChange: number;
  /** The last tls_ / local_ resource complete; null when the change touched none. */
  readonly lastPkiComplete: number | null;
  /** The last terraform_data but the health check complete: member provisioners (and join steps where an identity changed), membership records. */
  readonly lastStepComplete: number;
  readonly healthComplete: number;
  readonly wall: number;
  /** In the order they happened; never overlapping. */
  readonly windows: RestartWindow[];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const COMPLETE = '(?:Creation|Modifications) complete';

/**
 * The restart windows the host scripts logged, checked to be one at a time: a window that opens
 * while another is open, closes one it did not open, or never closes is an error.
 */
export function restartWindows(lines: readonly TimedLine[]): RestartWindow[] {
  const out: RestartWindow[] = [];
  let open: { member: string; from: number } | undefined;
  for (const l of lines) {
    const m = /\[etcd-ops (\S+)\] (restarting \S+$|restarted; cluster healthy)/.exec(l.text);
    if (!m) continue;
    if (m[2].startsWith('restarting ')) {
      if (open) throw new Error(`${m[1]} began restarting while ${open.member} was still restarting (not one at a time)`);
      open = { member: m[1], from: l.t };
    } else {
      if (!open || open.member !== m[1]) throw new Error(`${m[1]} finished a restart it had not begun`);
      out.push({ member: open.member, from: open.from, to: l.t });
      open = undefined;
    }
  }
  if (open) throw new Error(`${open.member} began restarting and never logged "restarted; cluster healthy"`);
  return out;
}

function one(lines: readonly TimedLine[], re: RegExp, what: string, pick: 'first' | 'last'): number {
  const t = lines.filter((l) => re.test(l.text)).map((l) => l.t);
  if (t.length === 0) throw new Error(`no "${what}" line in the output`);
  return pick === 'first' ? Math.min(...t) : Math.max(...t);
}

/**
 * Milestones of a change apply in which exactly `restarts` restart, each once (in any order), and
 * the health check passes.
 */
export function changeMilestones(lines: readonly TimedLine[], wallMs: number, restarts: readonly string[], prefix = 'etcd'): ChangeMilestones {
  const p = escape(prefix);
  const windows = restartWindows(lines);
  const got = windows.map((w) => w.member).sort();
  const want = [...restarts].sort();
  if (got.join(' ') !== want.join(' ')) {
    throw new Error(`expected restarts of ${want.join(', ') || 'no member'}, the host scripts logged restarts of ${got.join(', ') || 'none'}`);
  }
  const pki = lines.filter((l) => new RegExp(`^(?:tls_[a-z_]+|local_(?:sensitive_)?file)\\.[\\w-]+: ${COMPLETE}`).test(l.text)).map((l) => l.t);
  return {
    firstChange: one(lines, /^[\w.-]+(\[[^\]]*\])?: (?:Destroying|Creating|Modifying)\.\.\./, 'Destroying/Creating/Modifying...', 'first'),
    lastPkiComplete: pki.length > 0 ? Math.max(...pki) : null,
    lastStepComplete: one(
      lines,
      new RegExp(`^terraform_data\\.${p}_(?!health_check:)[\\w-]+(?:\\[[^\\]]*\\])?: ${COMPLETE}`),
      'terraform_data complete',
      'last',
    ),
    healthComplete: one(lines, new RegExp(`^terraform_data\\.${p}_health_check: ${COMPLETE}`), 'health check complete', 'last'),
    wall: wallMs,
    windows,
  };
}

/** Time of the windows inside [from, to]. */
function within(windows: readonly RestartWindow[], from: number, to: number): number {
  return windows.reduce((n, w) => n + Math.max(0, Math.min(w.to, to) - Math.max(w.from, from)), 0);
}

export function changePhases(m: ChangeMilestones): ChangePhases {
  const marks = [m.firstChange, m.lastPkiComplete ?? m.firstChange, m.lastStepComplete, m.healthComplete, m.wall];
  const at: number[] = [];
  marks.forEach((t, i) => at.push(Math.max(t, i > 0 ? at[i - 1] : 0)));
  const [plan, pki, steps, health, wall] = at;
  // Each window: stop until `stopped`, start until `ready`, gate after. Without host times, all stop.
  const upTo = (end: (w: RestartWindow) => number | undefined): number =>
    within(
      m.windows.map((w) => ({ ...w, to: end(w) ?? w.to })),
      pki,
      steps,
    );
  const stopped = upTo((w) => w.stopped);
  const ready = upTo((w) => w.ready);
  const windows = upTo(() => undefined);
  return {
    plan,
    pki: pki - plan,
    provision: steps - pki - windows,
    stop: stopped,
    start: ready - stopped,
    gate: windows - ready,
    health: health - steps,
    finish: wall - health,
  };
}

/** Where a change's provision phase lies around its restarts (ms). */
export interface ProvisionAround {
  /** From the PKI done (or the first change) until the first "restarting": SSH sessions, uploads, placing files, waiting for and taking the lock, the health gate before it. */
  readonly before: number;
  /** Between one window's "restarted; cluster healthy" and the next "restarting": the lock handed on, the next member's health gate. */
  readonly handoffs: number[];
  /** From the last window until the last step but the health check: the member's provisioner ending. */
  readonly after: number;
}

/** The provision phase split around the restart windows; null without a restart. */
export function provisionAround(m: ChangeMilestones): ProvisionAround | null {
  const w = m.windows;
  if (w.length === 0) return null;
  const start = m.lastPkiComplete ?? m.firstChange;
  return {
    before: Math.max(0, w[0].from - start),
    handoffs: w.slice(1).map((x, i) => x.from - w[i].to),
    after: Math.max(0, m.lastStepComplete - w[w.length - 1].to),
  };
}
