// Command line for people: bring a lab up, look at it, ssh into a host, take it down.
//   npx ts-node test-doubles/lab/cli.ts up [--hosts N] [--name NAME]
//   npx ts-node test-doubles/lab/cli.ts status [NAME]
//   npx ts-node test-doubles/lab/cli.ts ssh [--name NAME] HOST [COMMAND...]
//   npx ts-node test-doubles/lab/cli.ts deploy [--name NAME] [--parallelism N] [--engine terraform|tofu]
//   npx ts-node test-doubles/lab/cli.ts down [NAME] [--all]
// (or `npm run lab -- COMMAND ...`)
import { spawnSync } from 'child_process';
import { Lab, sweepLabs } from './lab';
import { labSupport } from './prerequisites';
import { Engine, LabDeployment, labClusterSpec } from './deploy';
import { sshOptions } from './ssh';
import { DEFAULT_NAME_PREFIX, LabTimings, registeredLabNames } from './state';

export function formatTimings(t: LabTimings): string {
  const parts: string[] = [];
  const add = (label: string, ms?: number) => ms !== undefined && parts.push(`${label} ${(ms / 1000).toFixed(1)} s`);
  add('prerequisites', t.prerequisitesMs);
  add(`rootfs ${t.rootfsMode ?? ''}`.trim(), t.rootfsMs);
  add('network', t.networkMs);
  add('boot', t.bootMs);
  add('artefacts', t.artefactsMs);
  add('up total', t.upMs);
  add('teardown', t.teardownMs);
  return parts.join(', ');
}

/** The lab a command is about: the one named, or the only one on the machine. */
export function resolveLab(name?: string): Lab {
  if (name) return Lab.attach(name);
  const names = registeredLabNames();
  if (names.length === 1) return Lab.attach(names[0]);
  throw new Error(names.length === 0 ? 'no lab is up (run: up)' : `several labs are up (${names.join(', ')}): name one`);
}

function takeOption(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) throw new Error(`${flag} needs a value`);
  args.splice(i, 2);
  return value;
}

async function up(args: string[]): Promise<void> {
  const hosts = takeOption(args, '--hosts');
  const name = takeOption(args, '--name');
  const support = labSupport();
  if (!support.ok) throw new Error(`the lab cannot run here:\n- ${support.reasons.join('\n- ')}`);
  const lab = await Lab.up({ name, hosts: hosts ? Number(hosts) : undefined, persistent: true });
  const release = await lab.publishEtcdRelease();
  console.log(`\nlab ${lab.name} is up (state: ${lab.stateDir})`);
  for (const h of lab.hosts) console.log(`  ${h.name}  ${h.address}  netns ${h.netns}`);
  console.log(`controller netns: ${lab.controllerNetns} (bridge 198.51.100.1)`);
  console.log(`ssh key:          ${lab.sshPrivateKeyPath}`);
  console.log(`etcdctl:          ${lab.etcdctlPath}`);
  console.log(`etcd release:     ${release.url}`);
  console.log(`sha256:           ${release.sha256}`);
  console.log(`timings:          ${formatTimings(lab.timings)}`);
  console.log(`\nssh:  npx ts-node test-doubles/lab/cli.ts ssh ${lab.hosts[0].name}`);
  console.log(`  or: ip netns exec ${lab.controllerNetns} ssh ${sshOptions(lab.sshPrivateKeyPath).join(' ')} root@${lab.hosts[0].address}`);
  console.log(`down: npx ts-node test-doubles/lab/cli.ts down ${lab.name}`);
}

async function status(args: string[]): Promise<void> {
  const names = args[0] ? [args[0]] : registeredLabNames();
  if (names.length === 0) console.log('no lab is up');
  const probe = [
    'echo "system=$(systemctl is-system-running)"',
    'if [ -n "$(systemctl list-unit-files --no-legend etcd.service 2>/dev/null)" ]; then',
    '  echo "etcd=$(systemctl is-active etcd)"',
    'else echo "etcd=not installed"; fi',
  ].join('\n');
  for (const name of names) {
    const lab = Lab.attach(name);
    console.log(`lab ${lab.name} (state: ${lab.stateDir}; ${formatTimings(lab.timings)})`);
    for (const h of lab.hosts) {
      if (!lab.isHostUp(h)) {
        console.log(`  ${h.name}  ${h.address}  stopped`);
        continue;
      }
      const r = await lab.sshExec(h, probe, { timeoutMs: 15_000 });
      const sshd = r.code === 255 ? 'sshd not answering' : 'sshd ok';
      const fields = Object.fromEntries(
        r.stdout
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('=') as [string, string]),
      );
      console.log(`  ${h.name}  ${h.address}  ${sshd}  system ${fields.system ?? '?'}  etcd ${fields.etcd ?? '?'}`);
    }
  }
}

