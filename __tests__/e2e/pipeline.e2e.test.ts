/**
 * The pipeline route (Terraform Cloud / CI): synth in one directory; a clean checkout of the
 * synthesized stack elsewhere; `terraform init` against a real remote backend with locking
 * (PostgreSQL's `pg`, from Debian's packages, started here); `plan -out` reviewed with `terraform
 * show`; the saved plan applied; a second apply refused by the state lock; scale-in and destroy
 * with the SSH key only in TF_VAR_ssh_private_key and no SSH agent. Asserted on the hosts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthFromEnvironment } from '../../src/cli/synth';
import { ClusterSpec } from '../../src/config/types';
import { labClusterSpec } from '../../test-doubles/lab/deploy';
import { Lab } from '../../test-doubles/lab/lab';
import { LabPostgres } from '../../test-doubles/lab/postgres';
import { RunResult } from '../../test-doubles/lab/run';
import { ensureProviderMirror } from '../../toolchain/providers';
import { ensureLabPrerequisites } from '../../test-doubles/lab/prerequisites';
import { describeLab, expectTerraformOk, log, onHost } from './support';

jest.setTimeout(20 * 60_000);

const PRIVATE_KEY_MARKER = /-----BEGIN [A-Z ]*PRIVATE KEY-----/g;
const markers = (text: string): number => (text.match(PRIVATE_KEY_MARKER) ?? []).length;

class Pipeline {
  private runs = 0;
  constructor(
    readonly lab: Lab,
    readonly checkout: string,
    private readonly env: Record<string, string>,
  ) {}

  /** terraform in the pipeline's checkout, inside the controller namespace, output kept in a log. */
  async tf(args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult & { ms: number; log: string }> {
    const started = Date.now();
    const r = await this.lab.controllerExec(['terraform', ...args], { cwd: this.checkout, env: this.env, timeoutMs: opts.timeoutMs ?? 600_000 });
    const log = path.join(this.checkout, '..', `pipeline-${String(++this.runs).padStart(2, '0')}-${args[0]}.log`);
    fs.writeFileSync(log, `$ terraform ${args.join(' ')}\n# exit ${r.code}\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    return { ...r, ms: Date.now() - started, log };
  }

  async output(name: string): Promise<string> {
    const r = await this.tf(['output', '-raw', name]);
    if (r.code !== 0) throw new Error(`output ${name}: ${r.stderr}`);
    return r.stdout;
  }

  /** etcdctl from the controller with the apiserver client certificate from the outputs. */
  async etcdctl(args: string[], endpoints: string[]): Promise<RunResult> {
    const dir = path.join(this.checkout, '..', 'client');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files = { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'client.crt'), key: path.join(dir, 'client.key') };
    if (!fs.existsSync(files.key)) {
      fs.writeFileSync(files.ca, await this.output('ca_certificate'));
      fs.writeFileSync(files.cert, await this.output('apiserver_etcd_client_certificate'));
      fs.writeFileSync(files.key, await this.output('apiserver_etcd_client_key'), { mode: 0o600 });
    }
    return this.lab.controllerExec([
      this.lab.etcdctlPath,
      `--endpoints=${endpoints.join(',')}`,
      `--cacert=${files.ca}`,
      `--cert=${files.cert}`,
      `--key=${files.key}`,
      '--dial-timeout=3s',
      '--command-timeout=10s',
      ...args,
    ]);
  }
}

/** Synthesizes a spec into `dir` (the "synth" job): cdktf.out/stacks/etcd. */
function synth(dir: string, spec: ClusterSpec): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'cluster.json');
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  const r = synthFromEnvironment({ ETCD_CLUSTER_SPEC: file }, path.join(dir, 'cdktf.out'));
  if (r.exitCode !== 0) throw new Error(r.stderr.join('\n'));
  return path.join(dir, 'cdktf.out', 'stacks', 'etcd');
}

/** The "checkout" of the apply job: a copy of the synthesized stack only, as an artefact or a commit. */
function checkoutOf(stackDir: string, dest: string): string {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(stackDir, dest, { recursive: true });
  return dest;
}

const names = (r: RunResult): string[] => Object.keys(ids(r)).sort();

/** member name → member id, from `etcdctl member list -w simple`. */
function ids(r: RunResult): Record<string, string> {
  if (r.code !== 0) throw new Error(`member list: ${r.stderr}`);
  return Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(', '))
      .map((f) => [f[2], f[0]]),
  );
}

describeLab('the pipeline route: remote state with locking, saved plans, the key only in TF_VAR_ssh_private_key', () => {
  test('synth → checkout → init (pg) → plan -out, reviewed → saved plan applied; a concurrent apply is refused by the lock; scale-in and destroy with no agent', async () => {
    await ensureLabPrerequisites(log);
    const lab = await Lab.up({ hosts: 3, log: () => undefined });
    let pg: LabPostgres | undefined;
    try {
      pg = await LabPostgres.start(lab);
      const release = await lab.publishEtcdRelease();
      // No key file in the spec: the key comes from the pipeline's secret variable only.
      const base = labClusterSpec(lab, release);
      const spec: ClusterSpec = { ...base, ssh: { user: 'root', timeout: '1m' }, backend: { type: 'pg' } } as ClusterSpec;
      const work = path.join(lab.stateDir, 'pipeline');
      const env = {
        ...(await ensureProviderMirror()).env,
        TF_IN_AUTOMATION: '1',
        PG_CONN_STR: pg.connStr,
        TF_VAR_ssh_private_key: fs.readFileSync(lab.sshPrivateKeyPath, 'utf8'),
        SSH_AUTH_SOCK: '',
      };
      const p = new Pipeline(lab, checkoutOf(synth(path.join(work, 'synth'), spec), path.join(work, 'checkout')), env);
      const endpoints = lab.hosts.map((h) => `https://${h.address}:2379`);

      expectTerraformOk(await p.tf(['init', '-input=false', '-no-color']), 'init against the pg backend');
      expect(fs.existsSync(path.join(p.checkout, 'terraform.tfstate'))).toBe(false);

      // First deploy: a saved plan, reviewed, then applied as it is.
      const plan = await p.tf(['plan', '-input=false', '-no-color', '-out=deploy.tfplan']);
      expectTerraformOk(plan, 'plan -out');
      const shown = await p.tf(['show', '-no-color', 'deploy.tfplan']);
      expectTerraformOk(shown, 'show of the saved plan');
      expect(markers(plan.stdout + shown.stdout)).toBe(0);
      expect(shown.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
      const applied = await p.tf(['apply', '-input=false', '-no-color', 'deploy.tfplan']);
      expectTerraformOk(applied, 'apply of the saved plan');
      log(`[pipeline] saved plan applied: ${applied.ms} ms`);
      expect(names(await p.etcdctl(['member', 'list', '-w', 'simple'], endpoints))).toEqual(['e1', 'e2', 'e3']);
      // The state is in PostgreSQL, nowhere on disk.
      expect(Number(await pg.query('select count(*) from terraform_remote_state.states'))).toBe(1);
      expect(fs.existsSync(path.join(p.checkout, 'terraform.tfstate'))).toBe(false);
      expect((await p.etcdctl(['put', '/pipeline/k', 'v'], endpoints)).code).toBe(0);

      // A change, planned and reviewed: the human-readable plan masks every key, the JSON of a saved
      // plan carries them all (as the state does): the README says so with this figure.
      const san = synth(path.join(work, 'synth'), {
        ...spec,
        members: spec.members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-2.example.com'] } : m)),
      });
      checkoutOf(san, p.checkout);
      expectTerraformOk(await p.tf(['init', '-input=false', '-no-color']), 'init of the new checkout');
      expectTerraformOk(await p.tf(['plan', '-input=false', '-no-color', '-out=san.tfplan']), 'plan of a SAN change');
      const human = await p.tf(['show', '-no-color', 'san.tfplan']);
      const json = await p.tf(['show', '-json', 'san.tfplan']);
      expect(markers(human.stdout)).toBe(0);
      const inJson = markers(json.stdout);
      log(`[pipeline] private key markers in a one-SAN change: show ${markers(human.stdout)}, show -json ${inJson}`);
      expect(inJson).toBeGreaterThan(10);

      // The saved plan applied while a second apply tries: the lock refuses the second one.
      const first = p.tf(['apply', '-input=false', '-no-color', 'san.tfplan']);
      let lockHeld = false;
      for (let i = 0; i < 100 && !lockHeld; i++) {
        lockHeld = Number(await pg.query('select count(*) from pg_locks where locktype = $$advisory$$')) > 0;
        if (!lockHeld) await new Promise((res) => setTimeout(res, 100));
      }
      expect(lockHeld).toBe(true);
      const second = await p.tf(['apply', '-input=false', '-no-color', '-auto-approve', '-lock-timeout=0s']);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/Error acquiring the state lock/);
      expect(second.stderr).toMatch(/Lock Info:/);
      const firstDone = await first;
      expectTerraformOk(firstDone, 'the saved plan applied under the lock');
      expect(await onHost(lab, 'e2', 'openssl x509 -noout -ext subjectAltName -in /etc/kubernetes/pki/etcd/server.crt')).toContain('etcd-2.example.com');

      // Scale-in by deleting e3's entry: its destroy-time leave runs ssh on this machine with the
      // key from TF_VAR_ssh_private_key (no agent, no key file).
      const idsBefore = ids(await p.etcdctl(['member', 'list', '-w', 'simple'], endpoints));
      const two = { ...spec, members: spec.members.filter((m) => m.name !== 'e3') };
      checkoutOf(synth(path.join(work, 'synth'), two), p.checkout);
      expectTerraformOk(await p.tf(['init', '-input=false', '-no-color']), 'init after the scale-in synth');
      const scaledIn = await p.tf(['apply', '-input=false', '-no-color', '-auto-approve']);
      expectTerraformOk(scaledIn, 'scale-in with the key only in TF_VAR_ssh_private_key');
      expect(scaledIn.stdout).toMatch(/\(local-exec\): \[etcd-ops e3\] removing member e3/);
      // e1 and e2 kept their member ids: nobody else left or re-joined.
      expect(ids(await p.etcdctl(['member', 'list', '-w', 'simple'], endpoints.slice(0, 2)))).toEqual({ e1: idsBefore.e1, e2: idsBefore.e2 });
      expect(await onHost(lab, 'e3', 'systemctl is-active etcd.service || true')).toBe('inactive');
      expect((await p.etcdctl(['get', '/pipeline/k', '--print-value-only'], endpoints.slice(0, 2))).stdout.trim()).toBe('v');

      // Destroy, the same way.
      const destroyed = await p.tf(['destroy', '-input=false', '-no-color', '-auto-approve']);
      expectTerraformOk(destroyed, 'destroy with the key only in TF_VAR_ssh_private_key');
      for (const h of ['e1', 'e2']) expect(await onHost(lab, h, 'systemctl is-active etcd.service || true')).toBe('inactive');
      expect(await pg.query("select count(*) from terraform_remote_state.states where data like '%tls_private_key%'")).toBe('0');
    } finally {
      await pg?.stop();
      await lab.down();
    }
  });
});
