/**
 * The shell unit tests of the host scripts (shell/*.bats, run by bats from Debian): the pure logic
 * of lib.sh, provision.sh and etcd-ops.sh on a sandbox with stubbed etcdctl/systemctl/curl. Each
 * .bats file is one jest test; a failure shows bats' TAP output.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateClusterSpec } from '../../src/config/validate';
import { DEFAULT_CLUSTER_SPEC } from '../../src/config/default-spec';
import { memberParams } from '../../src/host/params';

const DIR = join(__dirname, 'shell');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.bats'))
  .sort();

const available = spawnSync('bats', ['--version']).status === 0;
if (!available) {
  const msg = 'bats is not installed: the host scripts were NOT unit-tested (apt-get install bats)';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
}

test("the shell tests' sandbox sets exactly the parameters params.env has", () => {
  const helpers = readFileSync(join(DIR, 'helpers.bash'), 'utf8');
  const sandbox = (helpers.match(/<<PARAMS\n([\s\S]*?)\nPARAMS/)?.[1] ?? '').split('\n').map((l) => l.split('=')[0]);
  const cluster = validateClusterSpec(DEFAULT_CLUSTER_SPEC);
  const rendered = memberParams(cluster, cluster.members[1], { clusterId: 'x', clusterToken: 'x' }).map(([name]) => name);
  expect([...sandbox].sort()).toEqual([...rendered].sort());
});

(available ? describe : describe.skip)('host scripts, unit-tested as shell (bats)', () => {
  test('there are shell tests for lib.sh, provision.sh and etcd-ops.sh', () => {
    expect(files).toEqual(expect.arrayContaining(['lib.bats', 'provision.bats', 'etcd-ops.bats', 'health.bats']));
  });

  test.each(files.map((f) => [f]))(
    '%s',
    (file) => {
      const r = spawnSync('bats', ['--tap', join(DIR, file)], { encoding: 'utf8', timeout: 120_000 });
      const failed = r.stdout.split('\n').filter((l) => l.startsWith('not ok'));
      expect({ status: r.status, failed, output: r.status === 0 ? '' : `${r.stdout}\n${r.stderr}` }).toEqual({ status: 0, failed: [], output: '' });
      expect(r.stdout).toMatch(/^1\.\.\d+/);
    },
    180_000,
  );
});