function ssh(args: string[]): number {
  const name = takeOption(args, '--name');
  const [host, ...command] = args;
  if (!host) throw new Error('usage: ssh [--name NAME] HOST [COMMAND...]');
  const lab = resolveLab(name);
  const target = lab.hosts.find((h) => h.name === host || h.address === host);
  if (!target) throw new Error(`no host ${host} in lab ${lab.name}`);
  const tty = process.stdin.isTTY && command.length === 0 ? ['-t'] : [];
  const r = spawnSync('ip', ['netns', 'exec', lab.controllerNetns, 'ssh', ...tty, ...sshOptions(lab.sshPrivateKeyPath), `root@${target.address}`, ...command], {
    stdio: 'inherit',
  });
  return r.status ?? 1;
}

/** Synthesizes the stack for the lab's hosts and applies it with terraform; prints endpoints and health. */
async function deploy(args: string[]): Promise<number> {
  const name = takeOption(args, '--name');
  const parallelism = takeOption(args, '--parallelism');
  const engine = (takeOption(args, '--engine') ?? 'terraform') as Engine;
  if (engine !== 'terraform' && engine !== 'tofu') throw new Error(`--engine must be terraform or tofu, got ${engine}`);
  const lab = resolveLab(name);
  const release = await lab.publishEtcdRelease(lab.etcdVersion);
  console.log(`deploying etcd ${lab.etcdVersion} onto ${lab.hosts.map((h) => h.name).join(', ')} with ${engine} and the provider mirror...`);
  const d = await LabDeployment.create(lab, labClusterSpec(lab, release), { engine });
  const r = await d.apply(parallelism ? [`-parallelism=${parallelism}`] : []);
  const interesting = r.stdout.split('\n').filter((l) => /etcd-deploy|healthy|Apply complete|Error/.test(l));
  console.log(interesting.join('\n'));
  if (r.code !== 0) {
    console.error(`terraform apply failed (exit ${r.code}); full log: ${r.log}\n${r.stderr}`);
    return 1;
  }
  console.log(`\napply: ${(r.ms / 1000).toFixed(1)} s; stack: ${d.stackDir}`);
  console.log(`endpoints: ${((await d.output('client_endpoints')) as string[]).join(', ')}`);
  const health = await d.etcdctl(['endpoint', 'health', '--cluster', '-w', 'table']);
  console.log(health.stdout || health.stderr);
  const members = await d.etcdctl(['member', 'list', '-w', 'table']);
  console.log(members.stdout || members.stderr);
  console.log(`${engine}: cd ${d.stackDir} && TF_CLI_CONFIG_FILE=${d.env.TF_CLI_CONFIG_FILE} ip netns exec ${lab.controllerNetns} ${d.binary} plan`);
  return 0;
}

async function down(args: string[]): Promise<void> {
  const all = args.includes('--all');
  const names = args.filter((a) => a !== '--all');
  if (all) {
    for (const name of registeredLabNames()) {
      await Lab.attach(name).down();
      console.log(`lab ${name} is down`);
    }
    for (const line of await sweepLabs(DEFAULT_NAME_PREFIX, { all: true })) console.log(line);
    return;
  }
  const lab = resolveLab(names[0]);
  await lab.down();
  console.log(`lab ${lab.name} is down (teardown ${((lab.timings.teardownMs ?? 0) / 1000).toFixed(1)} s)`);
}

const USAGE = `usage: cli.ts up [--hosts N] [--name NAME] | status [NAME] | ssh [--name NAME] HOST [COMMAND...] | deploy [--name NAME] [--parallelism N] [--engine terraform|tofu] | down [NAME] [--all]`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      await up(args);
      return 0;
    case 'status':
      await status(args);
      return 0;
    case 'ssh':
      return ssh(args);
    case 'deploy':
      return deploy(args);
    case 'down':
      await down(args);
      return 0;
    default:
      console.error(USAGE);
      return 64;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
