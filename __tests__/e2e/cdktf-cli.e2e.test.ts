// The first route users take: cdktf-cli 0.21.0 installed as the README says (`npm i -g`, here into
// a prefix in the toolchain cache), then `cdktf deploy etcd`, `cdktf diff etcd` and
// `cdktf destroy etcd` run from a project directory like a user's (this repository's cdktf.json
// and main.ts, the spec named by ETCD_CLUSTER_SPEC), inside the lab's controller namespace: no route
// out, providers from the filesystem mirror. Every step is checked on the hosts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { CdktfCli, ensureCdktfCli } from '../../toolchain/cdktf-cli';
import { ensureProviderMirror } from '../../toolchain/providers';
import { labClusterSpec } from '../../test-doubles/lab/deploy';
import { Lab } from '../../test-doubles/lab/lab';
import { ensureLabPrerequisites } from '../../test-doubles/lab/prerequisites';
import { describeLab, etcdProcesses, log, onHost, tracesOf } from './support';

const REPO = path.resolve(__dirname, '..', '..');
const HOSTS = ['e1', 'e2', 'e3'];

/** etcdctl on a host, as root, with the host's own healthcheck-client certificate (kubeadm's). */
const ETCDCTL_ON_HOST = [
  '/usr/local/bin/etcdctl',
  '--cacert=/etc/kubernetes/pki/etcd/ca.crt',
  '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key',
  '--dial-timeout=3s',
  '--command-timeout=5s',
].join(' ');
const onHostEtcdctl = (lab: Lab, host: string, args: string): Promise<string> =>
  onHost(lab, host, `${ETCDCTL_ON_HOST} --endpoints=https://127.0.0.1:2379 ${args}`);

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, '');

interface CliRun {
  readonly code: number;
  /** stdout and stderr, ANSI sequences removed. */
  readonly out: string;
  readonly ms: number;
  readonly log: string;
}

/** Member name → member id, read on a host (`etcdctl member list`). */
async function memberIdsOnHost(lab: Lab, host: string): Promise<Record<string, string>> {
  const rows = (await onHostEtcdctl(lab, host, 'member list -w simple')).split('\n').map((l) => l.split(', '));
  return Object.fromEntries(rows.map((c) => [c[2], c[0]]));
}

/**
 * A directory shaped like a user's checkout: cdktf.json, main.ts, tsconfig.json, package.json and
 * src/ copied from this repository (a snapshot, so edits made elsewhere during the run cannot
 * change the synth between deploy and diff), node_modules linked (what `npm ci` installs).
 */
function userProject(dir: string, spec: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['cdktf.json', 'main.ts', 'tsconfig.json', 'package.json']) fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
  fs.cpSync(path.join(REPO, 'src'), path.join(dir, 'src'), { recursive: true });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'cluster.yaml'), toYaml(spec));
  return dir;
}

