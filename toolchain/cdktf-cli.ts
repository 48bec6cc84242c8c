// cdktf-cli, installed the way the README tells users (`npm i -g cdktf-cli@0.21.0`), but into a
// prefix inside the toolchain cache instead of the machine's global node_modules: the lab's
// `cdktf deploy | diff | destroy` scenario runs this CLI. It needs the npm registry once; the lab's
// controller namespace has no route out, so it is installed before any lab starts.
//
//   npm run toolchain -- cdktf-cli      # prints the path of the `cdktf` executable
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, cacheDir } from './cache';

/** The last cdktf-cli release; the same version as the `cdktf` library this repository pins. */
export const CDKTF_CLI_VERSION = '0.21.0';

export interface CdktfCli {
  /** The `cdktf` executable (npm's bin link under the prefix). */
  readonly binary: string;
  /** The `--prefix` it was installed into (`bin/cdktf`, `lib/node_modules/cdktf-cli`). */
  readonly prefix: string;
  readonly version: string;
  /** Milliseconds the install took; 0 when the cached install was reused. */
  readonly installMs: number;
  /**
   * The environment cdktf-cli needs where it cannot reach the Internet: no checkpoint (telemetry)
   * calls. Providers come from the mirror (its TF_CLI_CONFIG_FILE), and `deploy`, `diff` and
   * `destroy` need `--skip-provider-lock` there (README, "cdktf-cli offline").
   */
  readonly env: Record<string, string>;
}

/** Environment for running cdktf-cli offline (the lab's controller namespace, an air gap). */
export const CDKTF_OFFLINE_ENV: Readonly<Record<string, string>> = {
  CHECKPOINT_DISABLE: '1',
};

/**
 * Installs cdktf-cli once per (version, Node ABI, platform) with `npm install -g --prefix`, and
 * reuses that install afterwards. The cache is optional: a cold machine installs it again.
 */
export async function ensureCdktfCli(log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<CdktfCli> {
  // node-pty (a dependency) carries native code built for one Node ABI.
  const key = `${CDKTF_CLI_VERSION}-node-abi${process.versions.modules}-${process.platform}-${process.arch}`;
  let installMs = 0;
  const prefix = await buildOnce(
    path.join(cacheDir('cdktf-cli'), key),
    async (tmp) => {
      const started = Date.now();
      log(`[toolchain] npm install -g --prefix ${tmp} cdktf-cli@${CDKTF_CLI_VERSION} (about 420 MB; ~20 s measured on a fast link)`);
      const r = await exec('npm', ['install', '-g', '--prefix', tmp, '--no-audit', '--no-fund', `cdktf-cli@${CDKTF_CLI_VERSION}`], 1_200_000);
      if (r.code !== 0) throw new Error(`npm install -g cdktf-cli@${CDKTF_CLI_VERSION} exited ${r.code}:\n${r.output.slice(-3000)}`);
      installMs = Date.now() - started;
      log(`[toolchain] cdktf-cli ${CDKTF_CLI_VERSION} installed in ${(installMs / 1000).toFixed(0)} s`);
    },
    log,
  );
  // npm's bin link is relative (../lib/node_modules/…), so it survives buildOnce's rename.
  const binary = path.join(prefix, 'bin', 'cdktf');
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: delete ${prefix} and install again`);
  // The installed package's own manifest (`cdktf --version` also runs `terraform version`).
  const manifest = path.join(prefix, 'lib', 'node_modules', 'cdktf-cli', 'package.json');
  const installed = fs.existsSync(manifest) ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
  if (installed !== CDKTF_CLI_VERSION) throw new Error(`${manifest} says version ${String(installed)}, not ${CDKTF_CLI_VERSION}: delete ${prefix}`);
  return { binary, prefix, version: CDKTF_CLI_VERSION, installMs, env: { ...CDKTF_OFFLINE_ENV } };
}

/** Runs a command with the offline environment; stdout and stderr together. */
function exec(file: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...CDKTF_OFFLINE_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => out.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output: Buffer.concat(out).toString() });
    });
  });
}
