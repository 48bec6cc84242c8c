// The Lab: real Linux hosts (systemd-nspawn containers with systemd and sshd, each in its own
// network namespace) on one offline machine, plus a controller namespace from which the operator
// side (terraform, ssh, etcdctl) reaches them, and an HTTP server for etcd release tarballs.
import { spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_ETCD_VERSION } from '../../src/config/releases';
import { artefactBaseUrl, labRelease, PublishedRelease, publishFile, startArtefactServer } from './artefacts';
import { labPids } from './cgroups';
import { bootCount, HostLayout, launchHost, launcherPid, prepareHostDir, stopHostProcesses } from './host';
import { addIpv6, CONTROLLER_ADDRESS, controllerNetnsName, createNetwork, hostAddress, hostNetnsName, MAX_HOSTS, setHostIsolated } from './network';
import { ensureLabPrerequisites } from './prerequisites';
import { provideRootfs } from './rootfs';
import { nodeProcess, run, RunResult, waitFor } from './run';
import { generateLabKey, sshRun, waitUntilRunning } from './ssh';
import {
  DEFAULT_NAME_PREFIX,
  defaultCacheDir,
  LabHost,
  LabRecord,
  LabTimings,
  labsRoot,
  processStartTime,
  readRecord,
  registryFile,
  STATE_MARKER,
  writeRecord,
} from './state';
import { stopWatchdog, sweepLabs, teardownSync } from './teardown';

export type { LabHost, LabTimings } from './state';
export { sweepLabs };

export interface LabOptions {
  /** @default 'etcdlab-' + 6 random hex digits */
  name?: string;
  /** @default 3 (1 to 50) */
  hosts?: number;
  /** @default $ETCD_LAB_DIR/<name>, else <repo>/.lab/<name> */
  stateDir?: string;
  /** Holds the rootfs tarball and Debian's etcd 3.4 release; optional (a cold machine builds them). @default <toolchain cache root>/lab ($ETCD_CACHE_DIR) */
  cacheDir?: string;
  /** @default console.log */
  log?: (s: string) => void;
  /**
   * A persistent lab outlives the process that made it (the CLI); otherwise the lab is torn down
   * when its process exits, is signalled, or dies (a watchdog notices).
   * @default false
   */
  persistent?: boolean;
}

const ownedLabs = new Set<Lab>();
let exitHandlersInstalled = false;

