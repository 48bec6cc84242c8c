/**
 * The members' host scripts travel in their provisioner's last script, from one Terraform local
 * that reads them from the stack's asset (`filebase64()`): run as Terraform evaluates it, it writes
 * exactly the scripts the members run, byte for byte, private to the SSH user, and stops when they
 * are not the ones synthesized; ssh-step.sh (the applying machine's) stays in the asset only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REMOTE_WORK } from '../../src/host/layout';
import { HOST_SCRIPTS_DIR, MEMBER_SCRIPTS } from '../../src/host/scripts';
import { synthStackDir } from '../helpers/synth';

/**
 * The local as Terraform evaluates it where it runs (the stack's directory): `${filebase64("P")}`
 * is the file's content in base64, `$${` and `%%{` stand for `${` and `%{`; no other expression
 * may appear.
 */
function evaluated(template: string, stackDir: string): string {
  const outside = template.replace(/\$\{filebase64\("[^"]+"\)\}/g, '');
  expect(outside).not.toMatch(/(^|[^$])\$\{|(^|[^%])%\{/);
  return template
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{')
    .replace(/\$\{filebase64\("([^"]+)"\)\}/g, (_m, p: string) => fs.readFileSync(path.join(stackDir, p)).toString('base64'));
}

describe('the host scripts local', () => {
  const stackDir = synthStackDir();
  const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { locals: Record<string, string> };
  const writer = tf.locals.etcd_host_scripts;

  /** Runs the writer as a member's provisioner does, in a fresh home; the staging dir it wrote. */
  function runWriter(dir: string, stack = stackDir) {
    fs.mkdirSync(path.join(dir, REMOTE_WORK.staging), { recursive: true });
    return spawnSync('sh', ['-c', `set -e && umask 077\n${evaluated(writer, stack)}\necho WRITER_DONE`], { cwd: dir, encoding: 'utf8' });
  }

  test('writes every script the members run, byte for byte, 0600 under the umask the provisioner sets, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-scripts-'));
    try {
      const r = runWriter(dir);
      expect({ status: r.status, stderr: r.stderr, done: r.stdout.includes('WRITER_DONE') }).toEqual({ status: 0, stderr: '', done: true });
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

  test('reads the scripts from the asset, so the configuration holds no shell body (Terraform parses each of its strings as a template)', () => {
    expect(writer.length).toBeLessThan(2000);
    for (const name of MEMBER_SCRIPTS)
      expect(writer).toMatch(new RegExp(`'\\$\\{filebase64\\("assets/[^"]+/${name.replace('.', '\\.')}"\\)\\}' \\| base64 -d >`));
  });

  test('a line of a script can neither end its text early nor run as a command: the texts travel as base64 in single quotes', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'host-scripts-stack-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'host-scripts-home-'));
    try {
      fs.cpSync(stackDir, copy, { recursive: true });
      const assetOf = /\$\{filebase64\("([^"]+\/lib\.sh)"\)\}/.exec(writer)?.[1] as string;
      const canary = path.join(home, 'INJECTED');
      // What would end a quoted heredoc, or a single-quoted string, and run a command after it.
      fs.appendFileSync(path.join(copy, assetOf), `ETCD_HOST_SCRIPT_END\ntouch ${canary}\n'; touch ${canary}; '\n`);
      const r = runWriter(home, copy);
      expect(r.status).toBe(1);
      expect(fs.existsSync(canary)).toBe(false);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  test('stops, before anything runs, when an asset differs from what was synthesized', () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'host-scripts-stack-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'host-scripts-home-'));
    try {
      fs.cpSync(stackDir, copy, { recursive: true });
      const assetOf = /\$\{filebase64\("([^"]+\/provision\.sh)"\)\}/.exec(writer)?.[1];
      expect(assetOf).toBeDefined();
      fs.appendFileSync(path.join(copy, assetOf as string), 'echo edited after synth\n');
      const r = runWriter(home, copy);
      expect(r.status).toBe(1);
      expect(r.stdout).not.toContain('WRITER_DONE');
      expect(r.stderr).toContain("the host scripts Terraform read from the stack's assets");
      expect(r.stderr).toContain('synthesize again');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  test('ssh-step.sh, which runs on the applying machine, is not among them', () => {
    expect(MEMBER_SCRIPTS).not.toContain('ssh-step.sh');
    expect(writer).not.toContain('ssh-step.sh');
    expect(execFileSync('ls', [HOST_SCRIPTS_DIR], { encoding: 'utf8' })).toContain('ssh-step.sh');
  });
});
