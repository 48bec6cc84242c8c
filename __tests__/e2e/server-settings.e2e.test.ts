// etcd's own settings (`server`), on real etcd: every knob at a non-default value starts a healthy
// cluster with those flags, in the names each minor expects (3.6 and 3.5); TLS 1.3 as the minimum
// refuses a TLS 1.2 client; TLS 1.2 with a cipher-suite list refuses a suite outside it.
// Run with: npm run test:e2e -- -t "server settings".
import { Lab } from '../../test-doubles/lab/lab';
import { LabDeployment } from '../../test-doubles/lab/deploy';
import { ClusterSpec } from '../../src/config/types';
import { describeLab, expectTerraformOk, labWithDeployment, memberNames, onHost } from './support';

const KNOBS = {
  heartbeatIntervalMs: 200,
  electionTimeoutMs: 2000,
  quotaBackendBytes: 4294967296,
  autoCompactionRetention: '1h',
  initialCorruptCheck: true,
  corruptCheckTime: '5m',
  logLevel: 'warn',
  extraArgs: ['--max-txn-ops=256'],
} as const;

/** `curl …/health` from the controller with the apiserver client certificate and TLS options. */
async function health(lab: Lab, d: LabDeployment, tls: string[]): Promise<{ code: number; out: string }> {
  const f = await d.clientFiles();
  const r = await lab.controllerExec([
    'curl',
    '--silent',
    '--show-error',
    '--max-time',
    '5',
    '--cacert',
    f.ca,
    '--cert',
    f.cert,
    '--key',
    f.key,
    ...tls,
    'https://198.51.100.11:2379/health',
  ]);
  return { code: r.code, out: r.stdout + r.stderr };
}

const cmdline = (lab: Lab, host: string) => onHost(lab, host, 'tr "\\0" " " </proc/$(systemctl show etcd -p MainPID --value)/cmdline');

describeLab('server settings', () => {
  let lab: Lab | undefined;
  afterEach(async () => lab?.down(), 120_000);

  test('server settings on 3.6: every knob applied; TLS 1.3 minimum refuses TLS 1.2; a cipher list refuses other suites', async () => {
    let d: LabDeployment;
    ({ lab, deployment: d } = await labWithDeployment(3, {
      server: { ...KNOBS, tlsMinVersion: 'TLS1.3', extraArgs: [...KNOBS.extraArgs] } as ClusterSpec['server'],
    }));
    expectTerraformOk(await d.apply(), 'deploy with every knob');
    expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);
    const cmd = await cmdline(lab, 'e1');
    for (const flag of [
      '--tls-min-version=TLS1.3',
      '--heartbeat-interval=200',
      '--election-timeout=2000',
      '--quota-backend-bytes=4294967296',
      '--auto-compaction-mode=periodic',
      '--auto-compaction-retention=1h',
      '--feature-gates=InitialCorruptCheck=true',
      '--corrupt-check-time=5m',
      '--log-level=warn',
      '--max-txn-ops=256',
    ]) {
      expect(cmd).toContain(flag);
    }
    expect(await health(lab, d, ['--tlsv1.3'])).toMatchObject({ code: 0, out: expect.stringContaining('"health":"true"') });
    expect((await health(lab, d, ['--tlsv1.2', '--tls-max', '1.2'])).code).not.toBe(0);

    const spec = d.spec;
    d.synth({ ...spec, server: { ...spec.server, tlsMinVersion: 'TLS1.2', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } });
    expectTerraformOk(await d.apply(), 'TLS 1.2 with one cipher suite');
    const tls12 = ['--tlsv1.2', '--tls-max', '1.2'];
    expect(await health(lab, d, [...tls12, '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256'])).toMatchObject({ code: 0 });
    expect((await health(lab, d, [...tls12, '--ciphers', 'ECDHE-RSA-AES256-GCM-SHA384'])).code).not.toBe(0);
  }, 900_000);

  test('server settings on 3.5: the corruption checks under their 3.5 names, and a healthy cluster', async () => {
    let d: LabDeployment;
    ({ lab, deployment: d } = await labWithDeployment(
      3,
      { server: { ...KNOBS, extraArgs: [...KNOBS.extraArgs] } as ClusterSpec['server'] },
      { version: '3.5.33' },
    ));
    expectTerraformOk(await d.apply(), 'deploy 3.5 with every knob');
    expect(await memberNames(d)).toEqual(['e1', 'e2', 'e3']);
    const cmd = await cmdline(lab, 'e2');
    expect(cmd).toContain('--experimental-initial-corrupt-check=true');
    expect(cmd).toContain('--experimental-corrupt-check-time=5m');
    expect(cmd).toContain('--tls-min-version=TLS1.2');
    expect(cmd).not.toContain('--feature-gates');
    // The default peer plane on 3.5 too: the members formed the cluster under it, in the sandbox.
    expect(cmd).toContain('--peer-cert-allowed-hostname=localhost');
    const sandbox = await onHost(lab, 'e2', 'systemctl show etcd -p ProtectSystem -p CapabilityBoundingSet');
    expect(sandbox.split('\n').sort()).toEqual(['CapabilityBoundingSet=', 'ProtectSystem=strict']);
  }, 900_000);
});
