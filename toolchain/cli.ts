// Command line of the toolchain.
//   npm run providers              build (or reuse) the provider mirror; print `export TF_CLI_CONFIG_FILE=…`
//   npm run toolchain -- all       also OpenTofu, the lab's etcd releases and cdktf-cli (what the tests use)
//   npm run toolchain -- tofu | etcd VERSION... | cdktf-cli
import { ensureCdktfCli } from './cdktf-cli';
import { ensureEtcdRelease } from './etcd-release';
import { ensureProviderMirror } from './providers';
import { ensureTofu } from './tofu';
import { LAB_ETCD_VERSIONS } from './versions';

const shellQuote = (s: string): string => (/^[A-Za-z0-9_./:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const say = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

async function main(args: string[]): Promise<void> {
  const [command = 'providers', ...rest] = args;
  switch (command) {
    case 'providers': {
      const m = await ensureProviderMirror(say);
      for (const [k, v] of Object.entries(m.env)) process.stdout.write(`export ${k}=${shellQuote(v)}\n`);
      process.stdout.write(`# provider mirror: ${m.mirrorDir}\n`);
      return;
    }
    case 'tofu': {
      const t = await ensureTofu(say);
      process.stdout.write(`${t.binary}\n`);
      return;
    }
    case 'cdktf-cli': {
      const c = await ensureCdktfCli(say);
      process.stdout.write(`${c.binary}\n`);
      return;
    }
    case 'etcd':
      for (const v of rest.length > 0 ? rest : LAB_ETCD_VERSIONS) {
        const r = await ensureEtcdRelease(v, say);
        process.stdout.write(`${r.tarball} ${r.sha256}\n`);
      }
      return;
    case 'all': {
      const m = await ensureProviderMirror(say);
      say(`providers: ${m.mirrorDir}`);
      for (const v of LAB_ETCD_VERSIONS) say(`etcd ${v}: ${(await ensureEtcdRelease(v, say)).tarball}`);
      say(`tofu: ${(await ensureTofu(say)).binary}`);
      say(`cdktf-cli: ${(await ensureCdktfCli(say)).binary}`);
      return;
    }
    default:
      throw new Error(`unknown command ${command}: providers | tofu | etcd [VERSION...] | cdktf-cli | all`);
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
