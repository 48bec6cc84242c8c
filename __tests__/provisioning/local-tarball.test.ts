/**
 * etcd.localTarball (air-gapped hosts): the release goes up with the member's files, guarded by a
 * plan-time precondition on its sha256; the host is told to take it instead of downloading.
 */
import { SpecValidationError, validateClusterSpec } from '../../src/config/validate';
import { bundleTexts, synthSpec, withSpec } from '../helpers/synth';

type Provisioner = Record<string, { source?: string; destination?: string; inline?: string[] }>;
type Member = { provisioner: Provisioner[]; lifecycle?: { precondition?: Array<{ condition: string; error_message: string }> } };

const TARBALL = '~/dl/etcd-v3.6.14-linux-amd64.tar.gz';
const PINNED_SHA = 'ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5';

function member(spec: ReturnType<typeof withSpec>, name = 'e1'): { m: Member; tf: ReturnType<typeof synthSpec> } {
  const tf = synthSpec(spec);
  return { m: (tf.resource.terraform_data as Record<string, Member>)[`etcd_member_${name}`], tf };
}

const params = (tf: ReturnType<typeof synthSpec>, name = 'e1'): string => bundleTexts(tf, name)['params.env'];

describe('etcd.localTarball', () => {
  test('by default each host downloads: no upload, no precondition, nothing about it in params.env', () => {
    const { m, tf } = member(withSpec({}));
    expect(m.provisioner.map((p) => Object.keys(p)[0])).toEqual(['remote-exec', 'file', 'remote-exec']);
    expect(m.lifecycle).toBeUndefined();
    expect(params(tf)).not.toContain('ETCD_LOCAL_TARBALL');
    expect(Object.keys((tf as unknown as { locals: Record<string, string> }).locals)).toEqual(['etcd_host_scripts']);
  });

  test('set: the tarball is uploaded into the staging dir after the bundle, before provision.sh, on every member', () => {
    for (const name of ['e1', 'e2', 'e3']) {
      const { m, tf } = member(withSpec({ etcd: { localTarball: TARBALL } }), name);
      expect(m.provisioner.map((p) => Object.keys(p)[0])).toEqual(['remote-exec', 'file', 'file', 'remote-exec']);
      expect(m.provisioner[2].file).toEqual({ source: '${local.etcd_local_tarball}', destination: '.etcd-kubeadm-cdktf/staging/etcd-release.tar.gz' });
      expect(params(tf, name)).toContain('ETCD_LOCAL_TARBALL=etcd-release.tar.gz');
      expect((tf as unknown as { locals: Record<string, string> }).locals).toMatchObject({ etcd_local_tarball: `\${pathexpand("${TARBALL}")}` });
    }
  });

  test('the plan checks its sha256 against the release the spec names before anything runs, naming the file', () => {
    const { m } = member(withSpec({ etcd: { localTarball: TARBALL } }));
    expect(m.lifecycle?.precondition).toEqual([
      {
        condition: `\${(filesha256(local.etcd_local_tarball) == "${PINNED_SHA}")}`,
        error_message: `etcd.localTarball ${TARBALL} is not the release the spec names: its sha256 must be ${PINNED_SHA} (etcd 3.6.14 amd64). Nothing was uploaded.`,
      },
    ]);
    const own = 'a'.repeat(64);
    expect(member(withSpec({ etcd: { version: '3.6.15', sha256: own, localTarball: TARBALL } })).m.lifecycle?.precondition?.[0].condition).toContain(
      `== "${own}"`,
    );
  });

  test('moving the file elsewhere re-provisions nothing (the release is the trigger, not the path)', () => {
    const a = member(withSpec({ etcd: { localTarball: TARBALL } }));
    const b = member(withSpec({ etcd: { localTarball: '/srv/mirror/etcd.tar.gz' } }));
    expect((b.tf.resource.terraform_data as Record<string, { triggers_replace: unknown }>).etcd_member_e1.triggers_replace).toEqual(
      (a.tf.resource.terraform_data as Record<string, { triggers_replace: unknown }>).etcd_member_e1.triggers_replace,
    );
  });

  test.each([
    ['a shell metacharacter', '~/etcd.tgz;reboot'],
    ['a Terraform interpolation', '${file("/etc/shadow")}'],
    ['a space', '/srv/my files/etcd.tgz'],
  ])('a path with %s is refused at synth, naming the field', (_what, value) => {
    let issues: string[] = [];
    try {
      validateClusterSpec(withSpec({ etcd: { localTarball: value } }));
    } catch (e) {
      if (!(e instanceof SpecValidationError)) throw e;
      issues = e.issues.map((i) => i.path);
    }
    expect(issues).toEqual(['etcd.localTarball']);
  });

  test('a tarball of a pinned version rebuilt locally may carry its own sha256', () => {
    expect(() => validateClusterSpec(withSpec({ etcd: { localTarball: TARBALL, sha256: 'b'.repeat(64) } }))).not.toThrow();
    expect(() => validateClusterSpec(withSpec({ etcd: { sha256: 'b'.repeat(64) } }))).toThrow(/does not match the published sha256/);
  });
});
