/**
 * Hosts shaped like cloud images: root logins refused, a login user with passwordless sudo. The
 * stack must deploy, change and destroy through that user exactly as through root, leave every
 * key root-owned 0600, nothing secret readable by the user, and no script in /tmp.
 */
import { Lab } from '../../test-doubles/lab/lab';
import { sshOptions } from '../../test-doubles/lab/ssh';
import { describeLab, etcdProcess, expectTerraformOk, labWithDeployment, log, memberIds, memberNames, onHost, waitClusterHealthy } from './support';

jest.setTimeout(15 * 60_000);

const USER = 'ubuntu';

/** What the login user could read of any private key, anywhere it might have been left. */
const SECRETS_READABLE_BY_USER = `sudo -u ${USER} grep -rlsI -e 'PRIVATE KEY' /home /tmp /var/tmp /etc /var/lib /root /run /srv /opt 2>/dev/null || true`;

/** Owner and mode of every private key etcd and the apiserver use. */
const KEY_OWNERSHIP = `stat -c '%U:%G %a %n' /etc/kubernetes/pki/etcd/*.key /etc/kubernetes/pki/apiserver-etcd-client.key`;

/** Anything Terraform or the stack left in the world-writable temp dirs. */
const TEMP_LEFTOVERS = 'find /tmp /var/tmp -mindepth 1 -maxdepth 1 \\( -name "terraform_*" -o -name "*.sh" -o -name "staging" \\) -print';

async function expectHostsClean(lab: Lab, hosts: string[]): Promise<void> {
  for (const h of hosts) {
    const keys = (await onHost(lab, h, KEY_OWNERSHIP)).split('\n');
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const line of keys) expect(line).toMatch(/^root:root 600 /);
    expect({ host: h, readable: await onHost(lab, h, SECRETS_READABLE_BY_USER) }).toEqual({ host: h, readable: '' });
    expect({ host: h, temp: await onHost(lab, h, TEMP_LEFTOVERS) }).toEqual({ host: h, temp: '' });
    // The work dir: the user's, closed to others, without the staging dir once provisioning ended.
    const work = await onHost(
      lab,
      h,
      `home="$(getent passwd ${USER} | cut -d: -f6)"; stat -c '%U %a' "$home/.etcd-kubeadm-cdktf"; ls -A "$home/.etcd-kubeadm-cdktf"`,
    );
    expect(work.split('\n')[0]).toBe(`${USER} 700`);
    expect(work).not.toMatch(/staging/);
    // Terraform blanks each script it ran; no script content stays behind in the user's home.
    const scripts = `home="$(getent passwd ${USER} | cut -d: -f6)"; find "$home" /root -maxdepth 2 -name '*.sh' ! -empty -print`;
    expect({ host: h, scripts: await onHost(lab, h, scripts) }).toEqual({ host: h, scripts: '' });
  }
}

async function rootLoginRefused(lab: Lab, host: string): Promise<string> {
  const h = lab.hosts.find((x) => x.name === host);
  const r = await lab.controllerExec(['ssh', ...sshOptions(lab.sshPrivateKeyPath), `root@${h?.address}`, 'true']);
  expect(r.code).not.toBe(0);
  return r.stderr;
}

