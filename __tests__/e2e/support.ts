import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Lab } from '../../test-doubles/lab/lab';
import { ensureLabPrerequisites, labSupport } from '../../test-doubles/lab/prerequisites';
import { Engine, LabDeployment, labClusterSpec } from '../../test-doubles/lab/deploy';
import { ClusterSpec } from '../../src/config/types';

export const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/**
 * `describe` for lab scenarios: skipped loudly where the machine cannot run the lab (not root,
 * no terraform, no nspawn), and a failure under CI=true.
 */
export function describeLab(name: string, body: () => void): void {
  const support = labSupport();
  if (!support.ok) {
    const why = `LAB SCENARIOS "${name}" SKIPPED — this machine cannot run the lab:\n- ${support.reasons.join('\n- ')}`;
    console.warn(why);
    if (process.env.CI === 'true') {
      describe(name, () =>
        test('the lab can run on CI', () => {
          throw new Error(why);
        }),
      );
      return;
    }
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}

/**
 * A lab with a synthesized, initialised (not yet applied) deployment of all its hosts: etcd
 * `version` (default: the stack's default, built from Go modules) through `engine`.
 */
export async function labWithDeployment(
  hosts = 3,
  patch: Partial<ClusterSpec> = {},
  opts: { engine?: Engine; version?: string } = {},
): Promise<{ lab: Lab; deployment: LabDeployment }> {
  await ensureLabPrerequisites(log);
  const lab = await Lab.up({ hosts, log: () => undefined });
  try {
    const release = await lab.publishEtcdRelease(opts.version ?? lab.etcdVersion);
    const deployment = await LabDeployment.create(lab, labClusterSpec(lab, release, patch), { engine: opts.engine });
    return { lab, deployment };
  } catch (e) {
    await lab.down();
    throw e;
  }
}

/** Runs a script on a host and returns stdout; throws with its output when it fails. */
/** A lab of `hosts` hosts whose spec lists only the first `members` of them; applied and healthy. */
export async function deployed(hosts: number, members: number, patch: Partial<ClusterSpec> = {}): Promise<{ lab: Lab; d: LabDeployment }> {
  const { lab, deployment: d } = await labWithDeployment(hosts, patch);
  d.synth({ ...d.spec, members: d.spec.members.slice(0, members) });
  const r = await d.apply();
  if (r.code !== 0) {
    await lab.down();
    throw new Error(`initial apply failed (${r.log}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  }
  return { lab, d };
}

export async function onHost(lab: Lab, host: string, script: string): Promise<string> {
  const r = await lab.sshExec(host, script, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${host}: exit ${r.code}\n${script}\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/** `etcd --version` on a host, first line: "etcd Version: X.Y.Z". */
export async function etcdVersionOn(lab: Lab, host: string): Promise<string> {
  return onHost(lab, host, '/usr/local/bin/etcd --version | head -n 1');
}

/** etcd's main PID and the time it entered `active`: unchanged means "not restarted". */
export async function etcdProcess(lab: Lab, host: string): Promise<string> {
  return onHost(lab, host, 'systemctl show etcd.service -p MainPID -p ActiveEnterTimestampMonotonic --value | tr "\\n" " "');
}

/** Everything on the machine that still mentions `needle`: processes, mounts (any namespace), netns, cgroups. */
export function tracesOf(needle: string): string[] {
  const traces: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) traces.push(`process ${pid}: ${cmdline}`);
      for (const line of fs.readFileSync(`/proc/${pid}/mounts`, 'utf8').split('\n')) {
        if (line.includes(needle)) traces.push(`mount seen by ${pid}: ${line}`);
      }
    } catch {
      // the process exited while we looked
    }
  }
  const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of netns.split('\n')) if (line.includes(needle)) traces.push(`netns ${line}`);
  for (const hierarchy of fs.readdirSync('/sys/fs/cgroup')) {
    const dir = path.join('/sys/fs/cgroup', hierarchy, needle);
    if (fs.existsSync(dir)) traces.push(`cgroup ${dir}`);
  }
  return [...new Set(traces)];
}

// The writer lives with the lab (the benchmark measures write gaps with it too).
export { startWriter, writerKey, writerSummary } from '../../test-doubles/lab/writer';
export { servedCertificates } from '../../test-doubles/lab/served-certificates';
export type { WriterReport } from '../../test-doubles/lab/writer';

/** Polls until etcdctl endpoint health --cluster passes through the given endpoints. */
export async function waitClusterHealthy(d: LabDeployment, endpoints?: string[], seconds = 60): Promise<void> {
  let out = '';
  for (let i = 0; i < seconds; i++) {
    const r = await d.etcdctl(['endpoint', 'health', '--cluster'], endpoints);
    out = r.stdout + r.stderr;
    if (r.code === 0) return;
    await new Promise((res) => setTimeout(res, 1000));
  }
  throw new Error(`cluster not healthy after ${seconds} s:\n${out}`);
}

/** Member names from `etcdctl member list`, sorted. */
export async function memberNames(d: LabDeployment, endpoints?: string[]): Promise<string[]> {
  const r = await d.etcdctl(['member', 'list', '-w', 'simple'], endpoints);
  if (r.code !== 0) throw new Error(`member list failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(', ')[2])
    .sort();
}

/** Fails with the end of terraform's output (the lab, and its logs, are gone after teardown). */
export function expectTerraformOk(r: { code: number; stdout: string; stderr: string; log?: string }, what = 'terraform'): void {
  if (r.code !== 0) {
    // Host output only (the plan's diff of scripts would drown it), and the whole log kept.
    const lines = r.stdout
      .split('\n')
      .filter((l) => /\((remote-exec|local-exec)\): \[etcd-|Error|refus|healthy/.test(l))
      .slice(-60)
      .join('\n');
    let kept = '';
    if (r.log && fs.existsSync(r.log)) {
      const dir = path.join(os.tmpdir(), 'etcd-lab-failed-logs');
      fs.mkdirSync(dir, { recursive: true });
      kept = path.join(dir, `${Date.now()}-${path.basename(r.log)}`);
      fs.copyFileSync(r.log, kept);
    }
    throw new Error(`${what} exited ${r.code}${kept ? ` (full log: ${kept})` : ''}\n--- host output ---\n${lines}\n--- stderr ---\n${r.stderr.slice(-3000)}`);
  }
}

/** Member name → member id, from `etcdctl member list`: an id that changes means the member left and re-joined. */
export async function memberIds(d: LabDeployment, endpoints?: string[]): Promise<Record<string, string>> {
  const r = await d.etcdctl(['member', 'list', '-w', 'simple'], endpoints);
  if (r.code !== 0) throw new Error(`member list failed: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(', '))
      .map((c) => [c[2], c[0]]),
  );
}

/** etcd's MainPID and start time on each host: unchanged means "not restarted". */
export async function etcdProcesses(lab: Lab, hosts: string[]): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(hosts.map(async (h) => [h, await etcdProcess(lab, h)] as const)));
}

/** The client URL of a lab host. */
export const clientUrl = (lab: Lab, host: string): string => `https://${lab.hosts.find((h) => h.name === host)?.address}:2379`;

/** Resources a plan or apply names per action: "must be replaced", "will be destroyed", "will be updated in-place", "will be created". */
export function planned(stdout: string): { replaced: string[]; destroyed: string[]; updated: string[]; created: string[] } {
  const pick = (what: string) => [...stdout.matchAll(new RegExp(`# (\\S+) ${what}`, 'g'))].map((m) => m[1]).sort();
  return {
    replaced: pick('must be replaced'),
    destroyed: pick('will be destroyed'),
    updated: pick('will be updated in-place'),
    created: pick('will be created'),
  };
}

/** The lines the host scripts logged in a terraform run ("[etcd-ops e4] …"). */
export function hostLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /\((remote-exec|local-exec)\): \[etcd-/.test(l));
}
