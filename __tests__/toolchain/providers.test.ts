/**
 * The provider mirror builds exactly what the synthesized stack requires, from the modules and
 * commits it claims: the table agrees with the stack, each pseudo-version names its commit, and the
 * mirror's binaries are Go builds of those modules at those commits (`go version -m`).
 */
import * as fs from 'node:fs';
import { binaryModule } from '../../toolchain/go';
import { ensureProviderMirror, mirrorPath, PROVIDER_BUILDS, REGISTRY_HOSTS } from '../../toolchain/providers';
import { synthSpec } from '../helpers/synth';

describe('the provider table', () => {
  test('lists every provider the synthesized stack requires, at the version it requires, and no other', () => {
    const required = synthSpec().terraform.required_providers as Record<string, { source: string; version: string }>;
    expect(Object.fromEntries(Object.entries(required).map(([name, r]) => [name, `${r.source} ${r.version}`]))).toEqual(
      Object.fromEntries(PROVIDER_BUILDS.map((p) => [p.name, `hashicorp/${p.name} ${p.version}`])),
    );
  });

  test('the synthesized stack needs no null provider: provisioners are built-in terraform_data', () => {
    const tf = synthSpec();
    expect(Object.keys(tf.terraform.required_providers as object)).not.toContain('null');
    expect(tf.resource.null_resource).toBeUndefined();
    expect(Object.keys(tf.resource.terraform_data).length).toBeGreaterThan(0);
  });

  test.each(PROVIDER_BUILDS.map((p) => [p.name, p]))('%s: the pseudo-version names the release commit', (_name, p) => {
    expect(p.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(p.pseudoVersion).toMatch(/^v[01]\.\d+\.\d+-0\.\d{14}-[0-9a-f]{12}$|^v0\.0\.0-\d{14}-[0-9a-f]{12}$/);
    expect(p.pseudoVersion.slice(-12)).toBe(p.commit.slice(0, 12));
  });
});

describe('the provider mirror', () => {
  let mirror: Awaited<ReturnType<typeof ensureProviderMirror>>;
  beforeAll(async () => {
    mirror = await ensureProviderMirror();
  }, 1_800_000);

  test('holds each provider for Terraform and for OpenTofu, as Go builds of the module at the release commit', async () => {
    for (const p of PROVIDER_BUILDS) {
      for (const host of REGISTRY_HOSTS) {
        const file = mirrorPath(mirror.mirrorDir, host, p);
        expect(fs.statSync(file).mode & 0o111).not.toBe(0);
      }
      const built = await binaryModule(mirrorPath(mirror.mirrorDir, REGISTRY_HOSTS[1], p));
      expect({ module: built.path, version: built.version }).toEqual({ module: p.module, version: p.pseudoVersion });
    }
  }, 60_000);

  test('its CLI configuration takes exactly these providers from the mirror and every other one from its registry', () => {
    const config = fs.readFileSync(mirror.cliConfigFile, 'utf8');
    expect(mirror.env.TF_CLI_CONFIG_FILE).toBe(mirror.cliConfigFile);
    expect(config).toContain(`path    = ${JSON.stringify(mirror.mirrorDir)}`);
    for (const host of REGISTRY_HOSTS) for (const p of PROVIDER_BUILDS) expect(config.split(`"${host}/hashicorp/${p.name}"`).length - 1).toBe(2);
    expect(config).toMatch(/direct \{\n {4}exclude = \[/);
  });
});
