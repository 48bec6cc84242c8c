/**
 * The synthesized JSON checked by terraform itself against HashiCorp's real tls and local
 * providers (built from their Go modules into a filesystem mirror): `init` + `validate`
 * (toBeValidTerraform) and `plan` (toPlanSuccessfully). A single object where a block list is
 * expected, a misspelled argument or a connection without host would fail here even though the
 * jest JSON assertions pass.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { EtcdStack } from '../src/etcd-stack';
import { DEFAULT_CLUSTER_SPEC } from '../src/config/default-spec';
import { ClusterSpec } from '../src/config/types';
import { ensureProviderMirror } from '../toolchain/providers';

Testing.setupJest();

const hasTerraform = spawnSync('terraform', ['version']).status === 0;
if (!hasTerraform) {
  const msg = 'terraform is not on PATH: the synthesized JSON was NOT validated by terraform';
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`SKIPPED: ${msg}`);
}

// terraform evaluates file() in a connection at validate/plan time: key files must exist there.
const keyDir = mkdtempSync(join(tmpdir(), 'etcd-keys-'));
writeFileSync(join(keyDir, 'etcd'), 'not a real key\n', { mode: 0o600 });
writeFileSync(join(keyDir, 'jump'), 'not a real key\n', { mode: 0o600 });

const SPECS: Array<[string, ClusterSpec]> = [
  ['the default stack', DEFAULT_CLUSTER_SPEC],
  [
    'bastion, key file, host keys, IPv6, ECDSA, CA key on the first host',
    {
      members: [
        { name: 'a', address: 'fd00::a', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' },
        { name: 'b', address: 'fd00::b', sshHost: 'b.mgmt.example.com' },
        { name: 'c', address: 'fd00::c', extraSans: ['etcd.example.com'] },
      ],
      ssh: { privateKeyFile: join(keyDir, 'etcd'), bastion: { host: 'jump.example.com', privateKeyFile: join(keyDir, 'jump') } },
      pki: { keyAlgorithm: 'ECDSA-P384', caKeyOnHosts: 'first' },
    },
  ],
  [
    'five members on a mirror',
    {
      members: [1, 2, 3, 4, 5].map((i) => ({ name: `m${i}`, address: `192.0.2.${i}` })),
      etcd: { version: '3.6.9', downloadUrl: 'https://mirror.example.com/v{version}/etcd.tgz', sha256: 'e'.repeat(64) },
    },
  ],
];

(hasTerraform ? describe : describe.skip)('terraform accepts the synthesized stack', () => {
  beforeAll(async () => {
    Object.assign(process.env, (await ensureProviderMirror()).env);
  }, 1_800_000);

  test.each(SPECS)(
    '%s: init + validate, and plan',
    (_name, spec) => {
      const app = Testing.app();
      const synthesized = Testing.fullSynth(new EtcdStack(app, 'etcd', spec));
      expect(synthesized).toBeValidTerraform();
      expect(synthesized).toPlanSuccessfully();
    },
    120_000,
  );
});
