/**
 * The library as users get it: `npm pack`, installed from the tarball into a fresh cdktf
 * TypeScript app made here (its own stack holding EtcdCluster beside another resource), compiled,
 * synthesized and validated by terraform with the real providers. The host scripts inside the
 * synthesized stack must be the repository's files, byte for byte.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { ensureProviderMirror } from '../toolchain/providers';

const ROOT = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const CONSUMER_MAIN = `import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { EtcdCluster } from 'etcd-kubeadm-cdktf';

// A user's own app: their stack, their resources, and the etcd cluster among them.
const app = new App();
const stack = new TerraformStack(app, 'platform');
const deployKey = new PrivateKey(stack, 'deploy-key', { algorithm: 'ED25519' });
const etcd = new EtcdCluster(stack, 'etcd', {
  members: [
    { name: 'e1', address: '192.0.2.11' },
    { name: 'e2', address: '192.0.2.12' },
    { name: 'e3', address: '192.0.2.13' },
  ],
  ssh: { user: 'ops' },
});
new TerraformOutput(stack, 'endpoints', { value: etcd.clientEndpoints });
new TerraformOutput(stack, 'deploy_key', { value: deployKey.publicKeyOpenssh });
app.synth();
`;

describe('the npm package', () => {
  let dir: string;
  let tarball: string;
  let stackDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcd-consumer-'));
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', dir], ROOT)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(dir, packed[0].filename);
    writeFileSync(join(dir, 'packed-files.json'), JSON.stringify(packed[0].files.map((f) => f.path)));
    const app = join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    const dependencies = { ...pkg.peerDependencies, [pkg.name]: `file:${tarball}` };
    const devDependencies = { typescript: pkg.devDependencies.typescript, '@types/node': pkg.devDependencies['@types/node'] };
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies, devDependencies }, null, 2));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] },
        include: ['main.ts'],
      }),
    );
    writeFileSync(join(app, 'main.ts'), CONSUMER_MAIN);
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
    sh(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], app);
    sh(process.execPath, ['main.js'], app, { ...process.env, CDKTF_OUTDIR: join(app, 'cdktf.out') });
    stackDir = join(app, 'cdktf.out', 'stacks', 'platform');
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('ships the compiled library, its types and the host scripts, and nothing of the tests, lab or tooling', () => {
    const files = JSON.parse(readFileSync(join(dir, 'packed-files.json'), 'utf8')) as string[];
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/host/scripts/provision.sh',
        'schema/etcd-cluster.schema.json',
      ]),
    );
    expect(files.filter((f) => /__tests__|test-doubles|toolchain|bench\/|\.ts$(?<!\.d\.ts)/.test(f))).toEqual([]);
  });

  test("a user's own cdktf app synthesizes EtcdCluster beside its other resources", () => {
    const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource.tls_private_key)).toEqual(expect.arrayContaining(['deploy-key', 'etcd_ca_key']));
    expect(Object.keys(tf.resource.terraform_data)).toEqual(expect.arrayContaining(['etcd_member_e1', 'etcd_health_check']));
    expect(tf.output.endpoints.value).toEqual(['https://192.0.2.11:2379', 'https://192.0.2.12:2379', 'https://192.0.2.13:2379']);
  });

  test("the host scripts inside the synthesized stack are byte-identical to the repository's", () => {
    const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    const scriptsDir = join(ROOT, 'src', 'host', 'scripts');
    const compared: string[] = [];
    // One copy in the stack's assets, where ssh-step.sh runs from (destroy-time steps run where
    // terraform runs).
    const step = tf.resource.terraform_data.etcd_membership.provisioner[0]['local-exec'].command.replace(/^bash /, '');
    const assetDir = dirname(join(stackDir, step));
    for (const name of readdirSync(assetDir)) {
      expect({ name, identical: readFileSync(join(assetDir, name), 'utf8') === readFileSync(join(scriptsDir, name), 'utf8') }).toEqual({
        name,
        identical: true,
      });
      compared.push(name);
    }
    expect(new Set(compared)).toEqual(new Set(readdirSync(scriptsDir).filter((n) => n.endsWith('.sh'))));
    // The scripts the members run, as each member's provisioner writes them on its host: the stack's
    // one local decodes each from the asset (`filebase64()`), then checks its sha256.
    const writer = tf.locals.etcd_host_scripts as string;
    const written = [...writer.matchAll(/(?:^|\n)printf '%s' '\$\{filebase64\("([^"]+)"\)\}' \| base64 -d >\S+\/staging\/(\S+)(?=\n|$)/g)].map(
      ([all, file, name]) => [all, name, file],
    );
    expect(written.map((m) => m[1]).sort()).toEqual(compared.filter((n) => n !== 'ssh-step.sh').sort());
    for (const [, name, file] of written) {
      expect({ name, file: dirname(join(stackDir, file)) }).toEqual({ name, file: assetDir });
      expect(basename(file)).toBe(name);
      expect(writer).toContain(
        `${createHash('sha256')
          .update(readFileSync(join(scriptsDir, name)))
          .digest('hex')}  .etcd-kubeadm-cdktf/staging/${name}`,
      );
    }
  });

  test('terraform init + validate accept the synthesized stack (real providers)', async () => {
    const mirror = await ensureProviderMirror();
    const env = { ...process.env, ...mirror.env, TF_IN_AUTOMATION: '1' };
    sh('terraform', ['init', '-input=false', '-no-color'], stackDir, env);
    expect(sh('terraform', ['validate', '-no-color'], stackDir, env)).toContain('Success! The configuration is valid.');
  }, 300_000);
});
