// `npm run bench [-- --quick]`: synth and lab deploy measurements side by side with their floors;
// writes bench/results.json (raw figures), bench/results.md (tables, targets) and
// bench/results.png (chart), and prints the markdown. Work files and logs go to bench/out/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureLabPrerequisites, labSupport } from '../test-doubles/lab/prerequisites';
import { ensureProviderMirror } from '../toolchain/providers';
import { ensureTofu } from '../toolchain/tofu';
import { renderChart } from './chart';
import { runLabBench } from './lab-bench';
import { BenchOptions, parseOptions } from './options';
import { renderMarkdown } from './report';
import { BenchResults, LabResults, MachineInfo, SourceInfo, SynthResults } from './results';
import { summarize } from './summary';
import { build, runSynthBench } from './synth-bench';

const BENCH_DIR = __dirname;
const OUT_DIR = path.join(BENCH_DIR, 'out');
const FILES = {
  json: path.join(BENCH_DIR, 'results.json'),
  md: path.join(BENCH_DIR, 'results.md'),
  png: path.join(BENCH_DIR, 'results.png'),
};

const progress = (s: string): void => console.error(s);

function machine(loadAverageAtStart: number[], tofuBinary?: string): MachineInfo {
  let terraform = 'not found';
  try {
    terraform = (
      JSON.parse(execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { terraform_version: string }
    ).terraform_version;
  } catch {
    // reported as "not found"
  }
  let tofu: string | undefined;
  try {
    // A missing CLI config file makes tofu print a warning on stdout: point it at an empty one.
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' };
    if (tofuBinary)
      tofu = (
        JSON.parse(execFileSync(tofuBinary, ['version', '-json'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] })) as {
          terraform_version: string;
        }
      ).terraform_version;
  } catch {
    // not built (yet): the lab bench builds it before the OpenTofu deploy
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    terraform,
    tofu,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
  };
}

function source(): SourceInfo {
  const git = (args: string[]): string => execFileSync('git', args, { cwd: path.resolve(BENCH_DIR, '..'), encoding: 'utf8' }).trim();
  try {
    const uncommitted = git(['status', '--porcelain', '--', 'src', 'main.ts', 'package.json'])
      .split('\n')
      .filter((l) => l.trim() !== '');
    return { commit: git(['rev-parse', '--short', 'HEAD']), uncommitted: uncommitted.map((l) => l.trim()) };
  } catch {
    return { commit: 'unknown (not a git checkout)', uncommitted: [] };
  }
}

async function measure(opts: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  const src = source();
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });

  const labLogFile = path.join(OUT_DIR, 'lab.log');
  const labLog = (s: string): void => fs.appendFileSync(labLogFile, `${new Date().toISOString()} ${s}\n`);
  let lab: LabResults = { providers: 'none', rounds: [], deploys: [], floors: [], replans: [], restarts: [], changes: [] };
  let tofuBinary: string | undefined;
  if (!opts.skipLab) {
    // Checked, installed and built before anything is timed (the first round would do it otherwise).
    const support = labSupport();
    if (!support.ok) throw new Error(`the lab cannot run here (use --skip-lab for synth only):\n- ${support.reasons.join('\n- ')}`);
    await ensureLabPrerequisites(labLog);
    progress('[bench] provider mirror and OpenTofu (built from Go modules once, then cached)');
    await ensureProviderMirror(labLog);
    tofuBinary = (await ensureTofu(labLog)).binary;
  }

  let synth: SynthResults = { build: { command: 'npm run build', code: -1, ms: 0, errors: [] }, reps: { compiled: 0, tsNode: 0 }, samples: [] };
  if (!opts.skipSynth) {
    progress('[bench] npm run build');
    const built = await build();
    if (built.code !== 0)
      progress(
        `[bench] warning: npm run build exited ${built.code} with ${built.errors.length} type error(s); timing the emitted JS:\n  ${built.errors.join('\n  ')}`,
      );
    synth = await runSynthBench(
      { sizes: opts.sizes, compiledReps: opts.compiledReps, tsNodeReps: opts.tsNodeReps, workDir: path.join(OUT_DIR, 'synth'), progress },
      built,
    );
  }
  if (!opts.skipLab) {
    lab = await runLabBench({ rounds: opts.rounds, upgrade: opts.upgrade, outDir: path.join(OUT_DIR, 'lab'), progress, labLog });
  }
  return {
    startedAt: startedAt.toISOString(),
    source: src,
    durationMs: Date.now() - startedAt.getTime(),
    quick: opts.quick,
    machine: machine(loadAtStart, tofuBinary),
    synth,
    lab,
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  let results: BenchResults;
  if (opts.reportOnly) {
    results = JSON.parse(fs.readFileSync(FILES.json, 'utf8')) as BenchResults;
  } else {
    results = await measure(opts);
    fs.writeFileSync(FILES.json, `${JSON.stringify(results, null, 2)}\n`);
  }
  const summary = summarize(results);
  const markdown = renderMarkdown(results, summary, path.basename(FILES.png));
  fs.writeFileSync(FILES.md, markdown);
  fs.writeFileSync(FILES.png, await renderChart(summary));
  console.log(markdown);
  progress(
    `[bench] wrote ${path.relative(process.cwd(), FILES.json)}, ${path.relative(process.cwd(), FILES.md)}, ${path.relative(process.cwd(), FILES.png)} (${(results.durationMs / 1000).toFixed(0)} s of measuring)`,
  );
}

main().catch((e: unknown) => {
  console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
});
