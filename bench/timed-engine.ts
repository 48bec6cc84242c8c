// Runs the engine (terraform or tofu) in the lab's controller namespace, the way LabDeployment
// does (same binary, working directory and environment), but through runTimed so that every
// output line is timestamped as it arrives; the log keeps the timestamps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lab } from '../test-doubles/lab/lab';
import { formatTimedLines, runTimed, TimedRun } from './timed-process';

export interface EngineCall {
  /** `terraform`, or the path of the built `tofu`. */
  readonly binary: string;
  /** The engine's environment on top of this process's (the provider mirror's CLI config…). */
  readonly env: Record<string, string>;
  readonly cwd: string;
}

export async function runEngineTimed(lab: Lab, engine: EngineCall, args: readonly string[], logFile: string, timeoutMs = 600_000): Promise<TimedRun> {
  const argv = ['ip', 'netns', 'exec', lab.controllerNetns, engine.binary, ...args];
  const r = await runTimed(argv, { cwd: engine.cwd, env: { ...process.env, ...engine.env }, timeoutMs });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, `$ ${argv.join(' ')}\n# exit ${r.code} after ${Math.round(r.wallMs)} ms\n${formatTimedLines(r.lines)}\n`);
  return r;
}
