import { DEFAULT_CLUSTER_SPEC } from '../../src/config/default-spec';
import { validateClusterSpec } from '../../src/config/validate';
import { flagName, MANAGED_FLAGS } from '../../src/config/etcd-flags';
import { etcdFlags, renderEtcdUnit, renderSnapshotService, renderSnapshotTimer } from '../../src/host/units';
import { withSpec } from '../helpers/synth';

describe('the systemd unit and etcd flags', () => {
  const cluster = validateClusterSpec(DEFAULT_CLUSTER_SPEC);
  const flags = etcdFlags(cluster, cluster.members[1]);
  const unit = renderEtcdUnit(cluster, cluster.members[1]);

  test('mTLS on the client plane with the server cert', () => {
    expect(flags).toEqual(
      expect.arrayContaining([
        '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
        '--key-file=/etc/kubernetes/pki/etcd/server.key',
        '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
        '--client-cert-auth=true',
      ]),
    );
  });

  test('mTLS on the peer plane with the peer cert', () => {
    expect(flags).toEqual(
      expect.arrayContaining([
        '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
        '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
        '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
        '--peer-client-cert-auth=true',
        '--auto-tls=false',
        '--peer-auto-tls=false',
      ]),
    );
  });

  test('loopback client listener, member-address advertise, loopback-only plain metrics', () => {
    expect(flags).toContain('--listen-client-urls=https://127.0.0.1:2379,https://10.1.1.92:2379');
    expect(flags).toContain('--advertise-client-urls=https://10.1.1.92:2379');
    expect(flags).toContain('--listen-peer-urls=https://10.1.1.92:2380');
    expect(flags).toContain('--initial-advertise-peer-urls=https://10.1.1.92:2380');
    expect(flags).toContain('--listen-metrics-urls=http://127.0.0.1:2381');
  });

  test('name and data dir are flags; the bootstrap settings come from bootstrap.env, decided at first start', () => {
    expect(flags).toContain('--name=e2');
    expect(flags).toContain('--data-dir=/var/lib/etcd');
    expect(flags.filter((f) => f.startsWith('--initial-cluster'))).toEqual([]);
    expect(unit.split('\n')).toContain('EnvironmentFile=/var/lib/etcd-deploy/bootstrap.env');
  });

  test("etcd's sample unit settings: Type=notify, Restart=always, RestartSec=10s, LimitNOFILE, network-online", () => {
    for (const line of [
      'Type=notify',
      'Restart=always',
      'RestartSec=10s',
      'LimitNOFILE=40000',
      'After=network-online.target',
      'Wants=network-online.target',
      'WantedBy=multi-user.target',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).toContain('ExecStart=/usr/local/bin/etcd \\\n  --name=e2 \\\n');
  });

  test('IPv6 members get bracketed URLs', () => {
    const c = validateClusterSpec(
      withSpec({
        members: [
          { name: 'a', address: 'fd00::a' },
          { name: 'b', address: 'fd00::b' },
          { name: 'c', address: 'fd00::c' },
        ],
      }),
    );
    expect(etcdFlags(c, c.members[0])).toContain('--listen-client-urls=https://127.0.0.1:2379,https://[fd00::a]:2379');
  });

  test('ports, paths and unit name follow the spec', () => {
    const c = validateClusterSpec(
      withSpec({
        etcd: { clientPort: 12379, peerPort: 12380, metricsPort: 12381, dataDir: '/data/etcd', binDir: '/opt/etcd/bin', unitName: 'etcd-main' },
        paths: { stateDir: '/srv/state' },
      }),
    );
    const u = renderEtcdUnit(c, c.members[0]);
    expect(u).toContain('ExecStart=/opt/etcd/bin/etcd');
    expect(u).toContain('--listen-client-urls=https://127.0.0.1:12379,https://10.1.1.93:12379');
    expect(u).toContain('--listen-metrics-urls=http://127.0.0.1:12381');
    expect(u).toContain('--data-dir=/data/etcd');
    expect(u).toContain('EnvironmentFile=/srv/state/bootstrap.env');
    expect(renderSnapshotService(c)).toContain('After=etcd-main.service');
    expect(renderSnapshotService(c)).toContain('ExecStart=/bin/bash /srv/state/etcd-ops.sh snapshot-scheduled');
  });

  test("the snapshot timer fires on the spec's calendar and catches up after downtime", () => {
    const c = validateClusterSpec(withSpec({ snapshots: { enabled: true, onCalendar: '*-*-* 02:00:00' } }));
    const timer = renderSnapshotTimer(c).split('\n');
    expect(timer).toEqual(expect.arrayContaining(['OnCalendar=*-*-* 02:00:00', 'Persistent=true', 'WantedBy=timers.target']));
  });
});

describe('server settings as etcd flags', () => {
  const base = { members: [{ name: 'e1', address: '10.1.1.93' }] };
  const flagsOf = (spec: object) => {
    const cluster = validateClusterSpec({ ...base, ...spec });
    return etcdFlags(cluster, cluster.members[0]);
  };

  test("defaults: etcd's own values, written out (TLS 1.2 at least, 100/1000 ms, 2 GiB, info); no compaction, no corruption checks", () => {
    const flags = flagsOf({});
    expect(flags).toEqual(
      expect.arrayContaining([
        '--tls-min-version=TLS1.2',
        '--heartbeat-interval=100',
        '--election-timeout=1000',
        '--quota-backend-bytes=2147483648',
        '--log-level=info',
      ]),
    );
    expect(flags.filter((f) => /cipher|compaction|corrupt|feature-gates/.test(f))).toEqual([]);
  });

  test('every setting rendered; the corruption checks in the names of each minor (3.5 experimental, 3.6 feature gate and plain name)', () => {
    const server = {
      tlsMinVersion: 'TLS1.2',
      cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
      heartbeatIntervalMs: 250,
      electionTimeoutMs: 5000,
      autoCompactionRetention: '1h',
      initialCorruptCheck: true,
      corruptCheckTime: '5m',
      logLevel: 'warn',
      extraArgs: ['--max-txn-ops=256', '--experimental-watch-progress-notify-interval=10m'],
    };
    expect(flagsOf({ server }).slice(-12)).toEqual([
      '--tls-min-version=TLS1.2',
      '--cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      '--heartbeat-interval=250',
      '--election-timeout=5000',
      '--quota-backend-bytes=2147483648',
      '--log-level=warn',
      '--auto-compaction-mode=periodic',
      '--auto-compaction-retention=1h',
      '--feature-gates=InitialCorruptCheck=true',
      '--corrupt-check-time=5m',
      '--max-txn-ops=256',
      '--experimental-watch-progress-notify-interval=10m',
    ]);
    const on35 = flagsOf({ server, etcd: { version: '3.5.33' } });
    expect(on35).toContain('--experimental-initial-corrupt-check=true');
    expect(on35).toContain('--experimental-corrupt-check-time=5m');
    expect(on35.filter((f) => /feature-gates|^--corrupt-check-time/.test(f))).toEqual([]);
  });

  test('etcd 3.4 has no --tls-min-version: not rendered', () => {
    expect(flagsOf({ etcd: { version: '3.4.23', sha256: 'a'.repeat(64) } }).filter((f) => f.startsWith('--tls'))).toEqual([]);
  });

  test('MANAGED_FLAGS names every flag this tool renders (server.extraArgs may not repeat them)', () => {
    const all = flagsOf({
      server: { cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'], autoCompactionRetention: '1h', initialCorruptCheck: true, corruptCheckTime: '5m' },
    });
    const all35 = flagsOf({ etcd: { version: '3.5.33' }, server: { initialCorruptCheck: true, corruptCheckTime: '5m' } });
    for (const f of [...all, ...all35]) expect(MANAGED_FLAGS).toContain(flagName(f));
  });
});

describe('hardening in the unit: peer plane, sandbox, metrics listeners', () => {
  const base = { members: [{ name: 'e1', address: '10.1.1.93' }] };
  const clusterOf = (spec: object) => validateClusterSpec({ ...base, ...spec });
  const flagsOf = (spec: object) => {
    const c = clusterOf(spec);
    return etcdFlags(c, c.members[0]);
  };
  const unitOf = (spec: object) => {
    const c = clusterOf(spec);
    return renderEtcdUnit(c, c.members[0]).split('\n');
  };
  const PEER_FLAG = '--peer-cert-allowed-hostname=localhost';

  test.each([
    ['3.6.14', {}],
    ['3.5.33', {}],
    ['3.4.23', { sha256: 'a'.repeat(64) }],
  ])('peers-only (the default) on %s: the peer port takes member certificates only (localhost, a SAN no client certificate has)', (version, extra) => {
    expect(flagsOf({ etcd: { version, ...extra } })).toContain(PEER_FLAG);
  });

  test('any-ca-cert: no allowed-hostname flag (etcd accepts any certificate its CA signed)', () => {
    expect(flagsOf({ server: { peerPlane: 'any-ca-cert' } }).filter((f) => f.startsWith('--peer-cert-allowed'))).toEqual([]);
  });

  test('sandbox (default): the directives etcd tolerates, its data dir the only writable path, no capabilities', () => {
    const unit = unitOf({});
    const service = unit.slice(unit.indexOf('[Service]'), unit.indexOf('[Install]'));
    expect(service).toEqual(
      expect.arrayContaining([
        'NoNewPrivileges=yes',
        'CapabilityBoundingSet=',
        'ProtectSystem=strict',
        'ReadWritePaths=/var/lib/etcd',
        'PrivateTmp=yes',
        'ProtectHome=yes',
        'ProtectKernelTunables=yes',
        'ProtectKernelModules=yes',
        'ProtectKernelLogs=yes',
        'ProtectControlGroups=yes',
        'RestrictSUIDSGID=yes',
        'RestrictRealtime=yes',
        'LockPersonality=yes',
        'LimitNOFILE=40000',
      ]),
    );
    expect(service.filter((l) => l.startsWith('ReadWritePaths='))).toEqual(['ReadWritePaths=/var/lib/etcd']);
  });

  test('sandbox follows the spec: data dir and --wal-dir writable; a port below 1024 keeps CAP_NET_BIND_SERVICE, mlock CAP_IPC_LOCK', () => {
    const unit = unitOf({ etcd: { dataDir: '/data/etcd', clientPort: 443 }, server: { extraArgs: ['--wal-dir=/wal/etcd', '--memory-mlock'] } });
    expect(unit.filter((l) => l.startsWith('ReadWritePaths='))).toEqual(['ReadWritePaths=/data/etcd', 'ReadWritePaths=/wal/etcd']);
    expect(unit).toContain('CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_IPC_LOCK');
    expect(unitOf({ etcd: { metricsUrls: ['http://127.0.0.1:81'] } })).toContain('CapabilityBoundingSet=CAP_NET_BIND_SERVICE');
  });

  test('sandbox false: none of the directives (hosts whose systemd cannot make a mount namespace); the sample unit settings stay', () => {
    const unit = unitOf({ server: { sandbox: false } });
    expect(unit.filter((l) => /^(NoNewPrivileges|CapabilityBoundingSet|Protect|ReadWritePaths|PrivateTmp|Restrict|LockPersonality)/.test(l))).toEqual([]);
    expect(unit).toContain('LimitNOFILE=40000');
  });

  test('the snapshot units stay unsandboxed (etcd-ops.sh writes the snapshot dir and its state)', () => {
    const c = clusterOf({ snapshots: { enabled: true } });
    expect(renderSnapshotService(c)).not.toMatch(/Protect|ReadWritePaths|NoNewPrivileges|CapabilityBoundingSet/);
  });

  test('metricsUrls rendered as --listen-metrics-urls, {address} as the member address (bracketed for IPv6)', () => {
    const metricsUrls = ['http://127.0.0.1:2381', 'http://{address}:9100', 'https://{address}:9101', 'http://[::1]:9102'];
    expect(flagsOf({ etcd: { metricsUrls } })).toContain(
      '--listen-metrics-urls=http://127.0.0.1:2381,http://10.1.1.93:9100,https://10.1.1.93:9101,http://[::1]:9102',
    );
    const c = validateClusterSpec({ members: [{ name: 'a', address: 'fd00::a' }], etcd: { metricsUrls } });
    expect(etcdFlags(c, c.members[0])).toContain('--listen-metrics-urls=http://127.0.0.1:2381,http://[fd00::a]:9100,https://[fd00::a]:9101,http://[::1]:9102');
  });
});