/** Best effort in plain node processes; under jest `process` is a copy that never emits, so the watchdog covers it. */
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on('exit', () => {
    for (const lab of ownedLabs) lab.downSync();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      for (const lab of ownedLabs) lab.downSync();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

export class Lab {
  readonly name: string;
  readonly hosts: LabHost[];
  readonly controllerNetns: string;
  readonly stateDir: string;
  readonly sshPrivateKeyPath: string;
  readonly artefacts: { baseUrl: string };
  readonly etcdctlPath: string;
  /** The etcd release the lab serves by default: the stack's default version, built from Go modules. */
  readonly etcdVersion: string;
  readonly timings: LabTimings;
  private readonly record: LabRecord;
  private isDown = false;

  private constructor(record: LabRecord) {
    this.record = record;
    this.name = record.name;
    this.hosts = record.hosts;
    this.controllerNetns = record.controllerNetns;
    this.stateDir = record.stateDir;
    this.sshPrivateKeyPath = record.sshPrivateKeyPath;
    this.artefacts = { baseUrl: record.artefactBaseUrl };
    this.etcdctlPath = record.etcdctlPath;
    this.etcdVersion = record.etcdVersion;
    this.timings = record.timings;
  }

  /** Builds or restores the rootfs, creates the network, boots the hosts and starts the artefact server. */
  static async up(opts: LabOptions = {}): Promise<Lab> {
    const log = opts.log ?? ((s: string) => console.log(s));
    const started = Date.now();
    const timings: LabTimings = {};
    await ensureLabPrerequisites(log);
    timings.prerequisitesMs = Date.now() - started;

    const name = opts.name ?? `${DEFAULT_NAME_PREFIX}${crypto.randomBytes(3).toString('hex')}`;
    if (!/^[a-z][a-z0-9-]{0,23}$/.test(name)) {
      throw new Error(`lab name ${JSON.stringify(name)} must be 1-24 lowercase letters, digits or '-', starting with a letter`);
    }
    const count = opts.hosts ?? 3;
    if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) throw new Error(`hosts must be 1..${MAX_HOSTS}, got ${count}`);
    const stateDir = path.resolve(opts.stateDir ?? path.join(labsRoot(), name));
    if (fs.existsSync(registryFile(name)) || fs.existsSync(stateDir)) {
      throw new Error(`lab ${name} already exists (${stateDir}); take it down first, or pick another name`);
    }
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, STATE_MARKER), 'state of an etcd lab; deleted by its teardown\n');

    const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir());
    const controllerNetns = controllerNetnsName(name);
    const hosts: LabHost[] = Array.from({ length: count }, (_, i) => ({
      name: `e${i + 1}`,
      address: hostAddress(i + 1),
      netns: hostNetnsName(name, `e${i + 1}`),
    }));
    const pid = process.pid;
    const record: LabRecord = {
      name,
      stateDir,
      cacheDir,
      rootfsDir: path.join(stateDir, 'rootfs'),
      hosts,
      controllerNetns,
      sshPrivateKeyPath: path.join(stateDir, 'ssh', 'id_ed25519'),
      artefactBaseUrl: artefactBaseUrl(),
      etcdctlPath: path.join(stateDir, 'bin', 'etcdctl'),
      etcdVersion: DEFAULT_ETCD_VERSION,
      owner: opts.persistent ? null : { pid, startTime: processStartTime(pid) ?? '' },
      createdAt: new Date().toISOString(),
      timings,
    };
    // Registered before anything is made, so a crash half-way leaves something sweepLabs can find.
    writeRecord(record);
    const lab = new Lab(record);
    if (record.owner) {
      ownedLabs.add(lab);
      installExitHandlers();
      record.watchdogPid = startWatchdog(record);
      writeRecord(record);
    }
    try {
      await lab.build(log);
      timings.upMs = Date.now() - started;
      writeRecord(record);
      return lab;
    } catch (e) {
      log(`[lab] ${name} failed to come up; tearing it down: ${String(e)}`);
      await lab.down().catch((d) => log(`[lab] teardown after failure also failed: ${String(d)}`));
      throw e;
    }
  }

  /** A running lab by name, made by another process (the CLI, say). Its `down()` works as usual. */
  static attach(name: string): Lab {
    const record = readRecord(name);
    if (!record) throw new Error(`no lab named ${name} on this machine (no ${registryFile(name)})`);
    return new Lab(record);
  }

  private async build(log: (s: string) => void): Promise<void> {
    const r = this.record;
    const t = r.timings;
    log(`[lab] ${r.name}: ${r.hosts.length} hosts, state in ${r.stateDir}, cache in ${r.cacheDir}`);
    const [rootfs, release, key] = await Promise.all([
      provideRootfs({ cacheDir: r.cacheDir, targetDir: r.rootfsDir, log }),
      labRelease(r.etcdVersion, r.cacheDir, log),
      generateLabKey(path.dirname(r.sshPrivateKeyPath), `etcd-lab-${r.name}`),
    ]);
    t.rootfsMs = rootfs.ms;
    t.rootfsMode = rootfs.mode;
    fs.mkdirSync(path.dirname(r.etcdctlPath), { recursive: true });
    fs.copyFileSync(path.join(release.binDir, 'etcdctl'), r.etcdctlPath);
    fs.chmodSync(r.etcdctlPath, 0o755);
    log(`[lab] rootfs ${rootfs.mode} in ${rootfs.ms} ms`);

    let mark = Date.now();
    await createNetwork(
      r.name,
      r.hosts.map((h) => ({ host: h.name, address: h.address, netns: h.netns })),
    );
    t.networkMs = Date.now() - mark;

    mark = Date.now();
    const etcHosts = [
      '127.0.0.1\tlocalhost',
      '::1\tlocalhost ip6-localhost ip6-loopback',
      `${CONTROLLER_ADDRESS}\tcontroller`,
      ...r.hosts.map((h) => `${h.address}\t${h.name}`),
      '',
    ].join('\n');
    for (const h of r.hosts) {
      prepareHostDir(this.layout(h), { authorizedKey: key.publicKey, etcHosts, machineUuid: crypto.randomUUID() });
      launchHost(this.layout(h));
    }
    await Promise.all(r.hosts.map((h) => this.waitRunning(h)));
    t.bootMs = Date.now() - mark;
    log(`[lab] ${r.hosts.length} hosts running in ${t.bootMs} ms`);

    mark = Date.now();
    startArtefactServer({
      lab: r.name,
      controllerNetns: r.controllerNetns,
      servedDir: this.servedDir(),
      logFile: path.join(r.stateDir, 'artefacts.log'),
    });
    fs.mkdirSync(this.servedDir(), { recursive: true });
    await waitFor('the artefact server', 30_000, async () => {
      const res = await this.controllerExec(['curl', '-sf', '-o', '/dev/null', r.artefactBaseUrl], { timeoutMs: 5_000 });
      return res.code === 0 ? true : undefined;
    });
    await this.publishEtcdRelease(r.etcdVersion);
    t.artefactsMs = Date.now() - mark;
  }

  private layout(host: LabHost): HostLayout {
    return {
      lab: this.name,
      name: host.name,
      address: host.address,
      netns: host.netns,
      dir: path.join(this.stateDir, 'hosts', host.name),
      rootfsDir: this.record.rootfsDir,
    };
  }

  private servedDir(): string {
    return path.join(this.stateDir, 'artefacts');
  }

  private host(host: LabHost | string): LabHost {
    const name = typeof host === 'string' ? host : host.name;
    const found = this.hosts.find((h) => h.name === name || h.address === name);
    if (!found) throw new Error(`lab ${this.name} has no host ${name} (hosts: ${this.hosts.map((h) => h.name).join(', ')})`);
    return found;
  }

  private waitRunning(host: LabHost, timeoutMs = 90_000): Promise<void> {
    return waitUntilRunning(this.controllerNetns, this.sshPrivateKeyPath, host.address, timeoutMs, host.loginUser);
  }

  /**
   * Serves etcd-vVERSION-linux-amd64.tar.gz: a real etcd release, built from etcd's Go modules
   * (3.5 and later, cached), or Debian's 3.4.23. Returns its URL and sha256.
   */
  async publishEtcdRelease(version: string = this.etcdVersion): Promise<PublishedRelease & { file: string }> {
    const release = await labRelease(version, this.record.cacheDir, () => undefined);
    return { ...publishFile(this.servedDir(), release.file, path.basename(release.file), this.artefacts.baseUrl), version, file: release.file };
  }

  /** Serves any local file under `fileName` (a corrupt download, a tarball for an air-gapped host…). */
  publishArtefact(file: string, fileName: string): { url: string; sha256: string; fileName: string } {
    return publishFile(this.servedDir(), file, fileName, this.artefacts.baseUrl);
  }

  /** Runs `script` with bash as root on the host, over ssh from the controller namespace. */
  sshExec(host: LabHost | string, script: string, opts: { timeoutMs?: number } = {}): Promise<RunResult> {
    const h = this.host(host);
    return sshRun(this.controllerNetns, this.sshPrivateKeyPath, h.address, script, { ...opts, user: h.loginUser });
  }

  /**
   * Shapes hosts like cloud images (LAB.md): a login user with the lab key and passwordless sudo,
   * and root logins refused by sshd. From then on the lab's own commands go through that user.
   */
  async cloudImageLogin(user: string, hosts: readonly (LabHost | string)[] = this.hosts): Promise<void> {
    if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(user) || user === 'root') throw new Error(`not a login user name for a cloud image: ${user}`);
    const script = [
      'set -euo pipefail',
      `id -u ${user} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${user}`,
      `home="$(getent passwd ${user} | cut -d: -f6)"`,
      `install -d -m 0700 -o ${user} -g ${user} "$home/.ssh"`,
      `install -m 0600 -o ${user} -g ${user} /root/.ssh/authorized_keys "$home/.ssh/authorized_keys"`,
      `printf '%s ALL=(ALL) NOPASSWD:ALL\n' ${user} >/etc/sudoers.d/90-${user}`,
      `chmod 0440 /etc/sudoers.d/90-${user}`,
      'install -d /etc/ssh/sshd_config.d',
      "printf 'PermitRootLogin no\n' >/etc/ssh/sshd_config.d/10-cloud-image.conf",
      'sshd -t',
      'systemctl reload ssh',
    ].join('\n');
    for (const host of hosts) {
      const h = this.host(host);
      const r = await this.sshExec(h, script, { timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(`${h.name}: could not make a cloud-image login: ${r.stderr}`);
      h.loginUser = user;
    }
    writeRecord(this.record);
  }

  /** Runs argv inside the controller namespace (`ip netns exec`): terraform, etcdctl, curl… */
  controllerExec(argv: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
    return run(['ip', 'netns', 'exec', this.controllerNetns, ...argv], opts);
  }

  /** `systemctl reboot` in the guest; resolves once it has booted again and sshd answers. */
  async rebootHost(host: LabHost | string): Promise<void> {
    const h = this.host(host);
    const before = bootCount(this.layout(h));
    await this.sshExec(h, 'systemctl reboot', { timeoutMs: 15_000 });
    await waitFor(`${h.name} to reboot`, 60_000, async () => (bootCount(this.layout(h)) > before ? true : undefined), 100);
    await this.waitRunning(h);
  }

  /** Powers the host off, keeping its overlay (its disk) for `startHost`. */
  async stopHost(host: LabHost | string): Promise<void> {
    await stopHostProcesses(this.layout(this.host(host)));
  }

  /** Boots a stopped host again from its kept overlay; resolves when it runs and sshd answers. */
  async startHost(host: LabHost | string): Promise<void> {
    const h = this.host(host);
    if (!launcherPid(this.layout(h))) launchHost(this.layout(h));
    await this.waitRunning(h);
  }

  /** IPv6 beside IPv4 on the lab's network (LAB.md); returns each host's IPv6 address by name. */
  async enableIpv6(): Promise<Record<string, string>> {
    return addIpv6(
      this.name,
      this.hosts.map((h) => ({ host: h.name, address: h.address, netns: h.netns })),
    );
  }

  /** Takes the host's link to the bridge down (unreachable host) or up again. */
  async isolateHost(host: LabHost | string, isolated: boolean): Promise<void> {
    await setHostIsolated(this.name, this.host(host).name, isolated);
  }

  /** Whether the host's launcher is alive (the guest may still be booting). */
  isHostUp(host: LabHost | string): boolean {
    return launcherPid(this.layout(this.host(host))) !== undefined;
  }

  /** Stops the hosts (poweroff, then SIGKILL), then removes everything but the cache. Idempotent. */
  async down(): Promise<void> {
    if (this.isDown) return;
    const started = Date.now();
    await Promise.all(this.hosts.map((h) => stopHostProcesses(this.layout(h), 10_000).catch(() => undefined)));
    this.downSync();
    this.timings.teardownMs = Date.now() - started;
  }

  /** The synchronous part of `down()`, for exit handlers: SIGKILL, then remove. */
  downSync(): void {
    if (this.isDown) return;
    this.isDown = true;
    ownedLabs.delete(this);
    stopWatchdog(this.record);
    teardownSync(this.name, this.stateDir);
  }

  /** Processes still in the lab's cgroups (hosts, guests, artefact server). */
  processes(): number[] {
    return labPids(this.name);
  }
}

/** Starts scripts/lab-watchdog.sh, which tears the lab down through the CLI if its owner dies. */
function startWatchdog(record: LabRecord): number | undefined {
  if (!record.owner) return undefined;
  const cli = path.join(__dirname, `cli${path.extname(__filename)}`);
  const down = nodeProcess(cli, ['down', record.name]);
  const log = fs.openSync(path.join(record.stateDir, 'watchdog.log'), 'a');
  const child = spawn(
    path.join(__dirname, 'scripts', 'lab-watchdog.sh'),
    [record.name, registryFile(record.name), String(record.owner.pid), record.owner.startTime, '--', ...down.argv],
    { detached: true, stdio: ['ignore', log, log], env: down.env },
  );
  fs.closeSync(log);
  child.unref();
  return child.pid;
}
