/**
 * Each member's release step: it waits for nothing but its params.env, so Terraform runs it while
 * it makes the certificates; the member's provisioner installs what it staged, after it. It runs
 * again only when the release, the member's identity, the login user or a script it runs changes.
 */
import { ClusterSpec } from '../../src/config/types';
import { synthSpec, withSpec } from '../helpers/synth';

type Data = { depends_on?: string[]; triggers_replace?: Record<string, string>; provisioner?: unknown[] };

const data = (spec: ClusterSpec): Record<string, Data> => synthSpec(spec).resource.terraform_data as Record<string, Data>;
const base = withSpec({});
const members = base.members;

/** Which members' release steps differ between two specs. */
function changedReleases(a: ClusterSpec, b: ClusterSpec): string[] {
  const before = data(a);
  const after = data(b);
  return ['e1', 'e2', 'e3'].filter((m) => JSON.stringify(before[`etcd_member_${m}_release`]) !== JSON.stringify(after[`etcd_member_${m}_release`]));
}

describe('the release step', () => {
  test('waits only for the member params.env (no certificate, no key): it runs while Terraform makes the PKI', () => {
    const tf = synthSpec(base);
    for (const m of ['e1', 'e2', 'e3']) {
      const release = (tf.resource.terraform_data as Record<string, Data>)[`etcd_member_${m}_release`];
      expect(release.depends_on).toEqual([`local_file.etcd_${m}_file_params_env`]);
      // params.env itself waits for nothing of the PKI either: only the cluster's identity.
      const params = JSON.stringify(tf.resource.local_file[`etcd_${m}_file_params_env`]);
      expect(params).not.toMatch(/tls_/);
      expect(JSON.stringify(release)).not.toMatch(/tls_|private_key_pem|cert_pem/);
    }
  });

  test("every member's provisioner runs after every release step: no member changes unless every host got the release", () => {
    const d = data(base);
    for (const m of ['e1', 'e2', 'e3']) {
      expect(d[`etcd_member_${m}`].depends_on?.filter((x) => x.endsWith('_release'))).toEqual([
        'terraform_data.etcd_member_e1_release',
        'terraform_data.etcd_member_e2_release',
        'terraform_data.etcd_member_e3_release',
      ]);
    }
  });

  test('its triggers: the release and where it comes from, the member, the login user, the state and bin dirs, the scripts it runs', () => {
    expect(Object.keys(data(base).etcd_member_e1_release.triggers_replace ?? {}).sort()).toEqual([
      'address',
      'bin_dir',
      'etcd_release',
      'lib.sh_sha256',
      'member',
      'release.sh_sha256',
      'source',
      'ssh_user',
      'state_dir',
    ]);
  });

  test.each<[string, ClusterSpec, string[]]>([
    ['the etcd release', withSpec({ etcd: { version: '3.5.33' } }), ['e1', 'e2', 'e3']],
    [
      'extra SANs of e2 (a certificate, not the release)',
      withSpec({ members: members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-2.example.com'] } : m)) }),
      [],
    ],
    ['the SSH host of e3', withSpec({ members: members.map((m) => (m.name === 'e3' ? { ...m, sshHost: 'mgmt-e3.example.com' } : m)) }), ['e3']],
    ['the health deadline', withSpec({ health: { timeoutSeconds: 60 } }), []],
    ['the address of e2 (its identity)', withSpec({ members: members.map((m) => (m.name === 'e2' ? { ...m, address: '10.1.1.99' } : m)) }), ['e2']],
  ])('changing %s changes the release steps of %j', (_what, spec, expected) => {
    expect(changedReleases(base, spec)).toEqual(expected);
  });

  test('a new SSH host changes only where the step connects, never its triggers (nothing is re-run)', () => {
    const spec = withSpec({ members: members.map((m) => (m.name === 'e3' ? { ...m, sshHost: 'mgmt-e3.example.com' } : m)) });
    expect(data(spec).etcd_member_e3_release.triggers_replace).toEqual(data(base).etcd_member_e3_release.triggers_replace);
  });
});
