// HashiCorp's real tls and local providers, built from their Go modules at exactly the releases
// the synthesized stack requires, laid out as an unpacked filesystem mirror that both Terraform
// (registry.terraform.io) and OpenTofu (registry.opentofu.org) install from, offline.
//
//   npm run providers          # builds (or reuses) the mirror; prints `export TF_CLI_CONFIG_FILE=…`
//   eval "$(npm run -s providers)"
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, cacheDir } from './cache';
import { binaryModule, go, goVersion } from './go';

export interface ProviderBuild {
  /** Provider type name: hashicorp/<name>. */
  readonly name: 'tls' | 'local';
  /** The release the synthesized stack requires (required_providers.<name>.version). */
  readonly version: string;
  /** Go module path as its go.mod declares it at that release. */
  readonly module: string;
  /** The commit of the release (what its tag points at). */
  readonly commit: string;
  /**
   * The same commit as a Go pseudo-version (base from the last v0/v1 tag, the commit time, the
   * commit hash): the release tags (v4.1.0, …) cannot name module versions because the module
   * paths carry no major-version suffix. Used when the module proxy refuses a query by commit.
   */
  readonly pseudoVersion: string;
}

/**
 * One row per provider the stack uses; tests check each against the synthesized stack and the
 * built binary. tls is the release @cdktf/provider-tls pins. local is 2.9.0, not the 2.6.1 the
 * binding was generated for: the module proxy serves no version of 2.6.1's commit
 * (ba8eb9d12edf493cd3f77ac80a59f6c89b50d4fc; pseudo-versions tried for every second of
 * 2025-11-10..19), so the stack pins 2.9.0 (src/providers.ts), the release that can be built and
 * tested here. The null provider is not used: provisioners live on Terraform's built-in
 * terraform_data (the proxy serves no 3.x commit of terraform-provider-null either).
 */
export const PROVIDER_BUILDS: readonly ProviderBuild[] = [
  {
    name: 'tls',
    version: '4.1.0',
    module: 'github.com/hashicorp/terraform-provider-tls',
    commit: 'eefba144662d715aa78a1ec051d88037b141826c',
    pseudoVersion: 'v1.2.1-0.20250423195406-eefba144662d',
  },
  {
    name: 'local',
    version: '2.9.0',
    module: 'github.com/terraform-providers/terraform-provider-local',
    commit: '3561e410f9fe1769a419c23adb8f1a9b89929b66',
    pseudoVersion: 'v1.4.1-0.20260513075820-3561e410f9fe',
  },
];

/** Registry host names a mirror must hold for Terraform and for OpenTofu. */
export const REGISTRY_HOSTS = ['registry.terraform.io', 'registry.opentofu.org'] as const;

export interface ProviderMirror {
  /** Root of the unpacked filesystem mirror. */
  readonly mirrorDir: string;
  /** CLI configuration: these providers from the mirror, anything else as usual. */
  readonly cliConfigFile: string;
  /** Environment for terraform / tofu: TF_CLI_CONFIG_FILE and CHECKPOINT_DISABLE. */
  readonly env: Record<string, string>;
  /** The built binary of each provider. */
  readonly binaries: Readonly<Record<ProviderBuild['name'], string>>;
}

/** "hashicorp/tls 4.1.0, hashicorp/local 2.9.0 (built from their Go modules)". */
export function providersDescription(): string {
  return `${PROVIDER_BUILDS.map((p) => `hashicorp/${p.name} ${p.version}`).join(', ')} (built from their Go modules)`;
}

