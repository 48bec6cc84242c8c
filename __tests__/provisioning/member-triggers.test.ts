import { ClusterSpec } from '../../src/config/types';
import { synthSpec, withSpec } from '../helpers/synth';

const triggersOf = (spec: ClusterSpec) => {
  const tf = synthSpec(spec);
  return Object.fromEntries(['e1', 'e2', 'e3'].map((m) => [m, tf.resource.terraform_data[`etcd_member_${m}`].triggers_replace]));
};

/** Which members' triggers differ between two specs. */
function changedMembers(a: ClusterSpec, b: ClusterSpec): string[] {
  const before = triggersOf(a);
  const after = triggersOf(b);
  return Object.keys(before).filter((m) => JSON.stringify(before[m]) !== JSON.stringify(after[m]));
}

const base = withSpec({});
const members = base.members;

describe('re-provisioning triggers', () => {
  test('the triggers name every input: identity, release, each generated file but the member list (as it is), each host script and certificate (as sha256)', () => {
    const t = triggersOf(base).e2;
    expect(Object.keys(t).sort()).toEqual([
      'address',
      'etcd-ops.sh_sha256',
      'etcd.service',
      'etcd_release',
      'health.sh_sha256',
      'lib.sh_sha256',
      'manifest.tsv',
      'member',
      'params.env',
      'pki/apiserver-etcd-client.crt',
      'pki/etcd/ca.crt',
      'pki/etcd/healthcheck-client.crt',
      'pki/etcd/peer.crt',
      'pki/etcd/server.crt',
      'provision.sh_sha256',
      'ssh_user',
    ]);
    expect(t['pki/etcd/server.crt']).toBe('${sha256(tls_locally_signed_cert.etcd_e2_server.cert_pem)}');
    expect(JSON.stringify(t)).not.toMatch(/private_key/);
  });

  test('the generated files are triggers as they are: a changed flag is a changed line of the unit in the plan, not a new hash', () => {
    const unit = (spec: ClusterSpec): string[] => triggersOf(spec).e2['etcd.service'].split('\n');
    const a = unit(base);
    const b = unit(withSpec({ server: { logLevel: 'warn' } }));
    expect([a.filter((l) => !b.includes(l)), b.filter((l) => !a.includes(l))]).toEqual([['  --log-level=info'], ['  --log-level=warn']]);
    expect(triggersOf(base).e2['params.env']).toContain('MEMBER_NAME=e2');
  });

  test('synthesizing twice gives identical triggers (stable plans, no needless re-provisioning)', () => {
    expect(triggersOf(base)).toEqual(triggersOf(base));
  });

  test.each<[string, ClusterSpec, string[]]>([
    ['extra SANs of e2', withSpec({ members: members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-2.example.com'] } : m)) }), []],
    ['the SSH host of e3', withSpec({ members: members.map((m) => (m.name === 'e3' ? { ...m, sshHost: 'mgmt-e3.example.com' } : m)) }), []],
    [
      'the host key of e1',
      withSpec({
        members: members.map((m) =>
          m.name === 'e1' ? { ...m, hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' } : m,
        ),
      }),
      [],
    ],
    ['the etcd release', withSpec({ etcd: { version: '3.5.33' } }), ['e1', 'e2', 'e3']],
    ['the SSH port', withSpec({ ssh: { port: 2222 } }), []],
    ['the SSH timeout', withSpec({ ssh: { timeout: '1m' } }), []],
    ['the SSH user (its home holds the work dir; re-provisioning restarts nothing)', withSpec({ ssh: { user: 'admin' } }), ['e1', 'e2', 'e3']],
    ['a bastion', withSpec({ ssh: { bastion: { host: 'jump.example.com' } } }), []],
    ['the address of e2 (its identity)', withSpec({ members: members.map((m) => (m.name === 'e2' ? { ...m, address: '10.1.1.99' } : m)) }), ['e2']],
    ['the unit name', withSpec({ etcd: { unitName: 'etcd-main' } }), ['e1', 'e2', 'e3']],
    ['the health deadline (the ops script waits that long for health)', withSpec({ health: { timeoutSeconds: 60 } }), ['e1', 'e2', 'e3']],
    ['turning on scheduled snapshots', withSpec({ snapshots: { enabled: true } }), ['e1', 'e2', 'e3']],
    ['adding a member (membership.env is not a trigger)', withSpec({ members: [...members, { name: 'e4', address: '10.1.1.94' }] }), []],
  ])('changing %s re-provisions %j', (_what, spec, expected) => {
    expect(changedMembers(base, spec)).toEqual(expected);
  });

  test('a SAN change reaches only that member through its certificate (the CSR is replaced, so the cert hash changes at apply)', () => {
    const spec = withSpec({ members: members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-2.example.com'] } : m)) });
    const a = synthSpec(base).resource.tls_cert_request;
    const b = synthSpec(spec).resource.tls_cert_request;
    const differing = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    expect(differing.sort()).toEqual(['etcd_e2_peer_csr', 'etcd_e2_server_csr']);
  });

  test('the health check re-runs when any member is re-provisioned (its provisioner is replaced), joins under a new identity, or is removed', () => {
    const tf = synthSpec(base);
    const health = tf.resource.terraform_data.etcd_health_check;
    const steps = (names: string[]) => names.map((n) => `terraform_data.etcd_member_${n}`);
    expect(health.triggers_replace.members).toBe(
      `\${join(",", [${steps(['e1', 'e1_join', 'e2', 'e2_join', 'e3', 'e3_join'])
        .map((r) => `${r}.id`)
        .join(', ')}])}`,
    );
    expect(health.depends_on).toEqual([...steps(['e1', 'e1_join', 'e2', 'e2_join', 'e3', 'e3_join']), 'terraform_data.etcd_membership']);
    const removing = synthSpec(withSpec({ members: members.map((m) => (m.name === 'e3' ? { ...m, remove: true } : m)) }));
    expect(removing.resource.terraform_data.etcd_health_check.triggers_replace.members).toBe(
      `\${join(",", [${steps(['e1', 'e1_join', 'e2', 'e2_join', 'e3_removal'])
        .map((r) => `${r}.id`)
        .join(', ')}])}`,
    );
  });

  test('no trigger of any resource knows how Terraform reaches a host: connection changes replace nothing', () => {
    const variants = [
      base,
      withSpec({ ssh: { port: 2222, timeout: '1m', bastion: { host: 'jump.example.com', port: 2200 } } }),
      withSpec({
        members: members.map((m) => ({
          ...m,
          sshHost: `mgmt-${m.name}.example.com`,
          hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ',
        })),
      }),
    ];
    const replacing = (spec: ClusterSpec) => {
      const data = synthSpec(spec).resource.terraform_data as Record<string, { triggers_replace?: unknown; for_each?: Record<string, { identity: unknown }> }>;
      return Object.fromEntries(
        Object.entries(data).map(([name, r]) => [
          name,
          name.endsWith('_membership') ? Object.values(r.for_each ?? {}).map((i) => i.identity) : r.triggers_replace,
        ]),
      );
    };
    const first = replacing(variants[0]);
    for (const spec of variants.slice(1)) expect(replacing(spec)).toEqual(first);
  });
});
