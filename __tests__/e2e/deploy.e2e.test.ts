// The synthesized stack, applied by a real engine (Terraform, and OpenTofu built from its Go
// module) with HashiCorp's real providers onto real systemd hosts running real etcd, yields a
// healthy mTLS etcd cluster. Every scenario checks what is on the hosts, not exit codes.
// Run one engine with: npm run test:e2e -- -t OpenTofu
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_ETCD_VERSION } from '../../src/config/releases';
import { binaryModule } from '../../toolchain/go';
import { PROVIDER_BUILDS, REGISTRY_HOSTS } from '../../toolchain/providers';
import { Lab } from '../../test-doubles/lab/lab';
import { Engine, LabDeployment } from '../../test-doubles/lab/deploy';
import { describeLab, etcdProcess, etcdVersionOn, labWithDeployment, log, onHost, servedCertificates, tracesOf } from './support';

const KUBEADM_FILES = [
  '0600 /etc/kubernetes/pki/apiserver-etcd-client.key',
  '0600 /etc/kubernetes/pki/etcd/healthcheck-client.key',
  '0600 /etc/kubernetes/pki/etcd/peer.key',
  '0600 /etc/kubernetes/pki/etcd/server.key',
  '0644 /etc/kubernetes/pki/apiserver-etcd-client.crt',
  '0644 /etc/kubernetes/pki/etcd/ca.crt',
  '0644 /etc/kubernetes/pki/etcd/healthcheck-client.crt',
  '0644 /etc/kubernetes/pki/etcd/peer.crt',
  '0644 /etc/kubernetes/pki/etcd/server.crt',
];

/** Resources terraform reported per action in an apply's log. */
function actions(stdout: string): { created: string[]; destroyed: string[] } {
  const created = [...stdout.matchAll(/^(\S+): Creation complete/gm)].map((m) => m[1]);
  const destroyed = [...stdout.matchAll(/^(\S+): Destruction complete/gm)].map((m) => m[1]);
  return { created, destroyed };
}

const ENGINES: ReadonlyArray<[label: string, engine: Engine]> = [
  ['Terraform', 'terraform'],
  ['OpenTofu', 'tofu'],
];

