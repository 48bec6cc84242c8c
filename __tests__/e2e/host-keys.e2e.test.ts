// Host keys, as the README tells users to collect them (ssh-keyscan): pinned keys deploy without a
// warning; a wrong key for one host fails that host's connection before any file reaches it, and
// the right key, set afterwards, converges. Run with: npm run test:e2e -- -t "host keys".
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Lab } from '../../test-doubles/lab/lab';
import { LabDeployment } from '../../test-doubles/lab/deploy';
import { ClusterSpec } from '../../src/config/types';
import { validateClusterSpec } from '../../src/config/validate';
import { describeLab, expectTerraformOk, labWithDeployment, log, memberNames, onHost } from './support';

/**
 * `ssh-keyscan -t TYPE ADDRESS` from the controller, as "ecdsa-sha2-nistp256 AAAA…". Terraform's
 * SSH client asks for ECDSA first, so that is the key to pin on hosts that have one (Debian's
 * sshd has RSA, ECDSA and Ed25519 keys); the Ed25519 key of such a host fails as a mismatch.
 */
function keyscan(lab: Lab, address: string, type: 'ecdsa' | 'ed25519'): string {
  const out = execFileSync('ip', ['netns', 'exec', lab.controllerNetns, 'ssh-keyscan', '-t', type, address], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = out.split('\n').find((l) => l.startsWith(`${address} `));
  if (!line) throw new Error(`ssh-keyscan -t ${type} ${address} gave no key:\n${out}`);
  return line.split(' ').slice(1, 3).join(' ');
}

/** A key no lab host has. */
function strangerKey(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stranger-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')]);
  const key = fs.readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  fs.rmSync(dir, { recursive: true, force: true });
  return key;
}

describeLab('host keys', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => ({ lab, deployment: d } = await labWithDeployment(3)), 900_000);
  afterAll(async () => lab?.down(), 120_000);

  test('host keys: a wrong key fails that host before any file reaches it; the keyscanned key converges, with no warning', async () => {
    const keys = Object.fromEntries(lab.hosts.map((h) => [h.name, keyscan(lab, h.address, 'ecdsa')]));
    const pinned = (wrongFor?: string): ClusterSpec => ({
      ...d.spec,
      ssh: { ...d.spec.ssh, timeout: '15s' },
      members: d.spec.members.map((m) => ({ ...m, hostKey: m.name === wrongFor ? strangerKey() : keys[m.name] })),
    });

    d.synth(pinned('e3'));
    const failed = await d.apply();
    log(`[host keys] apply with a wrong key for e3: exit ${failed.code} after ${failed.ms} ms`);
    expect(failed.code).not.toBe(0);
    const text = failed.stdout + failed.stderr;
    expect(text).toMatch(/with terraform_data\.etcd_member_e3/);
    expect(text).toMatch(/SSH authentication failed \(root@198\.51\.100\.13:22\): ssh:\s+handshake failed: knownhosts:\s+key mismatch/);
    expect(text).not.toMatch(/with terraform_data\.etcd_member_e[12]\b/);
    // Nothing reached e3: no staging, no state dir, no PKI, no binary.
    expect(await onHost(lab, 'e3', 'ls -d /var/lib/etcd-deploy* /etc/kubernetes/pki /usr/local/bin/etcd /tmp/terraform_* 2>/dev/null | wc -l')).toBe('0');

    const right = pinned();
    expect(validateClusterSpec(right).warnings).toEqual([]);
    d.synth(right);
    const r = await d.apply();
    expectTerraformOk(r, 'the keyscanned keys');
    expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);
  }, 600_000);

  test('host keys: the Ed25519 key of a host that also has an ECDSA key is a mismatch for Terraform (pin the ECDSA key)', async () => {
    const spec: ClusterSpec = {
      ...d.spec,
      members: d.spec.members.map((m) => (m.name === 'e2' ? { ...m, hostKey: keyscan(lab, lab.hosts[1].address, 'ed25519') } : m)),
    };
    d.synth({ ...spec, members: spec.members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['e2.keys.example'] } : m)) });
    const r = await d.apply();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/\(root@198\.51\.100\.12:22\): ssh:\s+handshake failed: knownhosts:\s+key mismatch/);
  }, 600_000);
});
