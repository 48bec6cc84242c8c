// Phases of one member's restart floor (restart-floor.sh): connect = the SSH session around the
// work (spawn, handshake, exit); stop and start = `systemctl restart etcd` on the host, split where
// systemd saw the old process gone (its InactiveEnterTimestamp: a leader hands its leadership over
// and etcd closes its servers; then the new etcd starts until it tells systemd it is ready);
// health = until `etcdctl endpoint health --cluster` passed. stop + start + health is etcd's own
// part: what the host needs whatever restarts it.

export const RESTART_PHASES = ['connect', 'stop', 'start', 'health'] as const;
export type RestartPhase = (typeof RESTART_PHASES)[number];
export type RestartPhases = Record<RestartPhase, number>;

export interface RestartFigures {
  readonly restartMs: number;
  readonly healthMs: number;
  readonly polls: number;
}

/** The script's last line: `restart_ms=N health_ms=N polls=N`. */
export function parseRestartFigures(stdout: string): RestartFigures {
  const m = /^restart_ms=(\d+) health_ms=(\d+) polls=(\d+)$/m.exec(stdout);
  if (!m) throw new Error(`no "restart_ms=… health_ms=… polls=…" line in: ${JSON.stringify(stdout.slice(-300))}`);
  return { restartMs: Number(m[1]), healthMs: Number(m[2]), polls: Number(m[3]) };
}

/**
 * The session's wall time split: what the host timed (the restart split at `stopMs`, systemd's
 * own stop duration, clamped into it), and the rest (never negative).
 */
export function restartPhases(wallMs: number, f: RestartFigures, stopMs: number): RestartPhases {
  const stop = Math.min(Math.max(stopMs, 0), f.restartMs);
  return { connect: Math.max(wallMs - f.restartMs - f.healthMs, 0), stop, start: f.restartMs - stop, health: f.healthMs };
}

/** etcd's own part of a restart floor: from `systemctl restart` to a healthy cluster. */
export const etcdPart = (p: RestartPhases): number => p.stop + p.start + p.health;