describeLab('a login user with sudo instead of root (cloud images)', () => {
  test('deploys, changes one member, removes one and destroys through sudo; keys root-owned, nothing readable left, nothing in /tmp', async () => {
    const { lab, deployment: d } = await labWithDeployment(3);
    try {
      await lab.cloudImageLogin(USER);
      expect(await rootLoginRefused(lab, 'e1')).toMatch(/Permission denied/);
      const spec = { ...d.spec, ssh: { ...d.spec.ssh, user: USER } };
      d.synth(spec);

      const first = await d.apply();
      expectTerraformOk(first, 'first apply as a sudo user');
      log(`[sudo] first apply through ${USER}: ${first.ms} ms`);
      expect(first.stdout).toMatch(/User: ubuntu/);
      await waitClusterHealthy(d);
      const ids = await memberIds(d);
      expect(Object.keys(ids).sort()).toEqual(['e1', 'e2', 'e3']);
      await expectHostsClean(lab, ['e1', 'e2', 'e3']);
      const put = await d.etcdctl(['put', '/sudo/k', 'v']);
      expect(put.code).toBe(0);

      // A change of one member (a SAN: new certificates, which etcd takes without a restart).
      const before = { e1: await etcdProcess(lab, 'e1'), e3: await etcdProcess(lab, 'e3') };
      d.synth({ ...spec, members: spec.members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-2.example.com'] } : m)) });
      expectTerraformOk(await d.apply(), 'a SAN change on e2 through sudo');
      expect(await onHost(lab, 'e2', 'openssl x509 -noout -ext subjectAltName -in /etc/kubernetes/pki/etcd/server.crt')).toContain('etcd-2.example.com');
      expect(await memberIds(d)).toEqual(ids);
      expect({ e1: await etcdProcess(lab, 'e1'), e3: await etcdProcess(lab, 'e3') }).toEqual(before);
      await expectHostsClean(lab, ['e1', 'e2', 'e3']);

      // Scale in: e3 marked remove, the removal runs on e1 and retires e3, both through sudo.
      d.synth({ ...d.spec, members: d.spec.members.map((m) => (m.name === 'e3' ? { ...m, remove: true } : m)) });
      expectTerraformOk(await d.apply(), 'removing e3 through sudo');
      expect(await memberNames(d, (await d.clientFiles()).endpoints.slice(0, 2))).toEqual(['e1', 'e2']);
      expect(await onHost(lab, 'e3', 'systemctl is-active etcd.service || true')).toBe('inactive');
      const get = await d.etcdctl(['get', '/sudo/k', '--print-value-only'], (await d.clientFiles()).endpoints.slice(0, 2));
      expect(get.stdout.trim()).toBe('v');

      // Destroy: the destroy-time steps leave and stop through sudo too.
      const destroyed = await d.destroy();
      expectTerraformOk(destroyed, 'destroy through sudo');
      for (const h of ['e1', 'e2']) {
        expect(await onHost(lab, h, 'systemctl is-active etcd.service || true')).toBe('inactive');
        expect(await onHost(lab, h, 'systemctl is-enabled etcd.service 2>/dev/null || true')).not.toBe('enabled');
      }
      await expectHostsClean(lab, ['e1', 'e2']);
    } finally {
      await lab.down();
    }
  });

  test('switching a running cluster from root to a sudo user restarts nothing and keeps every member', async () => {
    const { lab, deployment: d } = await labWithDeployment(3);
    try {
      expectTerraformOk(await d.apply(), 'first apply as root');
      await waitClusterHealthy(d);
      const ids = await memberIds(d);
      const pids = { e1: await etcdProcess(lab, 'e1'), e2: await etcdProcess(lab, 'e2'), e3: await etcdProcess(lab, 'e3') };

      await lab.cloudImageLogin(USER);
      d.synth({ ...d.spec, ssh: { ...d.spec.ssh, user: USER } });
      const plan = await d.plan();
      expect(plan.code).toBe(2);
      // Re-provisioning (the work dir moves to the new user's home); no member leaves.
      expect(plan.stdout).not.toMatch(/membership\["e\d"\] must be replaced|will be destroyed/);
      const switched = await d.apply();
      expectTerraformOk(switched, 'apply after switching to the sudo user');
      log(`[sudo] switch from root to ${USER}: ${switched.ms} ms`);
      expect(await memberIds(d)).toEqual(ids);
      expect({ e1: await etcdProcess(lab, 'e1'), e2: await etcdProcess(lab, 'e2'), e3: await etcdProcess(lab, 'e3') }).toEqual(pids);
      await expectHostsClean(lab, ['e1', 'e2', 'e3']);
      const again = await d.plan();
      expect(again.code).toBe(0);
    } finally {
      await lab.down();
    }
  });
});
