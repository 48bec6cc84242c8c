import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthFromEnvironment } from '../../src/cli/synth';
import { ClusterSpec } from '../../src/config/types';
import { ensureProviderMirror } from '../../toolchain/providers';
import { ensureTofu } from '../../toolchain/tofu';
import { Lab } from './lab';
import { run, RunResult } from './run';

/**
 * Deploys the synthesized stack onto a lab with a real engine: the Terraform CLI on the PATH, or
 * OpenTofu built from its Go module. Providers are HashiCorp's tls and local, built from
 * their Go modules into a filesystem mirror (toolchain/providers.ts), for both engines.
 */
export type Engine = 'terraform' | 'tofu';

/** The engine's executable: `terraform` from the PATH, or the toolchain's `tofu`. */
export async function engineBinary(engine: Engine): Promise<string> {
  return engine === 'tofu' ? (await ensureTofu()).binary : 'terraform';
}

export interface TerraformRun extends RunResult {
  readonly ms: number;
  readonly log: string;
}

/** The lab's cluster spec: every lab host a member, the lab key, the lab's release tarball. */
export function labClusterSpec(lab: Lab, release: { url: string; sha256: string; version: string }, patch: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    members: lab.hosts.map((h) => ({ name: h.name, address: h.address })),
    ssh: { user: 'root', privateKeyFile: lab.sshPrivateKeyPath, timeout: '1m' },
    etcd: { version: release.version, downloadUrl: release.url, sha256: release.sha256 },
    health: { timeoutSeconds: 120, intervalSeconds: 1 },
    ...patch,
  };
}

export interface DeploymentOptions {
  /** @default <lab state dir>/deploy */
  readonly workDir?: string;
  /** @default 'terraform' */
  readonly engine?: Engine;
}

export class LabDeployment {
  readonly stackDir: string;
  private runs = 0;

  private constructor(
    readonly lab: Lab,
    readonly workDir: string,
    readonly engine: Engine,
    /** The engine's executable (`terraform`, or the path of the built `tofu`). */
    readonly binary: string,
    /** The engine's environment: the provider mirror's CLI config, no checkpoint calls. */
    readonly env: Record<string, string>,
    public spec: ClusterSpec,
  ) {
    this.stackDir = path.join(workDir, 'cdktf.out', 'stacks', 'etcd');
  }

  /** Synthesizes `spec` into the work dir and runs `init` with the engine. */
  static async create(lab: Lab, spec: ClusterSpec, opts: DeploymentOptions = {}): Promise<LabDeployment> {
    const workDir = opts.workDir ?? path.join(lab.stateDir, 'deploy');
    const engine = opts.engine ?? 'terraform';
    fs.mkdirSync(workDir, { recursive: true });
    const env: Record<string, string> = { TF_IN_AUTOMATION: '1', ...(await ensureProviderMirror()).env };
    const d = new LabDeployment(lab, workDir, engine, await engineBinary(engine), env, spec);
    d.synth(spec);
    const init = await d.terraform(['init', '-input=false', '-no-color']);
    if (init.code !== 0) throw new Error(`${engine} init failed:\n${init.stdout}\n${init.stderr}`);
    return d;
  }

  /** (Re-)synthesizes the stack from a spec. Throws on an invalid spec. */
  synth(spec: ClusterSpec): void {
    const file = path.join(this.workDir, 'cluster.json');
    fs.writeFileSync(file, JSON.stringify(spec, null, 2));
    const r = synthFromEnvironment({ ETCD_CLUSTER_SPEC: file }, path.join(this.workDir, 'cdktf.out'));
    if (r.exitCode !== 0) throw new Error(r.stderr.join('\n'));
    this.spec = spec;
  }

  /** Runs the engine (terraform or tofu) in the stack dir, inside the controller namespace; output kept in a log file. */
  async terraform(args: string[], opts: { inController?: boolean; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<TerraformRun> {
    const started = Date.now();
    const argv = [this.binary, ...args];
    const runOpts = { cwd: this.stackDir, env: { ...this.env, ...opts.env }, timeoutMs: opts.timeoutMs ?? 600_000 };
    const r = opts.inController === false ? await run(argv, runOpts) : await this.lab.controllerExec(argv, runOpts);
    const log = path.join(this.workDir, `${this.engine}-${String(++this.runs).padStart(2, '0')}-${args[0]}.log`);
    fs.writeFileSync(log, `$ ${argv.join(' ')}\n# exit ${r.code} after ${Date.now() - started} ms\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    return { ...r, ms: Date.now() - started, log };
  }

  apply(extra: string[] = []): Promise<TerraformRun> {
    return this.terraform(['apply', '-auto-approve', '-input=false', '-no-color', ...extra]);
  }

  /** `plan -detailed-exitcode`: 0 no changes, 2 changes, 1 error. */
  plan(extra: string[] = []): Promise<TerraformRun> {
    return this.terraform(['plan', '-detailed-exitcode', '-input=false', '-no-color', ...extra]);
  }

  destroy(): Promise<TerraformRun> {
    return this.terraform(['destroy', '-auto-approve', '-input=false', '-no-color']);
  }

  async output(name: string): Promise<unknown> {
    const r = await this.terraform(['output', '-json', name]);
    if (r.code !== 0) throw new Error(`terraform output ${name}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  private client?: { ca: string; cert: string; key: string; endpoints: string[] };

  /** Client credentials from the stack's outputs, written once (call with refresh after a renewal). */
  async clientFiles(refresh = false): Promise<{ ca: string; cert: string; key: string; endpoints: string[] }> {
    if (this.client && !refresh) return this.client;
    const dir = path.join(this.workDir, 'client-pki');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files = { ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'client.crt'), key: path.join(dir, 'client.key') };
    fs.writeFileSync(files.ca, String(await this.output('ca_certificate')));
    fs.writeFileSync(files.cert, String(await this.output('apiserver_etcd_client_certificate')));
    fs.writeFileSync(files.key, String(await this.output('apiserver_etcd_client_key')), { mode: 0o600 });
    this.client = { ...files, endpoints: (await this.output('client_endpoints')) as string[] };
    return this.client;
  }

  /**
   * The cluster's raft term, the highest the members at `endpoints` report: it grows by one with
   * each leader election, so its growth over an apply counts the elections the apply caused.
   */
  async raftTerm(endpoints?: string[]): Promise<number> {
    const r = await this.etcdctl(['endpoint', 'status', '-w', 'json'], endpoints);
    const terms = [...r.stdout.matchAll(/"raft_term":(\d+)/g)].map((m) => Number(m[1]));
    if (terms.length === 0) throw new Error(`endpoint status gave no raft_term: ${r.stdout}${r.stderr}`);
    return Math.max(...terms);
  }

  /** Runs etcdctl from the controller namespace with the apiserver-etcd-client certificate. */
  async etcdctl(args: string[], endpoints?: string[]): Promise<RunResult> {
    const files = await this.clientFiles();
    const eps = endpoints ?? files.endpoints;
    return this.lab.controllerExec(
      [
        this.lab.etcdctlPath,
        `--endpoints=${eps.join(',')}`,
        `--cacert=${files.ca}`,
        `--cert=${files.cert}`,
        `--key=${files.key}`,
        '--dial-timeout=3s',
        '--command-timeout=5s',
        ...args,
      ],
      { timeoutMs: 30_000 },
    );
  }
}
