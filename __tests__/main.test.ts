import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

/** Runs main.ts the way `npm run synth` does, in a scratch directory. */
function synth(env: Record<string, string>, cwd: string) {
  return spawnSync(process.execPath, ['-r', require.resolve('ts-node/register', { paths: [ROOT] }), join(ROOT, 'main.ts')], {
    cwd,
    env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    encoding: 'utf8',
  });
}

describe('main.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcd-main-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const stackFile = () => join(dir, 'cdktf.out/stacks/etcd/cdk.tf.json');

  test('without ETCD_CLUSTER_SPEC it synthesizes the embedded reference cluster', () => {
    const r = synth({ ETCD_CLUSTER_SPEC: '' }, dir);
    expect(r.status).toBe(0);
    const tf = JSON.parse(readFileSync(stackFile(), 'utf8'));
    expect(Object.keys(tf.resource.terraform_data).sort()).toEqual([
      'etcd_bootstrap',
      'etcd_cluster',
      'etcd_health_check',
      'etcd_member_e1',
      'etcd_member_e1_join',
      'etcd_member_e2',
      'etcd_member_e2_join',
      'etcd_member_e3',
      'etcd_member_e3_join',
      'etcd_membership',
    ]);
  }, 30000);

  test('synthesizes where no terraform binary is on the PATH (a Node-only CI image, an OpenTofu-only machine)', () => {
    const r = synth({ ETCD_CLUSTER_SPEC: '', PATH: dirname(process.execPath) }, dir);
    // The embedded default pins no host keys: said at synth, naming the members; nothing else.
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: host key not pinned for e1, e2, e3 \(members\[\]\.hostKey\)/)]);
    expect(existsSync(stackFile())).toBe(true);
  }, 30000);

  test('a YAML spec named by ETCD_CLUSTER_SPEC', () => {
    const spec = join(dir, 'cluster.yaml');
    writeFileSync(
      spec,
      'members:\n  - { name: a1, address: 192.0.2.11 }\n  - { name: a2, address: 192.0.2.12 }\n  - { name: a3, address: 192.0.2.13 }\nssh:\n  user: admin\n',
    );
    const r = synth({ ETCD_CLUSTER_SPEC: spec }, dir);
    expect(r.status).toBe(0);
    const tf = JSON.parse(readFileSync(stackFile(), 'utf8'));
    expect(tf.resource.terraform_data.etcd_member_a2.connection).toMatchObject({ host: '192.0.2.12', user: 'admin' });
  }, 30000);

  test('a bad spec fails with the offending value and rule, and writes nothing', () => {
    const spec = join(dir, 'cluster.json');
    writeFileSync(
      spec,
      JSON.stringify({
        members: [
          { name: 'a1', address: '192.0.2.11' },
          { name: 'a1', address: '192.0.2.300' },
        ],
      }),
    );
    const r = synth({ ETCD_CLUSTER_SPEC: spec }, dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('members[1].name: "a1" is already used by members[0]');
    expect(r.stderr).toContain('members[1].address: "192.0.2.300" must be an IPv4 or IPv6 address');
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  }, 30000);

  test('an unreadable or malformed file is reported as such', () => {
    const missing = synth({ ETCD_CLUSTER_SPEC: join(dir, 'nope.yaml') }, dir);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.yaml: cannot read the spec file/);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'members: [\n');
    const bad = synth({ ETCD_CLUSTER_SPEC: broken }, dir);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/broken\.yaml: not valid YAML/);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  }, 30000);
});
