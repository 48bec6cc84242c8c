// Small untimed questions to lab hosts over SSH: a script's output, etcd's main PID (a new one
// means a restart) and start times, and a healthy cluster (with the member's own certificates)
// before a timed part.
import { hostEtcdctl } from '../test-doubles/lab/host-etcdctl';
import { Lab, LabHost } from '../test-doubles/lab/lab';

/** Runs a script on the host; its stdout, trimmed. Throws when it fails. */
export async function onHost(lab: Lab, host: LabHost, script: string, timeoutMs = 60_000): Promise<string> {
  const r = await lab.sshExec(host, script, { timeoutMs });
  if (r.code !== 0) throw new Error(`${host.name}: exit ${r.code}: ${(r.stderr || r.stdout).trim().slice(-500)}`);
  return r.stdout.trim();
}

/**
 * etcd's process on a host: its MainPID, and systemd's timestamps of its last (re)start
 * (CLOCK_MONOTONIC, ms, shared by the lab's hosts and the controller): the old process began
 * stopping, was gone, the new one started, and told systemd it was ready.
 */
export interface EtcdProcess {
  readonly pid: number;
  readonly stoppingMonoMs: number;
  readonly stoppedMonoMs: number;
  readonly startedMonoMs: number;
  readonly readyMonoMs: number;
}

const PROPS = [
  'MainPID',
  'ActiveExitTimestampMonotonic',
  'InactiveEnterTimestampMonotonic',
  'ExecMainStartTimestampMonotonic',
  'ActiveEnterTimestampMonotonic',
];

/** `systemctl show` of etcd's MainPID and (re)start times; throws when etcd is not running. */
export async function etcdProcess(lab: Lab, host: LabHost): Promise<EtcdProcess> {
  const out = await onHost(lab, host, `systemctl show etcd ${PROPS.map((p) => `-p ${p}`).join(' ')}`);
  const props = Object.fromEntries(out.split('\n').map((l) => [l.slice(0, l.indexOf('=')), Number(l.slice(l.indexOf('=') + 1))]));
  const pid = props.MainPID;
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${host.name}: etcd is not running (${out.replace(/\n/g, ' ')})`);
  const ms = (p: string): number => (props[p] ?? NaN) / 1000;
  return {
    pid,
    stoppingMonoMs: ms('ActiveExitTimestampMonotonic'),
    stoppedMonoMs: ms('InactiveEnterTimestampMonotonic'),
    startedMonoMs: ms('ExecMainStartTimestampMonotonic'),
    readyMonoMs: ms('ActiveEnterTimestampMonotonic'),
  };
}

/** etcd's MainPID on the host; throws when etcd is not running. */
export async function mainPid(lab: Lab, host: LabHost): Promise<number> {
  return (await etcdProcess(lab, host)).pid;
}

export async function etcdProcesses(lab: Lab, hosts: readonly LabHost[]): Promise<Record<string, EtcdProcess>> {
  return Object.fromEntries(await Promise.all(hosts.map(async (h) => [h.name, await etcdProcess(lab, h)] as const)));
}

const pids = (p: Record<string, EtcdProcess>): string => JSON.stringify(Object.fromEntries(Object.entries(p).map(([h, e]) => [h, e.pid])));

/**
 * Checks that exactly `expected` restarted between two MainPID readings; throws naming the
 * members that restarted without reason or did not restart.
 */
export function expectRestarted(before: Record<string, EtcdProcess>, after: Record<string, EtcdProcess>, expected: readonly string[], what: string): void {
  const restarted = Object.keys(before).filter((h) => after[h]?.pid !== before[h].pid);
  const extra = restarted.filter((h) => !expected.includes(h));
  const missing = expected.filter((h) => !restarted.includes(h));
  if (extra.length > 0 || missing.length > 0) {
    throw new Error(
      `${what}: expected etcd to restart on ${expected.join(', ') || 'no member'} only, it restarted on ${restarted.join(', ') || 'none'} (MainPID before ${pids(before)}, after ${pids(after)})`,
    );
  }
}

/**
 * Waits (up to 60 s) until `endpoint health --cluster` passes on the host; returns etcd's MainPID
 * there and whether the member leads the cluster.
 */
export async function healthyMember(lab: Lab, host: LabHost): Promise<{ pid: number; leader: boolean }> {
  const ctl = hostEtcdctl(host.address);
  const out = await onHost(
    lab,
    host,
    `set -eu
deadline=$((SECONDS + 60))
until ${ctl} endpoint health --cluster >/dev/null 2>&1; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "cluster not healthy after 60 s" >&2; exit 1; }
  sleep 0.2
done
status=$(${ctl} endpoint status -w json)
id=$(printf '%s' "$status" | grep -o '"member_id":[0-9]*' | head -n 1 | cut -d: -f2)
leader=$(printf '%s' "$status" | grep -o '"leader":[0-9]*' | head -n 1 | cut -d: -f2)
echo "$(systemctl show -p MainPID --value etcd) $([ -n "$id" ] && [ "$id" = "$leader" ] && echo 1 || echo 0)"`,
    90_000,
  );
  const [pid, leader] = out.split(' ');
  if (!(Number(pid) > 0)) throw new Error(`${host.name}: etcd is not running (MainPID ${JSON.stringify(pid)})`);
  return { pid: Number(pid), leader: leader === '1' };
}
