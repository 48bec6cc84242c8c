import { spawnSync } from 'node:child_process';

/**
 * Test tools that come from Debian. As root on a Debian machine, missing ones are installed
 * (loudly) so that `npm test` works on a fresh clone; elsewhere the tests that need them skip
 * loudly, and fail under CI=true.
 */
const TOOLS: Record<string, string> = { shellcheck: 'shellcheck' };

export default async function globalSetup(): Promise<void> {
  const missing = Object.entries(TOOLS).filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0).map(([, pkg]) => pkg);
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
