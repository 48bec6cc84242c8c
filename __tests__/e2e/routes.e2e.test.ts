/**
 * The routes real fleets have: members on IPv6 addresses, and hosts reached only through a bastion.
 * Asserted on the hosts: the members' URLs, writes answered, and (for the bastion) sshd's own record
 * of where each login came from.
 */
import { describeLab, etcdProcesses, expectTerraformOk, labWithDeployment, log, memberNames, onHost, waitClusterHealthy } from './support';

jest.setTimeout(12 * 60_000);

/** How many logins sshd on a host accepted, by source address. */
async function loginsFrom(lab: Parameters<typeof onHost>[0], host: string): Promise<Record<string, number>> {
  const out = await onHost(
    lab,
    host,
    "journalctl -u ssh --no-pager -o cat | grep -o 'Accepted publickey for [a-z]* from [0-9a-f.:]*' | awk '{ print $6 }' | sort | uniq -c || true",
  );
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/))
      .map(([n, from]) => [from, Number(n)]),
  );
}

describeLab('routes: IPv6 members and a bastion', () => {
  test('a cluster on IPv6 member addresses: peers and clients on [v6] URLs, writes answered, a renewal without a restart, destroy leaves', async () => {
    const { lab, deployment: d } = await labWithDeployment(3);
    try {
      const v6 = await lab.enableIpv6();
      d.synth({ ...d.spec, members: d.spec.members.map((m) => ({ ...m, address: v6[m.name] })) });
      const applied = await d.apply();
      expectTerraformOk(applied, 'apply on IPv6 addresses');
      log(`[routes] IPv6 deploy of 3 members: ${applied.ms} ms`);
      const endpoints = (await d.clientFiles(true)).endpoints;
      expect(endpoints).toEqual(['e1', 'e2', 'e3'].map((h) => `https://[${v6[h]}]:2379`));
      await waitClusterHealthy(d);
      expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);
      const list = await d.etcdctl(['member', 'list', '-w', 'simple']);
      for (const h of ['e1', 'e2', 'e3']) expect(list.stdout).toContain(`https://[${v6[h]}]:2380`);
      // etcd listens on the v6 address itself (and loopback), not on the v4 one.
      expect(await onHost(lab, 'e2', 'ss -Hltn "sport = :2380" | awk \'{ print $4 }\'')).toBe(`[${v6.e2}]:2380`);
      // The server certificate names the v6 address.
      expect(await onHost(lab, 'e2', 'openssl x509 -noout -ext subjectAltName -in /etc/kubernetes/pki/etcd/server.crt')).toContain(
        // openssl prints every group: 2001:db8:100::12 is 2001:DB8:100:0:0:0:0:12
        `IP Address:${v6.e2.toUpperCase().replace('::', ':0:0:0:0:')}`,
      );
      expect((await d.etcdctl(['put', '/v6/k', 'v'])).code).toBe(0);
      expect((await d.etcdctl(['get', '/v6/k', '--print-value-only'])).stdout.trim()).toBe('v');
      // A renewal on [v6] URLs: each member sees etcd present its new certificates there, no restart.
      const processes = await etcdProcesses(lab, ['e1', 'e2', 'e3']);
      d.synth({ ...d.spec, pki: { ...d.spec.pki, certValidityHours: 8000 } });
      const renewed = await d.apply();
      expectTerraformOk(renewed, 'a renewal on IPv6 addresses');
      for (const h of ['e1', 'e2', 'e3']) expect(renewed.stdout).toContain(`[etcd-deploy ${h}] etcd serves its renewed certificates`);
      expect(await etcdProcesses(lab, ['e1', 'e2', 'e3'])).toEqual(processes);
      expectTerraformOk(await d.destroy(), 'destroy on IPv6');
      for (const h of ['e1', 'e2', 'e3']) expect(await onHost(lab, h, 'systemctl is-active etcd.service || true')).toBe('inactive');
    } finally {
      await lab.down();
    }
  });

  test('hosts reached only through a bastion: every login to a member comes from the bastion, deploy and destroy alike', async () => {
    const { lab, deployment: d } = await labWithDeployment(4);
    try {
      const bastion = lab.hosts[3];
      const members = d.spec.members.slice(0, 3);
      d.synth({ ...d.spec, members, ssh: { ...d.spec.ssh, bastion: { host: bastion.address, user: 'root' } } });
      const before = Object.fromEntries(await Promise.all(members.map(async (m) => [m.name, await loginsFrom(lab, m.name)] as const)));
      const applied = await d.apply();
      expectTerraformOk(applied, 'apply through the bastion');
      log(`[routes] deploy of 3 members through a bastion: ${applied.ms} ms`);
      expect(applied.stdout).toMatch(/Using configured bastion host/);
      await waitClusterHealthy(d);
      expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);

      // sshd on each member: Terraform's logins came from the bastion's address, none from the
      // controller's (the lab's own checks log in from the controller: those are counted before/after).
      const controller = '198.51.100.1';
      for (const m of members) {
        const now = await loginsFrom(lab, m.name);
        expect({ member: m.name, viaBastion: (now[bastion.address] ?? 0) - (before[m.name][bastion.address] ?? 0) > 0 }).toEqual({
          member: m.name,
          viaBastion: true,
        });
        const direct = (now[controller] ?? 0) - (before[m.name][controller] ?? 0);
        // loginsFrom itself logs in once per call from the controller.
        expect({ member: m.name, direct }).toEqual({ member: m.name, direct: 1 });
      }
      const bastionLogins = await loginsFrom(lab, bastion.name);
      expect(bastionLogins[controller] ?? 0).toBeGreaterThanOrEqual(6);

      const mid = Object.fromEntries(await Promise.all(members.map(async (m) => [m.name, await loginsFrom(lab, m.name)] as const)));
      expectTerraformOk(await d.destroy(), 'destroy through the bastion');
      for (const m of members) {
        expect(await onHost(lab, m.name, 'systemctl is-active etcd.service || true')).toBe('inactive');
        const now = await loginsFrom(lab, m.name);
        expect({ member: m.name, viaBastion: (now[bastion.address] ?? 0) - (mid[m.name][bastion.address] ?? 0) > 0 }).toEqual({
          member: m.name,
          viaBastion: true,
        });
      }
    } finally {
      await lab.down();
    }
  });
});