describe.each(ENGINES)('%s', (label, engine) => {
  describeLab(`deploy onto lab hosts with ${label}`, () => {
    let lab: Lab;
    let d: LabDeployment;
    let firstApplyMs = 0;

    beforeAll(async () => {
      ({ lab, deployment: d } = await labWithDeployment(3, {}, { engine }));
    }, 1_800_000);
    afterAll(async () => {
      const name = lab?.name;
      await lab?.down();
      if (name) expect(tracesOf(name)).toEqual([]);
    }, 120_000);

    test('fresh deploy: terraform apply succeeds and the health-check provisioner passes', async () => {
      const r = await d.apply();
      firstApplyMs = r.ms;
      log(`[deploy] first apply with ${label}: ${r.ms} ms (${r.log})`);
      expect({ code: r.code, tail: r.stdout.slice(-2000) + r.stderr }).toMatchObject({ code: 0 });
      expect(r.stdout).toMatch(/etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3/);
    }, 600_000);

    test(`fresh deploy: ${label} installed HashiCorp's providers built from their Go modules at the pinned commits`, async () => {
      const host = engine === 'tofu' ? REGISTRY_HOSTS[1] : REGISTRY_HOSTS[0];
      for (const p of PROVIDER_BUILDS) {
        const dir = path.join(d.stackDir, '.terraform', 'providers', host, 'hashicorp', p.name, p.version, 'linux_amd64');
        const exe = fs.readdirSync(dir).find((f) => f.startsWith(`terraform-provider-${p.name}`));
        expect(exe).toBeDefined();
        const built = await binaryModule(path.join(dir, exe as string));
        expect({ provider: p.name, module: built.path, commit: built.version.slice(-12) }).toEqual({
          provider: p.name,
          module: p.module,
          commit: p.commit.slice(0, 12),
        });
      }
    }, 60_000);

    test('fresh deploy: every host runs the etcd release the spec asked for', async () => {
      for (const h of lab.hosts) expect(await etcdVersionOn(lab, h.name)).toBe(`etcd Version: ${DEFAULT_ETCD_VERSION}`);
      expect(await onHost(lab, 'e1', 'ls /usr/local/bin | grep ^etcd')).toBe('etcd\netcdctl\netcdutl');
    }, 60_000);

    test('fresh deploy: the member list is exactly the spec names, all started', async () => {
      const r = await d.etcdctl(['member', 'list', '-w', 'simple']);
      expect(r.code).toBe(0);
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(', '));
      expect(rows.map((c) => c[2]).sort()).toEqual(['e1', 'e2', 'e3']);
      expect(rows.every((c) => c[1] === 'started' && c[5] === 'false')).toBe(true);
    }, 60_000);

    test('fresh deploy: with the apiserver-etcd-client cert, writes and reads go through every member', async () => {
      for (const h of lab.hosts) {
        const endpoint = [`https://${h.address}:2379`];
        const put = await d.etcdctl(['put', `/e2e/written-via-${h.name}`, `value-${h.name}`], endpoint);
        expect(put.stdout.trim()).toBe('OK');
      }
      for (const h of lab.hosts) {
        const get = await d.etcdctl(['get', '--prefix', '/e2e/', '--print-value-only'], [`https://${h.address}:2379`]);
        expect(get.stdout.trim().split('\n')).toEqual(['value-e1', 'value-e2', 'value-e3']);
      }
    }, 120_000);

    test('fresh deploy: a client without a certificate is refused (mTLS), metrics are loopback-only', async () => {
      const noCert = await lab.controllerExec([
        lab.etcdctlPath,
        `--endpoints=https://${lab.hosts[0].address}:2379`,
        '--insecure-skip-tls-verify',
        '--dial-timeout=2s',
        '--command-timeout=3s',
        'get',
        'x',
      ]);
      expect(noCert.code).not.toBe(0);
      expect(await onHost(lab, 'e1', 'curl -s http://127.0.0.1:2381/metrics | grep -c "^etcd_server_has_leader 1"')).toBe('1');
      const remote = await lab.controllerExec(['curl', '-s', '--max-time', '2', `http://${lab.hosts[0].address}:2381/metrics`]);
      expect(remote.code).not.toBe(0);
    }, 60_000);

    test.each(['e1', 'e2', 'e3'])(
      'fresh deploy: %s holds exactly the kubeadm PKI files, right modes, no CA key; data dir 0700; unit enabled and active',
      async (host) => {
        const files = await onHost(lab, host, 'find /etc/kubernetes/pki -type f -printf "%#m %p\\n" | sort');
        expect(files.split('\n')).toEqual(KUBEADM_FILES);
        expect(await onHost(lab, host, 'stat -c "%a %U" /var/lib/etcd')).toBe('700 root');
        expect(await onHost(lab, host, 'ls /var/lib/etcd')).toBe('member');
        expect(await onHost(lab, host, 'systemctl is-enabled etcd; systemctl is-active etcd')).toBe('enabled\nactive');
        // The install stamp, the member's stamp (cluster id, name, unit, data dir), the ops tools,
        // the health gate and the bootstrap decision remain (the last gate's expectations on e1).
        const state = [
          'bootstrap.env',
          'etcd-ops.sh',
          ...(host === 'e1' ? ['health.env'] : []),
          'health.sh',
          'installed-release',
          'lib.sh',
          'member.env',
          'membership.env',
          'params.env',
        ];
        expect((await onHost(lab, host, 'ls -A /var/lib/etcd-deploy | sort')).split('\n')).toEqual(state);
        // Staging (with its keys) is gone from the SSH user's work dir; nothing else is left there.
        expect(
          await onHost(lab, host, 'stat -c "%a %U" /root/.etcd-kubeadm-cdktf; ls -A /root/.etcd-kubeadm-cdktf | grep -v "^terraform-[0-9]*\\.sh$" || true'),
        ).toBe('700 root');
        expect(await onHost(lab, host, 'grep -c "^ETCD_INITIAL_CLUSTER_STATE=" /var/lib/etcd-deploy/bootstrap.env')).toBe('1');
        const cert = new X509Certificate(await onHost(lab, host, 'cat /etc/kubernetes/pki/etcd/server.crt'));
        expect(cert.subject).toBe(`CN=${host}`);
        expect(cert.subjectAltName).toContain(`DNS:${host}`);
        expect(cert.subjectAltName).toContain(`IP Address:${lab.hosts.find((h) => h.name === host)?.address}`);
      },
      60_000,
    );

    test('second plan reports no changes, and a second apply touches nothing on the hosts', async () => {
      const before = await Promise.all(lab.hosts.map((h) => etcdProcess(lab, h.name)));
      const stamps = await Promise.all(
        lab.hosts.map((h) =>
          onHost(lab, h.name, 'stat -c %Y /etc/kubernetes/pki/etcd/server.crt /etc/systemd/system/etcd.service /usr/local/bin/etcd | tr "\\n" " "'),
        ),
      );
      const plan = await d.plan();
      log(`[deploy] no-change plan: ${plan.ms} ms`);
      expect({ code: plan.code, out: plan.stdout.slice(-1500) }).toMatchObject({ code: 0 });
      expect(plan.stdout).toContain('No changes.');
      const again = await d.apply();
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('Apply complete! Resources: 0 added, 0 changed, 0 destroyed.');
      expect(again.stdout).not.toContain('remote-exec');
      expect(await Promise.all(lab.hosts.map((h) => etcdProcess(lab, h.name)))).toEqual(before);
      expect(
        await Promise.all(
          lab.hosts.map((h) =>
            onHost(lab, h.name, 'stat -c %Y /etc/kubernetes/pki/etcd/server.crt /etc/systemd/system/etcd.service /usr/local/bin/etcd | tr "\\n" " "'),
          ),
        ),
      ).toEqual(stamps);
    }, 300_000);

    test('a host rebooted from inside comes back into a healthy cluster on its own', async () => {
      await lab.rebootHost('e2');
      let health = '';
      for (let i = 0; i < 60; i++) {
        const r = await d.etcdctl(['endpoint', 'health', '--cluster']);
        health = r.stdout + r.stderr;
        if (r.code === 0) break;
        await new Promise((res) => setTimeout(res, 1000));
      }
      expect(health).toMatch(/https:\/\/198\.51\.100\.12:2379 is healthy/);
      expect(await onHost(lab, 'e2', 'systemctl is-active etcd')).toBe('active');
      const get = await d.etcdctl(['get', '/e2e/written-via-e2', '--print-value-only'], ['https://198.51.100.12:2379']);
      expect(get.stdout.trim()).toBe('value-e2');
    }, 180_000);

    test("changing one member's input re-provisions that member only; the cluster stays healthy", async () => {
      const before = Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await etcdProcess(lab, h.name)] as const)));
      const spec = { ...d.spec, members: d.spec.members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-e2.lab.example'] } : m)) };
      d.synth(spec);
      const plan = await d.plan();
      expect(plan.code).toBe(2);
      const replaced = [...plan.stdout.matchAll(/# (\S+) must be replaced/g)].map((m) => m[1]).sort();
      expect(replaced).toEqual([
        'local_file.etcd_e2_file_pki_etcd_peer_crt',
        'local_file.etcd_e2_file_pki_etcd_server_crt',
        'terraform_data.etcd_health_check',
        'terraform_data.etcd_member_e2',
        'tls_cert_request.etcd_e2_peer_csr',
        'tls_cert_request.etcd_e2_server_csr',
        'tls_locally_signed_cert.etcd_e2_peer',
        'tls_locally_signed_cert.etcd_e2_server',
      ]);
      const r = await d.apply();
      expect({ code: r.code, tail: r.stdout.slice(-1500) }).toMatchObject({ code: 0 });
      const { created } = actions(r.stdout);
      // Its join step runs once per identity: a member re-provisioned keeps running, nothing to join.
      expect(created.filter((c) => c.startsWith('terraform_data.')).sort()).toEqual(['terraform_data.etcd_health_check', 'terraform_data.etcd_member_e2']);
      const after = Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await etcdProcess(lab, h.name)] as const)));
      // Its new certificates need no restart: etcd reads them at every new connection.
      expect(after).toEqual(before);
      expect(r.stdout).toMatch(/\[etcd-deploy e2\] etcd serves its renewed certificates \(it reads them at every new connection\): no restart/);
      expect(new X509Certificate(await onHost(lab, 'e2', 'cat /etc/kubernetes/pki/etcd/server.crt')).subjectAltName).toContain('DNS:etcd-e2.lab.example');
      const { served, onDisk } = await servedCertificates(lab, 'e2');
      expect(served).toEqual(onDisk);
      expect(r.stdout).toMatch(/etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3/);
      const get = await d.etcdctl(['get', '--prefix', '/e2e/', '--print-value-only']);
      expect(get.stdout.trim().split('\n')).toEqual(['value-e1', 'value-e2', 'value-e3']);
    }, 300_000);

    test('destroy: members leave one at a time, etcd stopped and disabled everywhere, no data deleted', async () => {
      const r = await d.destroy();
      log(
        r.stdout
          .split('\n')
          .filter((l) => /etcd-ops|membership\["e\d"\] \(local-exec\)/.test(l))
          .join('\n'),
      );
      expect({ code: r.code, tail: r.stdout.slice(-1500) }).toMatchObject({ code: 0 });
      const where: string[] = [];
      for (const h of lab.hosts) {
        expect(r.stdout).toContain(`etcd on ${h.name} stopped and disabled; data not deleted`);
        expect(await onHost(lab, h.name, 'systemctl is-active etcd || true; systemctl is-enabled etcd || true')).toBe('inactive\ndisabled');
        expect(await onHost(lab, h.name, 'test -f /etc/kubernetes/pki/etcd/server.key && echo kept')).toBe('kept');
        where.push(
          await onHost(
            lab,
            h.name,
            'if [ -d /var/lib/etcd/member/snap ]; then echo in-place; else ls -d /var/lib/etcd.removed-*/member/snap >/dev/null && echo archived; fi',
          ),
        );
      }
      // Two members left the cluster (data archived beside the data dir); the last keeps its data in place.
      expect(where.sort()).toEqual(['archived', 'archived', 'in-place']);
      expect(r.stdout).toMatch(/last member of the cluster: stopping etcd\.service; data kept in \/var\/lib\/etcd/);
      log(`[deploy] first apply with ${label} was ${firstApplyMs} ms`);
    }, 300_000);
  });
});

describeLab('deploy with -parallelism=1 (no Type=notify bootstrap deadlock)', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => {
    ({ lab, deployment: d } = await labWithDeployment(3));
  }, 900_000);
  afterAll(async () => {
    await lab?.down();
  }, 120_000);

  test('terraform apply -parallelism=1 brings up a healthy cluster', async () => {
    const r = await d.apply(['-parallelism=1']);
    log(`[deploy] apply -parallelism=1: ${r.ms} ms`);
    expect({ code: r.code, tail: r.stdout.slice(-2000) + r.stderr }).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3/);
    for (const h of lab.hosts) expect(await onHost(lab, h.name, 'systemctl is-active etcd')).toBe('active');
  }, 600_000);
});
