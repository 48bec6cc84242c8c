// Hardening on real etcd (3.6), one deployment: metrics on the network (plain HTTP and https with
// a client certificate), etcd in systemd's sandbox (settings visible to systemctl, effective in its
// mount namespace, a scheduled snapshot still taken), and the peer plane: under any-ca-cert (etcd's
// default) the CA's client certificates pass the peer port; switching to peers-only renews no
// certificate and from then on refuses them, while members keep talking with their peer certs.
// Run with: npm run test:e2e -- -t "hardening".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lab } from '../../test-doubles/lab/lab';
import { LabDeployment } from '../../test-doubles/lab/deploy';
import { PEER_CERT_NAME } from '../../src/config/etcd-flags';
import { describeLab, expectTerraformOk, labWithDeployment, log, memberNames, onHost, planned, waitClusterHealthy } from './support';

const METRICS_URLS = ['http://127.0.0.1:2381', 'http://{address}:9100', 'https://{address}:9101'];
const PEER_FLAG = `--peer-cert-allowed-hostname=${PEER_CERT_NAME}`;

/** A member's PKI file as the synthesized stack wrote it locally (`hosts/<member>/pki/…`). */
function localPki(d: LabDeployment, member: string, rel: string): string {
  const file = path.join(d.stackDir, 'hosts', member, 'pki', rel);
  if (!fs.existsSync(file)) throw new Error(`no local PKI file ${file}`);
  return file;
}

/** `curl` from the controller namespace; code 0 and the body, or curl's error. */
async function curlFromController(lab: Lab, url: string, tls: string[] = []): Promise<{ code: number; out: string }> {
  const r = await lab.controllerExec(['curl', '--silent', '--show-error', '--max-time', '5', ...tls, url], { timeoutMs: 15_000 });
  return { code: r.code, out: r.stdout + r.stderr };
}

/** The peer handler `/members` of a member, asked with the healthcheck client certificate of e1 (from the local tree). */
function healthcheckOnPeerPort(lab: Lab, d: LabDeployment, address: string): Promise<{ code: number; out: string }> {
  return curlFromController(lab, `https://${address}:2380/members`, [
    '--http1.1', // etcd's peer handler does not answer curl's HTTP/2
    '--cacert',
    localPki(d, 'e1', 'etcd/ca.crt'),
    '--cert',
    localPki(d, 'e1', 'etcd/healthcheck-client.crt'),
    '--key',
    localPki(d, 'e1', 'etcd/healthcheck-client.key'),
  ]);
}

/**
 * From member e1 to e2's peer port with one of e1's certificates. From e1's own address: etcd also
 * checks that a peer certificate's IP SANs hold the connection's source address, so a member's peer
 * certificate is only usable from its member (from the controller it is refused in both modes).
 */
async function fromE1ToE2Peer(lab: Lab, cert: 'peer' | 'healthcheck-client'): Promise<{ code: number; out: string }> {
  const e2 = lab.hosts[1].address;
  const r = await lab.sshExec(
    'e1',
    `curl --http1.1 --silent --show-error --max-time 5 --cacert /etc/kubernetes/pki/etcd/ca.crt --cert /etc/kubernetes/pki/etcd/${cert}.crt --key /etc/kubernetes/pki/etcd/${cert}.key https://${e2}:2380/members`,
    { timeoutMs: 15_000 },
  );
  return { code: r.code, out: r.stdout + r.stderr };
}

const cmdline = (lab: Lab, host: string) => onHost(lab, host, 'tr "\\0" " " </proc/$(systemctl show etcd -p MainPID --value)/cmdline');

