import { DEFAULT_CLUSTER_SPEC } from '../../src/config/default-spec';
import { validateClusterSpec } from '../../src/config/validate';
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
