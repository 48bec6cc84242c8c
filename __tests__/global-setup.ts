import { spawnSync } from 'node:child_process';
import { ensureProviderMirror } from '../toolchain/providers';

/**
 * What the tests need from outside npm, made ready once before any worker starts:
 * - Debian tools: as root on a Debian machine, missing ones are installed (loudly) so that
 *   `npm test` works on a fresh clone; elsewhere the tests that need them skip loudly, and fail
 *   under CI=true.
 * - HashiCorp's tls and local providers, built from their Go modules into the cached
 *   filesystem mirror (toolchain/providers.ts), so that parallel workers do not race to build it.
 */
const TOOLS: Record<string, string> = { shellcheck: 'shellcheck', bats: 'bats' };

function installDebianTools(): void {
  const missing = Object.entries(TOOLS)
    .filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0)
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!root || !apt) {
    console.warn(`\nWARNING: missing test tools (${missing.join(', ')}); not root with apt-get, so tests that need them will be skipped.\n`);
    return;
  }
  console.warn(`\nInstalling missing test tools with apt-get: ${missing.join(', ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  }
  if (r.status !== 0) console.warn(`WARNING: apt-get could not install ${missing.join(', ')}`);
}

async function buildProviders(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v go']).status !== 0) {
    const msg = 'go is not on the PATH: the real providers cannot be built, tests that run terraform will fail';
    if (process.env.CI === 'true') throw new Error(msg);
    console.warn(`\nWARNING: ${msg}\n`);
    return;
  }
  const started = Date.now();
  const mirror = await ensureProviderMirror((s) => console.warn(s));
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 5) console.warn(`provider mirror ready in ${seconds.toFixed(0)} s: ${mirror.mirrorDir}`);
}

export default async function globalSetup(): Promise<void> {
  installDebianTools();
  await buildProviders();
}
