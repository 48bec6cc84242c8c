/**
 * The members' host scripts travel in their provisioner's last script, from one Terraform local:
 * run as Terraform evaluates it, it writes exactly the scripts the members run, byte for byte,
 * private to the SSH user; ssh-step.sh (the applying machine's) stays in the stack's asset only.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REMOTE_WORK } from '../../src/host/layout';
import { HOST_SCRIPTS_DIR, MEMBER_SCRIPTS } from '../../src/host/scripts';
import { synthSpec } from '../helpers/synth';

/** A Terraform template without expressions, as Terraform evaluates it: `$${` and `%%{` stand for `${` and `%{`. */
const evaluated = (template: string): string => {
  expect(template).not.toMatch(/(^|[^$])\$\{|(^|[^%])%\{/);
  return template.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
};

describe('the host scripts local', () => {
  const tf = synthSpec() as unknown as { locals: Record<string, string> };

  test('writes every script the members run, byte for byte, 0600 under the umask the provisioner sets, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-scripts-'));
    try {
      fs.mkdirSync(path.join(dir, REMOTE_WORK.staging), { recursive: true });
      execFileSync('sh', ['-c', `set -e && umask 077\n${evaluated(tf.locals.etcd_host_scripts)}`], { cwd: dir });
      const staging = path.join(dir, REMOTE_WORK.staging);
      expect(fs.readdirSync(staging).sort()).toEqual([...MEMBER_SCRIPTS].sort());
      for (const name of MEMBER_SCRIPTS) {
        expect(fs.readFileSync(path.join(staging, name))).toEqual(fs.readFileSync(path.join(HOST_SCRIPTS_DIR, name)));
        expect(fs.statSync(path.join(staging, name)).mode & 0o777).toBe(0o600);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('ssh-step.sh, which runs on the applying machine, is not among them', () => {
    expect(MEMBER_SCRIPTS).not.toContain('ssh-step.sh');
    expect(tf.locals.etcd_host_scripts).not.toContain('ssh-step.sh <<');
  });
});
