// Synth wall times, each a fresh process: `node dist/main.js` (after `npm run build`) and
// `node -r ts-node/register main.ts` (what `npm run synth` runs, type-checking included), for the
// empty-stack floor (bench/empty-stack.ts), the embedded default and N-member specs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BuildResult, SynthMode, SynthResults, SynthSample } from './results';
import { SynthCase, synthCases } from './specs';
import { runTimed } from './timed-process';

export const REPO_ROOT = path.resolve(__dirname, '..');
const DIST = path.join(REPO_ROOT, 'dist');

export interface SynthBenchOptions {
  readonly sizes: readonly number[];
  readonly compiledReps: number;
  readonly tsNodeReps: number;
  readonly workDir: string;
  readonly progress: (s: string) => void;
}

/**
 * `npm run build` (the package: main.ts and src/), then the empty-stack floor through its own
 * tsconfig (bench/ is not part of the package); tsc emits even when it reports type errors, which
 * are kept for the report.
 */
export async function build(): Promise<BuildResult> {
  const started = Date.now();
  const r = await runTimed(['npm', 'run', '--silent', 'build'], { cwd: REPO_ROOT, timeoutMs: 300_000 });
  const floor = await runTimed(['npx', '--no-install', 'tsc', '-p', 'tsconfig.bench.json'], {
    cwd: REPO_ROOT,
    timeoutMs: 300_000,
  });
  r.lines.push(...floor.lines);
  const errors = r.lines.map((l) => l.text).filter((t) => /error TS\d+/.test(t));
  for (const file of ['main.js', 'bench/empty-stack.js']) {
    const f = path.join(DIST, file);
    if (!fs.existsSync(f) || fs.statSync(f).mtimeMs < started - 1000) {
      throw new Error(`npm run build did not emit ${f} (exit ${r.code}):\n${r.lines.map((l) => l.text).join('\n')}`);
    }
  }
  return { command: 'npm run build', code: r.code || floor.code, ms: Date.now() - started, errors };
}

/** The child's environment: no inherited spec or ts-node settings. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k !== 'ETCD_CLUSTER_SPEC' && k !== 'CDKTF_OUTDIR' && !k.startsWith('TS_NODE_')) env[k] = v;
  }
  return { ...env, ...extra };
}

function argv(c: SynthCase, mode: SynthMode): string[] {
  const entry = c.spec === undefined ? 'bench/empty-stack' : 'main';
  return mode === 'compiled'
    ? [process.execPath, path.join(DIST, `${entry}.js`)]
    : [process.execPath, '-r', require.resolve('ts-node/register'), path.join(REPO_ROOT, `${entry}.ts`)];
}

/** Resources in the synthesized stack, checking the member count on the way. */
function checkOutput(c: SynthCase, outdir: string): number {
  const stack = c.spec === undefined ? 'empty' : 'etcd';
  const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new Error(`synth of ${c.id} wrote no ${file}`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
  const resources = Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  const members = Object.keys(json.resource?.terraform_data ?? {}).filter((k) => /_member_/.test(k) && !/_(join|removal)$/.test(k)).length;
  if (members !== c.members) throw new Error(`synth of ${c.id}: ${members} member provisioners, expected ${c.members}`);
  return resources;
}

async function synthOnce(c: SynthCase, mode: SynthMode, rep: number, dir: string, specFile?: string): Promise<SynthSample> {
  const outdir = path.join(dir, `${c.id}-${mode}-${rep}`);
  const env = childEnv({
    CDKTF_OUTDIR: outdir,
    TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
    ...(specFile ? { ETCD_CLUSTER_SPEC: specFile } : {}),
  });
  const r = await runTimed(argv(c, mode), { cwd: dir, env, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`synth of ${c.id} (${mode}) exited ${r.code}:\n${r.lines.map((l) => l.text).join('\n')}`);
  const resources = checkOutput(c, outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return { case: c.id, members: c.members, mode, rep, ms: r.wallMs, resources };
}

/**
 * Round-robin: each repetition runs every case once, so load changes spread over all cases. One
 * untimed warm-up per mode first (page cache, ts-node's first load).
 */
export async function runSynthBench(opts: SynthBenchOptions, buildResult: BuildResult): Promise<SynthResults> {
  const workDir = path.resolve(opts.workDir);
  fs.mkdirSync(workDir, { recursive: true });
  const cases = synthCases(opts.sizes);
  const specFiles = new Map<string, string>();
  for (const c of cases) {
    if (c.spec) {
      const f = path.join(workDir, `spec-${c.id}.json`);
      fs.writeFileSync(f, JSON.stringify(c.spec, null, 2));
      specFiles.set(c.id, f);
    }
  }
  const largest = cases[cases.length - 1];
  await synthOnce(largest, 'compiled', 0, workDir, specFiles.get(largest.id));
  await synthOnce(largest, 'ts-node', 0, workDir, specFiles.get(largest.id));

  const samples: SynthSample[] = [];
  const reps = Math.max(opts.compiledReps, opts.tsNodeReps);
  for (let rep = 1; rep <= reps; rep++) {
    for (const c of cases) {
      if (rep <= opts.compiledReps) samples.push(await synthOnce(c, 'compiled', rep, workDir, specFiles.get(c.id)));
      if (rep <= opts.tsNodeReps) samples.push(await synthOnce(c, 'ts-node', rep, workDir, specFiles.get(c.id)));
    }
    opts.progress(`[bench] synth repetition ${rep}/${reps} done`);
  }
  return { build: buildResult, reps: { compiled: opts.compiledReps, tsNode: opts.tsNodeReps }, samples };
}
