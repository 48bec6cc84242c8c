import { execFileSync, spawnSync } from 'node:child_process';

/** Whether shellcheck is installed; in CI its absence is a failure, elsewhere a loud skip. */
export function shellcheckAvailable(): boolean {
  const found = spawnSync('shellcheck', ['--version']).status === 0;
  if (!found) {
    const msg = 'shellcheck is not installed: generated scripts were NOT linted (apt-get install shellcheck)';
    if (process.env.CI === 'true') throw new Error(msg);
    console.warn(`SKIPPED: ${msg}`);
  }
  return found;
}

/** Runs shellcheck on a script text; returns its findings ('' when clean). */
export function shellcheck(script: string, shell = 'bash'): string {
  try {
    execFileSync('shellcheck', ['--shell', shell, '--severity', 'style', '-'], { input: script, stdio: ['pipe', 'pipe', 'pipe'] });
    return '';
  } catch (e) {
    return String((e as { stdout?: Buffer }).stdout ?? e);
  }
}
