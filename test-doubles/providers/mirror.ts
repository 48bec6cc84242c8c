/**
 * Builds the stand-in providers (compiled once per source hash) and lays them out as an
 * unpacked filesystem mirror that plain `terraform init` installs from, offline.
 *
 *   npx ts-node test-doubles/providers/mirror.ts   # prints `export TF_CLI_CONFIG_FILE=...`
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const PROVIDERS_DIR = __dirname;
const REPO_ROOT = path.resolve(PROVIDERS_DIR, '..', '..');
const DEFAULT_CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'etcd-stand-in-providers');

export const STAND_IN_PROVIDERS = [
  { name: 'tls', version: '4.1.0', entry: 'main-tls.js' },
  { name: 'null', version: '3.2.4', entry: 'main-null.js' },
  { name: 'local', version: '2.6.1', entry: 'main-local.js' },
] as const;

export interface ProviderMirror {
  /** Root of the unpacked filesystem mirror. */
  mirrorDir: string;
  /** Terraform CLI configuration that installs only from that mirror. */
  cliConfigFile: string;
  /** Environment for terraform: TF_CLI_CONFIG_FILE and CHECKPOINT_DISABLE. */
  env: Record<string, string>;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && full !== path.join(PROVIDERS_DIR, 'mirror.ts')) out.push(full);
    }
  };
  walk(PROVIDERS_DIR);
  return out.sort();
}

function platformDir(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'arm64' ? 'arm64' : process.arch;
  return `${process.platform}_${arch}`;
}

function sourceHash(files: string[]): string {
  const h = crypto.createHash('sha256');
  h.update(`ts ${ts.version} node ${process.execPath} ${platformDir()} ${REPO_ROOT}\n`);
  for (const f of files) h.update(`${path.relative(PROVIDERS_DIR, f)}\n`).update(fs.readFileSync(f)).update('\n');
  return h.digest('hex').slice(0, 16);
}

function compile(files: string[], outDir: string): void {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    rootDir: PROVIDERS_DIR,
    outDir,
    types: ['node'],
    typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
  });
  const result = program.emit();
  const diagnostics = ts.getPreEmitDiagnostics(program).concat(result.diagnostics).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (diagnostics.length > 0 || result.emitSkipped) {
    const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO_ROOT, getNewLine: () => '\n' });
    throw new Error(`stand-in providers failed to compile:\n${text}`);
  }
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function layOut(buildDir: string): void {
  const jsDir = path.join(buildDir, 'js');
  const mirrorDir = path.join(buildDir, 'mirror');
  for (const p of STAND_IN_PROVIDERS) {
    const dir = path.join(mirrorDir, 'registry.terraform.io', 'hashicorp', p.name, p.version, platformDir());
    fs.mkdirSync(dir, { recursive: true });
    const exe = path.join(dir, `terraform-provider-${p.name}_v${p.version}`);
    const script = [
      '#!/bin/sh',
      `# Stand-in hashicorp/${p.name} ${p.version}: a TEST DOUBLE from test-doubles/providers, not the real provider.`,
      `NODE_PATH=${shellQuote(path.join(REPO_ROOT, 'node_modules'))} exec ${shellQuote(process.execPath)} ${shellQuote(path.join(jsDir, p.entry))} "$@"`,
      '',
    ].join('\n');
    fs.writeFileSync(exe, script, { mode: 0o755 });
    fs.chmodSync(exe, 0o755);
  }
  const cliConfig = [
    '# Written by test-doubles/providers/mirror.ts: stand-in providers only, no network.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    '    include = ["registry.terraform.io/hashicorp/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(buildDir, 'terraform.rc'), cliConfig);
}

/** Compiles the stand-in providers if their sources changed and returns the mirror to use. */
export async function ensureProviderMirror(opts: { cacheDir?: string } = {}): Promise<ProviderMirror> {
  const cacheDir = path.resolve(opts.cacheDir ?? process.env.STAND_IN_PROVIDERS_CACHE ?? DEFAULT_CACHE_DIR);
  const files = sourceFiles();
  const buildDir = path.join(cacheDir, sourceHash(files));
  const marker = path.join(buildDir, '.complete');
  if (!fs.existsSync(marker)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir, '.build-'));
    try {
      compile(files, path.join(tmp, 'js'));
      fs.writeFileSync(path.join(tmp, '.complete'), new Date().toISOString());
      // Paths inside the wrappers and the CLI config are final ones: lay out after the rename.
      try {
        fs.renameSync(tmp, buildDir);
      } catch (e) {
        if (!fs.existsSync(marker)) throw e; // someone else finished the same build first
      }
      layOut(buildDir);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  const cliConfigFile = path.join(buildDir, 'terraform.rc');
  if (!fs.existsSync(cliConfigFile)) layOut(buildDir);
  return {
    mirrorDir: path.join(buildDir, 'mirror'),
    cliConfigFile,
    env: { TF_CLI_CONFIG_FILE: cliConfigFile, CHECKPOINT_DISABLE: '1' },
  };
}

if (require.main === module) {
  ensureProviderMirror().then(
    (m) => {
      for (const [k, v] of Object.entries(m.env)) process.stdout.write(`export ${k}=${shellQuote(v)}\n`);
      process.stdout.write(`# mirror: ${m.mirrorDir}${os.EOL}`);
    },
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
}