describeLab('cdktf-cli 0.21.0: cdktf deploy, diff and destroy as the README tells users', () => {
  let lab: Lab;
  let cli: CdktfCli;
  let project: string;
  let env: Record<string, string>;
  let runs = 0;
  let started = 0;
  const ids: Record<string, string> = {};
  let pids: Record<string, string> = {};

  /** `cdktf ARGS` in the project dir, inside the controller namespace; output kept in a log. */
  async function cdktf(args: string[]): Promise<CliRun> {
    const t0 = Date.now();
    const r = await lab.controllerExec([cli.binary, ...args], { cwd: project, env, timeoutMs: 900_000 });
    const ms = Date.now() - t0;
    const out = stripAnsi(`${r.stdout}\n${r.stderr}`);
    const file = path.join(project, `cdktf-${String(++runs).padStart(2, '0')}-${args[0]}.log`);
    fs.writeFileSync(file, `$ cdktf ${args.join(' ')}\n# exit ${r.code} after ${ms} ms\n${out}`);
    log(`[cdktf-cli] cdktf ${args.join(' ')}: exit ${r.code} after ${ms} ms`);
    return { code: r.code, out, ms, log: file };
  }

  /** Fails with the end of cdktf's output, keeping the whole log (the lab is deleted at teardown). */
  function expectOk(r: CliRun, what: string): void {
    if (r.code === 0) return;
    const dir = path.join(os.tmpdir(), 'etcd-lab-failed-logs');
    fs.mkdirSync(dir, { recursive: true });
    const kept = path.join(dir, `${Date.now()}-${path.basename(r.log)}`);
    fs.copyFileSync(r.log, kept);
    const lines = r.out.split('\n').filter((l) => !/^\s*[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(l) && l.trim() !== '');
    throw new Error(`${what} exited ${r.code} (full log: ${kept})\n${lines.slice(-80).join('\n')}`);
  }

  beforeAll(async () => {
    // The registry is reachable from here, not from the lab: install before any lab exists.
    const t0 = Date.now();
    cli = await ensureCdktfCli(log);
    log(`[cdktf-cli] ${cli.binary} ready in ${Date.now() - t0} ms (${cli.installMs ? 'installed now' : 'cached install reused'})`);
    const mirror = await ensureProviderMirror(log);
    await ensureLabPrerequisites(log);
    started = Date.now();
    lab = await Lab.up({ hosts: HOSTS.length, log: () => undefined });
    const release = await lab.publishEtcdRelease(lab.etcdVersion);
    project = userProject(path.join(lab.stateDir, 'cdktf-project'), labClusterSpec(lab, release));
    // What the README asks for offline: no checkpoint calls, and providers from the mirror.
    env = { ...cli.env, ...mirror.env, ETCD_CLUSTER_SPEC: 'cluster.yaml' };
  }, 1_800_000);

  afterAll(async () => {
    const name = lab?.name;
    await lab?.down();
    if (name) expect(tracesOf(name)).toEqual([]);
    if (started) log(`[cdktf-cli] scenario (lab up to lab down) took ${Date.now() - started} ms`);
  }, 120_000);

  test('cdktf deploy etcd --auto-approve: three healthy members, a key written and read on the hosts', async () => {
    const r = await cdktf(['deploy', 'etcd', '--auto-approve', '--skip-provider-lock']);
    expectOk(r, 'cdktf deploy');
    expect(r.out).toMatch(/etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3/);
    expect(r.out).not.toMatch(/checkpoint-api|Could not send telemetry/);
    // cdktf synthesized into the project's cdktf.out and kept the state where the README says.
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'stacks', 'etcd', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'terraform.etcd.tfstate'))).toBe(true);

    for (const h of HOSTS) expect(await onHost(lab, h, 'systemctl is-enabled etcd; systemctl is-active etcd')).toBe('enabled\nactive');
    const health = await onHost(lab, 'e1', `${ETCDCTL_ON_HOST} --endpoints=https://127.0.0.1:2379 endpoint health --cluster 2>&1`);
    for (const h of lab.hosts) expect(health).toContain(`https://${h.address}:2379 is healthy`);
    const rows = (await onHostEtcdctl(lab, 'e2', 'member list -w simple')).split('\n').map((l) => l.split(', '));
    expect(rows.map((c) => c[2]).sort()).toEqual(HOSTS);
    expect(rows.every((c) => c[1] === 'started' && c[5] === 'false')).toBe(true);

    Object.assign(ids, await memberIdsOnHost(lab, 'e3'));
    expect(Object.keys(ids).sort()).toEqual(HOSTS);
    pids = await etcdProcesses(lab, HOSTS);
    for (const h of HOSTS) expect(pids[h]).toMatch(/^[1-9]\d* [1-9]\d*$/);

    expect(await onHostEtcdctl(lab, 'e1', 'put /cdktf-cli/written-on-e1 deployed-by-cdktf')).toBe('OK');
    for (const h of HOSTS) expect(await onHostEtcdctl(lab, h, 'get /cdktf-cli/written-on-e1 --print-value-only')).toBe('deployed-by-cdktf');
  }, 1_200_000);

  test('cdktf diff etcd: no changes, and the hosts are untouched (same member ids, same etcd processes)', async () => {
    const stateFile = path.join(project, 'terraform.etcd.tfstate');
    const serial = (JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { serial: number }).serial;
    const r = await cdktf(['diff', 'etcd', '--skip-provider-lock']);
    expectOk(r, 'cdktf diff');
    // cdktf 0.21 relays Terraform's plan, each line prefixed with the stack name.
    const noChanges = /^etcd\s+No changes\. Your infrastructure matches the configuration\./m.exec(r.out);
    expect(noChanges).not.toBeNull();
    log(`[cdktf-cli] cdktf diff said: ${JSON.stringify(noChanges?.[0])}`);
    expect(r.out).not.toMatch(/will be created|must be replaced|will be destroyed|will be updated in-place/);
    expect((JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { serial: number }).serial).toBe(serial);
    expect(await memberIdsOnHost(lab, 'e1')).toEqual(ids);
    expect(await etcdProcesses(lab, HOSTS)).toEqual(pids);
    expect(await onHostEtcdctl(lab, 'e3', 'get /cdktf-cli/written-on-e1 --print-value-only')).toBe('deployed-by-cdktf');
  }, 600_000);

  test('cdktf destroy etcd --auto-approve: what the README promises (members leave, etcd stopped and disabled, no data deleted, PKI and binaries kept)', async () => {
    const r = await cdktf(['destroy', 'etcd', '--auto-approve', '--skip-provider-lock']);
    expectOk(r, 'cdktf destroy');
    const where: string[] = [];
    for (const h of HOSTS) {
      expect(r.out).toContain(`etcd on ${h} stopped and disabled; data not deleted`);
      expect(await onHost(lab, h, 'systemctl is-active etcd || true; systemctl is-enabled etcd || true')).toBe('inactive\ndisabled');
      expect(await onHost(lab, h, 'ls /usr/local/bin | grep ^etcd')).toBe('etcd\netcdctl\netcdutl');
      expect((await onHost(lab, h, 'find /etc/kubernetes/pki -type f | sort')).split('\n')).toHaveLength(9);
      where.push(
        await onHost(
          lab,
          h,
          'if [ -s /var/lib/etcd/member/snap/db ]; then echo in-place; else ls /var/lib/etcd.removed-*/member/snap/db >/dev/null && echo archived; fi',
        ),
      );
    }
    // Two members left the cluster (data archived beside the data dir); the last one cannot be
    // removed: it is only stopped, its data kept in place.
    expect(where.sort()).toEqual(['archived', 'archived', 'in-place']);
    expect(r.out).toMatch(/last member of the cluster: stopping etcd\.service; data kept in \/var\/lib\/etcd/);
    const state = JSON.parse(fs.readFileSync(path.join(project, 'terraform.etcd.tfstate'), 'utf8')) as { resources: unknown[] };
    expect(state.resources).toEqual([]);
  }, 900_000);
});
