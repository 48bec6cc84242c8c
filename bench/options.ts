// Command line of `npm run bench -- [--quick] [--rounds N] [--upgrade|--skip-upgrade] [--report-only] [--skip-lab] [--skip-synth]`.

export interface BenchOptions {
  readonly quick: boolean;
  /** Lab rounds: one run of every lab scenario each. */
  readonly rounds: number;
  readonly compiledReps: number;
  readonly tsNodeReps: number;
  readonly sizes: readonly number[];
  readonly skipLab: boolean;
  readonly skipSynth: boolean;
  /** Run the rolling upgrade in each round (it needs a cluster deployed at an older etcd first). */
  readonly upgrade: boolean;
  /** Re-render results.md and results.png from an existing results.json. */
  readonly reportOnly: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--rounds N] [--upgrade|--skip-upgrade] [--report-only] [--skip-lab] [--skip-synth]
  --quick        fewer repetitions, for CI: 1 lab round, synth 3x compiled / 1x ts-node, no rolling upgrade
  --rounds N     lab rounds (default 3; --quick: 1); each round is one run of every lab scenario
  --upgrade      run the rolling upgrade even with --quick
  --skip-upgrade leave the rolling upgrade out (it is in every round by default)
  --report-only  re-render bench/results.md and bench/results.png from bench/results.json
  --skip-lab     synth measurements only (no root, no lab needed)
  --skip-synth   lab measurements only`;

export function parseOptions(args: readonly string[]): BenchOptions {
  const has = (flag: string): boolean => args.includes(flag);
  const known = new Set(['--quick', '--rounds', '--upgrade', '--skip-upgrade', '--report-only', '--skip-lab', '--skip-synth']);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rounds') i++;
    else if (!known.has(args[i])) throw new Error(`unknown argument ${JSON.stringify(args[i])}\n${USAGE}`);
  }
  const quick = has('--quick');
  let rounds = quick ? 1 : 3;
  const at = args.indexOf('--rounds');
  if (at >= 0) {
    rounds = Number(args[at + 1]);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error(`--rounds takes 1..20, got ${JSON.stringify(args[at + 1])}\n${USAGE}`);
  }
  if (has('--skip-lab') && has('--skip-synth')) throw new Error(`--skip-lab and --skip-synth leave nothing to measure\n${USAGE}`);
  if (has('--upgrade') && has('--skip-upgrade')) throw new Error(`--upgrade and --skip-upgrade contradict each other\n${USAGE}`);
  return {
    quick,
    rounds,
    compiledReps: quick ? 3 : 7,
    tsNodeReps: quick ? 1 : 5,
    sizes: [3, 5, 7, 15, 51],
    skipLab: has('--skip-lab'),
    skipSynth: has('--skip-synth'),
    upgrade: has('--upgrade') || (!quick && !has('--skip-upgrade')),
    reportOnly: has('--report-only'),
  };
}
