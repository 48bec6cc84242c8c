// SSH from the controller namespace to the hosts, with the lab's own ed25519 key.
import * as fs from 'fs';
import * as path from 'path';
import { run, RunResult, runChecked, waitFor } from './run';

export interface LabKey {
  privateKeyPath: string;
  publicKey: string;
}

export async function generateLabKey(dir: string, comment: string): Promise<LabKey> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKeyPath = path.join(dir, 'id_ed25519');
  await runChecked(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKeyPath]);
  return { privateKeyPath, publicKey: fs.readFileSync(`${privateKeyPath}.pub`, 'utf8').trim() };
}

/** ssh options for throwaway hosts whose host keys are new at every lab. */
export function sshOptions(privateKeyPath: string, connectTimeoutSec = 5): string[] {
  return [
    '-i',
    privateKeyPath,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${connectTimeoutSec}`,
    '-o',
    'LogLevel=ERROR',
  ];
}

/**
 * Runs `script` with bash as root on the host (script on stdin), from inside the controller
 * namespace: logged in as root, or as `user` through `sudo -n` where root logins are refused.
 */
export function sshRun(
  controllerNetns: string,
  privateKeyPath: string,
  address: string,
  script: string,
  opts: { timeoutMs?: number; connectTimeoutSec?: number; user?: string } = {},
): Promise<RunResult> {
  const user = opts.user ?? 'root';
  const command = user === 'root' ? 'bash -s' : 'sudo -n bash -s';
  return run(['ip', 'netns', 'exec', controllerNetns, 'ssh', ...sshOptions(privateKeyPath, opts.connectTimeoutSec), `${user}@${address}`, command], {
    input: script,
    timeoutMs: opts.timeoutMs ?? 120_000,
  });
}

/**
 * Waits until sshd on the host answers and systemd has finished booting. A `degraded` system is
 * an error that names the failed units.
 */
export async function waitUntilRunning(controllerNetns: string, privateKeyPath: string, address: string, timeoutMs = 90_000, user = 'root'): Promise<void> {
  const state = await waitFor(`sshd and systemd on ${address}`, timeoutMs, async () => {
    const r = await sshRun(controllerNetns, privateKeyPath, address, 'systemctl is-system-running --wait', {
      timeoutMs: 60_000,
      connectTimeoutSec: 2,
      user,
    });
    const out = r.stdout.trim();
    if (out === 'running' || out === 'degraded') return out;
    if (out === '') throw new Error(r.stderr.trim() || `ssh exited ${r.code}`); // sshd not up yet
    return undefined; // e.g. starting / stopping (around a reboot)
  });
  if (state === 'degraded') {
    const failed = await sshRun(controllerNetns, privateKeyPath, address, 'systemctl --failed --no-legend --plain', { user });
    throw new Error(`host ${address} booted degraded; failed units:\n${failed.stdout}`);
  }
}