export function platform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${process.platform}_${arch}`;
}

/** Where a provider binary sits in an unpacked mirror (Terraform's and OpenTofu's layout). */
export function mirrorPath(mirrorDir: string, host: string, p: Pick<ProviderBuild, 'name' | 'version'>): string {
  return path.join(mirrorDir, host, 'hashicorp', p.name, p.version, platform(), `terraform-provider-${p.name}_v${p.version}`);
}

/** `go install` at the commit; at the pseudo-version naming it when the proxy refuses commits. */
async function installProvider(p: ProviderBuild, gobin: string, log: (s: string) => void): Promise<string> {
  const attempts = [p.commit, p.pseudoVersion];
  const failures: string[] = [];
  for (const version of attempts) {
    log(`[toolchain] go install ${p.module}@${version} (hashicorp/${p.name} ${p.version})`);
    const r = await go(['install', `${p.module}@${version}`], { env: { GOBIN: gobin } });
    if (r.code === 0) {
      const bin = path.join(gobin, path.basename(p.module));
      const built = await binaryModule(bin);
      const sameCommit = built.version.endsWith(`-${p.commit.slice(0, 12)}`);
      if (built.path !== p.module || !sameCommit) {
        throw new Error(`${bin} was built from ${built.path}@${built.version}, not ${p.module} at commit ${p.commit}`);
      }
      return bin;
    }
    failures.push(`@${version}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  throw new Error(
    `cannot build hashicorp/${p.name} ${p.version} from ${p.module} at commit ${p.commit}:\n  ${failures.join('\n  ')}\n` +
      'The Go module proxy must serve that commit (GOPROXY, GONOSUMDB / GOFLAGS for a private proxy).',
  );
}

function cliConfig(mirrorDir: string): string {
  const ours = REGISTRY_HOSTS.flatMap((h) => PROVIDER_BUILDS.map((p) => `"${h}/hashicorp/${p.name}"`));
  return [
    '# Written by toolchain/providers.ts: hashicorp/tls and local from a local filesystem mirror',
    '# (built from their Go modules); every other provider is installed as usual.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${ours.join(', ')}]`,
    '  }',
    '  direct {',
    `    exclude = [${ours.join(', ')}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Builds the providers once per (table, Go version, platform) and returns the mirror. */
export async function ensureProviderMirror(log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<ProviderMirror> {
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify({ builds: PROVIDER_BUILDS, go: await goVersion(), platform: platform() }))
    .digest('hex')
    .slice(0, 16);
  const dir = await buildOnce(
    path.join(cacheDir('providers'), key),
    async (tmp) => {
      const gobin = path.join(tmp, 'bin');
      const started = Date.now();
      for (const p of PROVIDER_BUILDS) {
        const bin = await installProvider(p, gobin, log);
        for (const host of REGISTRY_HOSTS) {
          const dest = mirrorPath(path.join(tmp, 'mirror'), host, p);
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          fs.linkSync(bin, dest); // one file, two registry host names
        }
        fs.rmSync(bin);
      }
      fs.rmSync(gobin, { recursive: true, force: true });
      fs.writeFileSync(
        path.join(tmp, 'BUILD.json'),
        `${JSON.stringify({ builds: PROVIDER_BUILDS, builtAt: new Date().toISOString(), ms: Date.now() - started }, null, 2)}\n`,
      );
      log(`[toolchain] providers built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    },
    log,
  );
  const mirrorDir = path.join(dir, 'mirror');
  // The config names the final path, so it is written after the rename (idempotent).
  const cliConfigFile = path.join(dir, 'terraform.rc');
  const text = cliConfig(mirrorDir);
  if (!fs.existsSync(cliConfigFile) || fs.readFileSync(cliConfigFile, 'utf8') !== text) {
    fs.writeFileSync(`${cliConfigFile}.${process.pid}`, text);
    fs.renameSync(`${cliConfigFile}.${process.pid}`, cliConfigFile);
  }
  const binaries = Object.fromEntries(PROVIDER_BUILDS.map((p) => [p.name, mirrorPath(mirrorDir, REGISTRY_HOSTS[0], p)])) as ProviderMirror['binaries'];
  return { mirrorDir, cliConfigFile, env: { TF_CLI_CONFIG_FILE: cliConfigFile, CHECKPOINT_DISABLE: '1' }, binaries };
}