describeLab('hardening', () => {
  let lab: Lab | undefined;
  afterEach(async () => lab?.down(), 120_000);

  test('hardening: network metrics (http, and https with a client cert), sandboxed etcd, peer plane any-ca-cert → peers-only', async () => {
    let d: LabDeployment;
    ({ lab, deployment: d } = await labWithDeployment(3, {
      server: { peerPlane: 'any-ca-cert' },
      snapshots: { enabled: true, onCalendar: '*:*:0/5', retain: 2 },
    }));
    d.synth({ ...d.spec, etcd: { ...d.spec.etcd, metricsUrls: METRICS_URLS } });
    let started = Date.now();
    expectTerraformOk(await d.apply(), 'deploy: any-ca-cert, metrics on the network, sandbox');
    log(`[hardening] deploy: ${Date.now() - started} ms`);
    expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);

    // Metrics: the loopback URL as before, plain HTTP on each member's address, https with mTLS.
    const [a1, a2, a3] = lab.hosts.map((h) => h.address);
    expect(await onHost(lab, 'e1', 'curl -s http://127.0.0.1:2381/metrics | grep -c "^etcd_server_has_leader 1"')).toBe('1');
    for (const address of [a1, a2, a3]) {
      const plain = await curlFromController(lab, `http://${address}:9100/metrics`);
      expect(plain.code).toBe(0);
      expect(plain.out).toMatch(/^etcd_server_has_leader 1$/m);
    }
    expect((await curlFromController(lab, `http://${a1}:2381/metrics`)).code).not.toBe(0); // the loopback one stays loopback
    const f = await d.clientFiles();
    expect((await curlFromController(lab, `https://${a2}:9101/metrics`, ['--cacert', f.ca])).code).not.toBe(0); // no client cert
    const tlsMetrics = await curlFromController(lab, `https://${a2}:9101/metrics`, ['--cacert', f.ca, '--cert', f.cert, '--key', f.key]);
    expect(tlsMetrics).toMatchObject({ code: 0, out: expect.stringMatching(/^etcd_server_has_leader 1$/m) });

    // Sandbox: what systemd applied, and what etcd's mount namespace and process really have.
    for (const h of ['e1', 'e2', 'e3']) {
      const shown = await onHost(
        lab,
        h,
        'systemctl show etcd -p NoNewPrivileges -p ProtectSystem -p ReadWritePaths -p PrivateTmp -p ProtectHome -p ProtectKernelTunables -p ProtectKernelModules -p ProtectKernelLogs -p ProtectControlGroups -p RestrictSUIDSGID -p RestrictRealtime -p LockPersonality -p CapabilityBoundingSet',
      );
      const props = Object.fromEntries(shown.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      expect(props).toEqual({
        NoNewPrivileges: 'yes',
        ProtectSystem: 'strict',
        ReadWritePaths: '/var/lib/etcd',
        PrivateTmp: 'yes',
        ProtectHome: 'yes',
        ProtectKernelTunables: 'yes',
        ProtectKernelModules: 'yes',
        ProtectKernelLogs: 'yes',
        ProtectControlGroups: 'yes',
        RestrictSUIDSGID: 'yes',
        RestrictRealtime: 'yes',
        LockPersonality: 'yes',
        CapabilityBoundingSet: '',
      });
      const status = await onHost(lab, h, 'grep -E "^(NoNewPrivs|CapBnd|CapEff):" /proc/$(systemctl show etcd -p MainPID --value)/status');
      expect(status.split('\n').map((l) => l.replace(/\s+/g, ' '))).toEqual(['CapEff: 0000000000000000', 'CapBnd: 0000000000000000', 'NoNewPrivs: 1']);
      // Inside etcd's mount namespace: the system is read-only, the data dir writable, /root hidden.
      const ns = 'nsenter -t "$(systemctl show etcd -p MainPID --value)" -m';
      expect(await onHost(lab, h, `${ns} touch /usr/local/bin/probe 2>&1 || true`)).toMatch(/Read-only file system/);
      expect(await onHost(lab, h, `${ns} touch /etc/kubernetes/pki/etcd/probe 2>&1 || true`)).toMatch(/Read-only file system/);
      expect(await onHost(lab, h, `${ns} sh -c 'touch /var/lib/etcd/probe && rm /var/lib/etcd/probe && echo writable'`)).toBe('writable');
      expect(await onHost(lab, h, `${ns} ls -A /root | wc -l`)).toBe('0');
    }
    // etcd takes writes in the sandbox, and the scheduled snapshot (outside it) still works.
    expect((await d.etcdctl(['put', '/hardening/sandboxed', 'yes'])).code).toBe(0);
    expect((await d.etcdctl(['get', '/hardening/sandboxed', '--print-value-only'])).stdout.trim()).toBe('yes');
    let snapshots = '0';
    for (let i = 0; i < 30 && snapshots === '0'; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      snapshots = await onHost(lab, 'e1', 'ls /var/lib/etcd-snapshots/ | grep -c "^etcd-e1-scheduled-.*\\.db$" || true');
    }
    expect(Number(snapshots)).toBeGreaterThan(0);
    expect(await onHost(lab, 'e1', 'systemctl is-failed etcd-snapshot.service || true')).not.toBe('failed');

    // any-ca-cert (etcd's default): the health check's client certificate passes the peer port.
    for (const h of ['e1', 'e2', 'e3']) expect(await cmdline(lab, h)).not.toContain('--peer-cert-allowed-hostname');
    expect(await healthcheckOnPeerPort(lab, d, a1)).toMatchObject({ code: 0, out: expect.stringContaining('"peerURLs"') });
    expect(await fromE1ToE2Peer(lab, 'healthcheck-client')).toMatchObject({ code: 0, out: expect.stringContaining('"peerURLs"') });

    // peers-only (the default): no certificate renewed, members restarted with the flag.
    const { peerPlane: _dropped, ...server } = d.spec.server ?? {};
    d.synth({ ...d.spec, server });
    const plan = await d.plan();
    expect(plan.code).toBe(2);
    const changes = planned(plan.stdout);
    expect([...changes.replaced, ...changes.created, ...changes.destroyed].filter((r) => r.startsWith('tls_'))).toEqual([]);
    started = Date.now();
    expectTerraformOk(await d.apply(), 'peerPlane any-ca-cert → peers-only');
    log(`[hardening] switch to peers-only: ${Date.now() - started} ms`);
    for (const h of ['e1', 'e2', 'e3']) expect(await cmdline(lab, h)).toContain(PEER_FLAG);
    await waitClusterHealthy(d);
    expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);

    for (const address of [a1, a2, a3]) {
      const refused = await healthcheckOnPeerPort(lab, d, address);
      expect(refused.code).not.toBe(0);
      expect(refused.out).not.toContain('"peerURLs"');
    }
    const refusedOnPeer = await fromE1ToE2Peer(lab, 'healthcheck-client');
    expect(refusedOnPeer.code).not.toBe(0);
    expect(refusedOnPeer.out).not.toContain('"peerURLs"');
    expect(await fromE1ToE2Peer(lab, 'peer')).toMatchObject({ code: 0, out: expect.stringContaining('"peerURLs"') });
    // The client plane is unchanged: the same client certificates still read and write.
    expect((await d.etcdctl(['put', '/hardening/peers-only', 'yes'])).code).toBe(0);
    expect((await d.etcdctl(['get', '/hardening/sandboxed', '--print-value-only'])).stdout.trim()).toBe('yes');
  }, 1_200_000);
});
