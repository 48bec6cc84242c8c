// The fault campaign: what an operator meets on day 1 and day 2 — an unreachable host, a killed or
// stopped member, an apply interrupted midway, local PKI files deleted or edited, a wrong checksum
// or a dead mirror. Every scenario ends either in a converged, healthy cluster that lost no key, or
// in a failure whose message says what is wrong and where; both are checked on the hosts.
//
// One fresh lab per scenario (state would leak otherwise). Run this file alone with
//   npx jest __tests__/e2e/faults --selectProjects e2e --runInBand
// (the path goes first: --selectProjects takes every following word as a project name), or one
// scenario with e.g.  npm run test:e2e -- -t "fault: host unreachable during first apply"
// Terraform logs and the hosts' etcd journals are kept in $TMPDIR/etcd-lab-fault-logs.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Lab } from '../../test-doubles/lab/lab';
import { LabDeployment, TerraformRun } from '../../test-doubles/lab/deploy';
import { hostEtcdctl } from '../../test-doubles/lab/host-etcdctl';
import { ClusterSpec } from '../../src/config/types';
import { clientUrl, describeLab, etcdProcess, labWithDeployment, log, memberIds, onHost, servedCertificates, tracesOf } from './support';

const HEALTHY = /etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3/;
/** The files of a member's bundle that land under /etc/kubernetes/pki (bundle path → host path). */
const PKI_FILES = [
  'apiserver-etcd-client.crt',
  'apiserver-etcd-client.key',
  'etcd/ca.crt',
  'etcd/healthcheck-client.crt',
  'etcd/healthcheck-client.key',
  'etcd/peer.crt',
  'etcd/peer.key',
  'etcd/server.crt',
  'etcd/server.key',
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const all = (r: { stdout: string; stderr: string }): string => `${r.stdout}\n${r.stderr}`;
/** Terraform's log outlives the lab (whose state dir holds it) for a post-mortem. */
const KEPT_LOGS = path.join(os.tmpdir(), 'etcd-lab-fault-logs');

/** Asserts terraform's exit code; on a mismatch the failure carries the end of its output. */
function expectExit(r: TerraformRun, code: number): void {
  fs.mkdirSync(KEPT_LOGS, { recursive: true });
  const kept = path.join(KEPT_LOGS, `${path.basename(path.dirname(path.dirname(r.log)))}-${path.basename(r.log)}`);
  fs.copyFileSync(r.log, kept);
  if (r.code !== code) {
    throw new Error(`terraform exited ${r.code}, expected ${code} (full log: ${kept})\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`);
  }
}
/** The next patch release's version: an allowed upgrade, so the host goes on to download it. */
const nextPatch = (version: string): string => version.replace(/\d+$/, (p) => String(Number(p) + 1));
const sha256 = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** terraform_datas terraform created in an apply, from its log. */
function createdNullResources(stdout: string): string[] {
  return [...stdout.matchAll(/^(terraform_data\.\S+): Creation complete/gm)].map((m) => m[1]).sort();
}

/** Resources a plan proposes to change, with the action terraform states. */
function plannedChanges(stdout: string): string[] {
  return [
    ...stdout.matchAll(
      /^\s*# (\S+) (will be created|will be updated in-place|will be destroyed|must be replaced|will be replaced, as requested|is tainted, so must be replaced)/gm,
    ),
  ]
    .map((m) => `${m[1]} ${m[2]}`)
    .sort();
}

/** Polls `etcdctl endpoint health --cluster` until it passes; returns how long it took. */
async function waitHealthy(d: LabDeployment, timeoutMs: number): Promise<{ ok: boolean; ms: number; output: string }> {
  const started = Date.now();
  let output = '';
  while (Date.now() - started < timeoutMs) {
    const r = await d.etcdctl(['endpoint', 'health', '--cluster']);
    output = all(r);
    if (r.code === 0) return { ok: true, ms: Date.now() - started, output };
    await sleep(1000);
  }
  return { ok: false, ms: Date.now() - started, output };
}

/** Member names from `etcdctl member list`, sorted, with their status column. */
async function memberList(d: LabDeployment): Promise<string[]> {
  const r = await d.etcdctl(['member', 'list', '-w', 'simple']);
  expect({ code: r.code, out: all(r) }).toMatchObject({ code: 0 });
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => {
      const c = l.split(', ');
      return `${c[2]} ${c[1]}`;
    })
    .sort();
}

async function putKeys(d: LabDeployment, prefix: string, n = 3): Promise<string[]> {
  const values: string[] = [];
  for (let i = 1; i <= n; i++) {
    const value = `${prefix}-value-${i}`;
    const r = await d.etcdctl(['put', `/faults/${prefix}/k${i}`, value]);
    expect({ code: r.code, out: all(r) }).toMatchObject({ code: 0, out: expect.stringContaining('OK') });
    values.push(value);
  }
  return values;
}

/** Reads the keys through every member's own endpoint: a key lost on one member shows. */
async function expectKeys(lab: Lab, d: LabDeployment, prefix: string, values: string[]): Promise<void> {
  for (const h of lab.hosts) {
    const r = await d.etcdctl(['get', '--prefix', `/faults/${prefix}/`, '--print-value-only'], [`https://${h.address}:2379`]);
    expect({ host: h.name, code: r.code, values: r.stdout.trim().split('\n') }).toEqual({ host: h.name, code: 0, values });
  }
}

async function mainPids(lab: Lab): Promise<Record<string, string>> {
  return Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await etcdProcess(lab, h.name)] as const)));
}

/** What etcd runs on a host: sha256 of the binaries, the install stamp, the unit state. */
async function installed(lab: Lab, host: string): Promise<string> {
  return onHost(lab, host, 'sha256sum /usr/local/bin/etcd /usr/local/bin/etcdctl; cat /var/lib/etcd-deploy/installed-release; systemctl is-active etcd');
}

/**
 * The converged-host invariant: etcd's current process started no earlier than the last change
 * of any file it reads at start (binary, unit, CA, server and peer keys). Otherwise it runs stale
 * inputs. (Its server and peer certificates it reads at every new connection: servedCertificates.)
 */
async function etcdStartedAfterItsInputs(lab: Lab, host: string): Promise<{ host: string; startedAfterInputs: boolean; detail: string }> {
  const detail = await onHost(
    lab,
    host,
    [
      'started=$(date -d "$(systemctl show etcd -p ExecMainStartTimestamp --value)" +%s)',
      'newest=$(stat -c %Y /usr/local/bin/etcd /etc/systemd/system/etcd.service /etc/kubernetes/pki/etcd/ca.crt /etc/kubernetes/pki/etcd/server.key /etc/kubernetes/pki/etcd/peer.key | sort -n | tail -1)',
      'echo "$started $newest"',
    ].join('\n'),
  );
  const [started, newest] = detail.split(' ').map(Number);
  return { host, startedAfterInputs: started >= newest, detail: `etcd started at ${started}, newest input modified at ${newest}` };
}

/** What a run must not leave: the staging copy (holds keys) in the SSH user's work dir, download dirs in the state dir. */
async function leftovers(lab: Lab, host: string): Promise<string> {
  return onHost(lab, host, '{ ls -A /root/.etcd-kubeadm-cdktf; ls -A /var/lib/etcd-deploy; } 2>/dev/null | grep -E "^(staging|download\\.)" || true');
}

/** sha256 of every PKI file on a host, keyed like the local bundle. */
async function hostPkiSums(lab: Lab, host: string): Promise<Record<string, string>> {
  const out = await onHost(lab, host, `cd /etc/kubernetes/pki && sha256sum ${PKI_FILES.join(' ')}`);
  return Object.fromEntries(
    out.split('\n').map((l) => {
      const [sum, file] = l.trim().split(/\s+/);
      return [file, sum];
    }),
  );
}

function localPkiSums(d: LabDeployment, host: string): Record<string, string> {
  return Object.fromEntries(PKI_FILES.map((f) => [f, sha256(path.join(d.stackDir, 'hosts', host, 'pki', f))]));
}

async function tearDown(lab: Lab | undefined): Promise<void> {
  const name = lab?.name;
  if (lab && name) {
    // What each host's etcd said, for a post-mortem next to the kept terraform logs.
    fs.mkdirSync(KEPT_LOGS, { recursive: true });
    const journals = await Promise.all(
      lab.hosts.map(async (h) => {
        const r = await lab.sshExec(h.name, 'systemctl status etcd --no-pager -n 0 || true; journalctl -u etcd --no-pager -n 60 || true', {
          timeoutMs: 30_000,
        });
        return `===== ${h.name} =====\n${r.stdout}${r.stderr}`;
      }),
    );
    fs.writeFileSync(path.join(KEPT_LOGS, `${name}-journals.log`), journals.join('\n'));
  }
  await lab?.down();
  if (name) expect(tracesOf(name)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describeLab('fault: host unreachable during first apply', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => {
    ({ lab, deployment: d } = await labWithDeployment(3));
    d.synth({ ...d.spec, ssh: { ...d.spec.ssh, timeout: '15s' } });
  }, 900_000);
  afterAll(() => tearDown(lab), 120_000);

  test('fault: host unreachable during first apply — the apply fails naming e3; reconnected, a re-apply converges', async () => {
    await lab.isolateHost('e3', true);
    const failed = await d.apply();
    log(`[faults] apply with e3 unplugged: exit ${failed.code} after ${failed.ms} ms (${failed.log})`);
    expectExit(failed, 1);
    const text = all(failed);
    // Which resource and which host: the operator knows where to look.
    expect(text).toMatch(/with terraform_data\.etcd_member_e3/);
    // The host it could not reach: in the error when a connection attempt failed before the
    // timeout, otherwise (a dial still hanging at the deadline: "timeout - last error: <nil>")
    // in that resource's "Connecting to remote host" lines.
    expect(text).toMatch(/198\.51\.100\.13:22|terraform_data\.etcd_member_e3 \(remote-exec\):\s+Host: 198\.51\.100\.13\n/);
    expect(text).not.toMatch(/with terraform_data\.etcd_member_e[12]\b/);
    // The health gate never ran: it waits for every member.
    expect(createdNullResources(failed.stdout)).not.toContain('terraform_data.etcd_health_check');
    expect(createdNullResources(failed.stdout)).toEqual(expect.arrayContaining(['terraform_data.etcd_member_e1', 'terraform_data.etcd_member_e2']));

    // The founders provisioned so far were not started: the one bootstrap waits for all of them,
    // so no two-member cluster formed without e3.
    for (const h of ['e1', 'e2']) {
      expect(await onHost(lab, h, 'systemctl is-active etcd || true; ls /var/lib/etcd 2>/dev/null | wc -l')).toBe('inactive\n0');
    }

    await lab.isolateHost('e3', false);
    const again = await d.apply();
    log(`[faults] re-apply with e3 back: exit ${again.code} after ${again.ms} ms (${again.log})`);
    expectExit(again, 0);
    expect(again.stdout).toMatch(HEALTHY);
    // Only what was missing ran: e3's provisioner, then the bootstrap record, the join steps (in
    // this apply, which records the bootstrap, they start all three founders), the membership
    // records and the gate; e1 and e2 were not provisioned again.
    expect(createdNullResources(again.stdout)).toEqual([
      'terraform_data.etcd_bootstrap',
      'terraform_data.etcd_health_check',
      'terraform_data.etcd_member_e1_join',
      'terraform_data.etcd_member_e2_join',
      'terraform_data.etcd_member_e3',
      'terraform_data.etcd_member_e3_join',
      'terraform_data.etcd_membership["e1"]',
      'terraform_data.etcd_membership["e2"]',
      'terraform_data.etcd_membership["e3"]',
    ]);
    for (const h of ['e1', 'e2', 'e3']) {
      expect(await onHost(lab, h, 'grep ^ETCD_INITIAL_CLUSTER_STATE= /var/lib/etcd-deploy/bootstrap.env')).toBe('ETCD_INITIAL_CLUSTER_STATE=new');
    }

    expect(await memberList(d)).toEqual(['e1 started', 'e2 started', 'e3 started']);
    const values = await putKeys(d, 'unreachable');
    await expectKeys(lab, d, 'unreachable', values);
    const plan = await d.plan();
    expectExit(plan, 0);
  }, 900_000);
});

describeLab('fault: a founder whose start never came in the apply that recorded the bootstrap', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => {
    ({ lab, deployment: d } = await labWithDeployment(3));
  }, 900_000);
  afterAll(() => tearDown(lab), 120_000);

  test('fault: a founder whose start never came in the apply that recorded the bootstrap — e1 and e2 found the cluster; the next apply starts e3 as the founder they list (its id kept), not as a learner', async () => {
    // The apply that records the bootstrap, as if e3's join step had failed before it ran: every
    // provisioner and the record are created (the record waits for all of them), e3's join is not.
    const first = await d.apply(['-target=terraform_data.etcd_member_e1_join', '-target=terraform_data.etcd_member_e2_join']);
    log(`[faults] the bootstrap without e3's join step: exit ${first.code} after ${first.ms} ms (${first.log})`);
    expectExit(first, 0);
    expect(createdNullResources(first.stdout)).toEqual([
      'terraform_data.etcd_bootstrap',
      'terraform_data.etcd_cluster',
      'terraform_data.etcd_member_e1',
      'terraform_data.etcd_member_e1_join',
      'terraform_data.etcd_member_e2',
      'terraform_data.etcd_member_e2_join',
      'terraform_data.etcd_member_e3',
    ]);
    for (const h of ['e1', 'e2']) expect(first.stdout).toContain(`[etcd-ops ${h}] bootstrapping: a founding member of a new cluster`);
    expect(await onHost(lab, 'e3', 'systemctl is-active etcd || true; ls /var/lib/etcd 2>/dev/null | wc -l')).toBe('inactive\n0');
    // Two of the three founders: a quorum, which lists e3 as never started (named by the initial
    // cluster, no client URLs published). A targeted apply writes no outputs: etcdctl runs on e1,
    // with its healthcheck-client certificate.
    const e1 = lab.hosts.find((h) => h.name === 'e1')?.address ?? '';
    const onE1 = (args: string): Promise<string> => onHost(lab, 'e1', `${hostEtcdctl(e1)} ${args}`);
    const listed = (await onE1('member list -w simple'))
      .trim()
      .split('\n')
      .map((l) => l.split(', '));
    log(`[faults] members before the next apply: ${listed.map((c) => c.join(', ')).join(' | ')}`);
    expect(listed.map((c) => [c[2], c[4] !== '']).sort()).toEqual([
      ['e1', true],
      ['e2', true],
      ['e3', false],
    ]);
    const before = Object.fromEntries(listed.map((c) => [c[2], c[0]]));
    expect(await onE1('put /faults/late-founder/k1 before-e3')).toBe('OK');

    const again = await d.apply();
    log(`[faults] the next apply: exit ${again.code} after ${again.ms} ms (${again.log})`);
    expectExit(again, 0);
    expect(again.stdout).toMatch(HEALTHY);
    expect(createdNullResources(again.stdout)).toEqual([
      'terraform_data.etcd_health_check',
      'terraform_data.etcd_member_e3_join',
      'terraform_data.etcd_membership["e1"]',
      'terraform_data.etcd_membership["e2"]',
      'terraform_data.etcd_membership["e3"]',
    ]);
    // Not the record's apply any more: ensure-member, which finds e3 listed as a founder that never
    // ran and starts it as one; no learner added, no member removed.
    expect(again.stdout).toContain('[etcd-ops e3] the running cluster lists e3 as a founder that never started: it starts as one');
    expect(again.stdout).not.toMatch(/\[etcd-ops e3\] (bootstrapping|adding e3|removing)/);
    expect(await onHost(lab, 'e3', 'grep ^ETCD_INITIAL_CLUSTER_STATE= /var/lib/etcd-deploy/bootstrap.env')).toBe('ETCD_INITIAL_CLUSTER_STATE=new');
    expect(await memberIds(d)).toEqual(before);
    expect(await memberList(d)).toEqual(['e1 started', 'e2 started', 'e3 started']);
    await expectKeys(lab, d, 'late-founder', ['before-e3']);
    expectExit(await d.plan(), 0);
  }, 900_000);
});

// ---------------------------------------------------------------------------------------------

describeLab('fault: member stopped or killed', () => {
  let lab: Lab;
  let d: LabDeployment;
  let values: string[];
  beforeAll(async () => {
    // A short health deadline from the start: changing it later changes more than the gate.
    ({ lab, deployment: d } = await labWithDeployment(3, { health: { timeoutSeconds: 30, intervalSeconds: 1 } }));
    const r = await d.apply();
    expectExit(r, 0);
    values = await putKeys(d, 'stopped');
  }, 900_000);
  afterAll(() => tearDown(lab), 120_000);

  test('fault: member stopped or killed — SIGKILLed etcd is restarted by systemd and the cluster heals', async () => {
    const before = await onHost(lab, 'e2', 'systemctl show etcd -p MainPID -p NRestarts --value | tr "\\n" " "');
    const [pidBefore, restartsBefore] = before.split(' ').map(Number);
    const killedAt = Date.now();
    await onHost(lab, 'e2', 'systemctl kill -s SIGKILL etcd.service');
    let now: string;
    for (;;) {
      now = await onHost(lab, 'e2', 'echo "$(systemctl show etcd -p MainPID -p NRestarts --value | tr "\\n" " ")$(systemctl is-active etcd || true)"');
      const [pid, , state] = now.split(' ');
      if (Number(pid) > 0 && Number(pid) !== pidBefore && state === 'active') break;
      if (Date.now() - killedAt > 90_000) throw new Error(`etcd on e2 not restarted 90 s after SIGKILL: ${now}`);
      await sleep(500);
    }
    const health = await waitHealthy(d, 90_000);
    const healedMs = Date.now() - killedAt;
    log(`[faults] SIGKILL on e2: new process active and cluster healthy after ${healedMs} ms (RestartSec=10s)`);
    expect(health).toMatchObject({ ok: true });
    const [pidAfter, restartsAfter] = now.split(' ').map(Number);
    expect(pidAfter).not.toBe(pidBefore);
    expect(restartsAfter).toBe(restartsBefore + 1);
    // RestartSec=10s plus the start: about 30 s leaves room for a busy machine.
    expect(healedMs).toBeLessThan(45_000);
    await expectKeys(lab, d, 'stopped', values);
  }, 300_000);

  test('fault: member stopped or killed — a member stopped for good fails the health gate, named UNHEALTHY; started again, a re-apply converges', async () => {
    await onHost(lab, 'e3', 'systemctl stop etcd.service');
    await sleep(12_000); // longer than RestartSec: a manual stop is not undone by Restart=always
    expect(await onHost(lab, 'e3', 'systemctl is-active etcd || true')).toBe('inactive');

    const failed = await d.apply(['-replace=terraform_data.etcd_health_check']);
    log(`[faults] health gate with e3 stopped: exit ${failed.code} after ${failed.ms} ms (${failed.log})`);
    expectExit(failed, 1);
    const text = all(failed);
    expect(text).toMatch(/etcd cluster not healthy after \d+s \(\d+ attempts\)/);
    expect(text).toMatch(/e3\s+https:\/\/198\.51\.100\.13:2379\s+UNHEALTHY/);
    expect(text).toMatch(/e1\s+https:\/\/198\.51\.100\.11:2379\s+healthy/);
    expect(text).toMatch(/e2\s+https:\/\/198\.51\.100\.12:2379\s+healthy/);
    expect(text).toContain('journalctl -u etcd -n 50');
    expect(text).toMatch(/with terraform_data\.etcd_health_check/);
    // The gate only reports: it neither restarted e3 nor touched the others.
    expect(await onHost(lab, 'e3', 'systemctl is-active etcd || true')).toBe('inactive');

    await onHost(lab, 'e3', 'systemctl start --no-block etcd.service');
    const again = await d.apply();
    log(`[faults] re-apply with e3 started: exit ${again.code} after ${again.ms} ms (${again.log})`);
    expectExit(again, 0);
    expect(again.stdout).toMatch(HEALTHY);
    expect(createdNullResources(again.stdout)).toEqual(['terraform_data.etcd_health_check']);
    expect(await memberList(d)).toEqual(['e1 started', 'e2 started', 'e3 started']);
    await expectKeys(lab, d, 'stopped', values);
  }, 600_000);

  test('fault: a host that lost everything (etcd, data, PKI, stamp) comes back with -replace of its provisioner: it joins again as a learner; the others untouched, no key lost', async () => {
    const ids = await memberIds(
      d,
      lab.hosts.map((h) => clientUrl(lab, h.name)),
    );
    const pids = await mainPids(lab);
    // The host reinstalled from its image, with the same address.
    await onHost(
      lab,
      'e3',
      'systemctl disable --now etcd.service; rm -rf /var/lib/etcd /var/lib/etcd-deploy /etc/kubernetes/pki /usr/local/bin/etcd /usr/local/bin/etcdctl /usr/local/bin/etcdutl /etc/systemd/system/etcd.service; systemctl daemon-reload',
    );
    const plan = await d.plan(['-replace=terraform_data.etcd_member_e3']);
    expectExit(plan, 2);
    expect(plannedChanges(plan.stdout)).toEqual([
      'terraform_data.etcd_health_check must be replaced',
      'terraform_data.etcd_member_e3 will be replaced, as requested',
    ]);
    const r = await d.apply(['-replace=terraform_data.etcd_member_e3']);
    log(`[faults] e3 re-provisioned after losing its data: exit ${r.code} after ${r.ms} ms (${r.log})`);
    expectExit(r, 0);
    // Its provisioner found no data while the cluster runs: it joined from there (its join step,
    // which runs once per identity, is not part of this apply).
    const own = (line: string): RegExp => new RegExp(`^terraform_data\\.etcd_member_e3 \\(remote-exec\\): \\[etcd-ops e3\\] ${line}`, 'm');
    expect(r.stdout).toMatch(own(`removing the stale member e3 \\(${ids.e3}\\): its data is gone from this host`));
    expect(r.stdout).toMatch(own('adding e3 \\(https://198\\.51\\.100\\.13:2380\\) as a learner'));
    expect(r.stdout).toMatch(own('promoted e3 \\([0-9a-f]+\\) to a voting member'));
    expect(r.stdout).toMatch(HEALTHY);
    expect(createdNullResources(r.stdout)).toEqual(['terraform_data.etcd_health_check', 'terraform_data.etcd_member_e3']);
    const after = await memberIds(
      d,
      lab.hosts.map((h) => clientUrl(lab, h.name)),
    );
    expect({ e1: after.e1, e2: after.e2 }).toEqual({ e1: ids.e1, e2: ids.e2 });
    expect(after.e3).toMatch(/^[0-9a-f]+$/);
    expect(after.e3).not.toBe(ids.e3);
    const now = await mainPids(lab);
    expect({ e1: now.e1, e2: now.e2 }).toEqual({ e1: pids.e1, e2: pids.e2 });
    expect(await onHost(lab, 'e3', 'grep ^ETCD_INITIAL_CLUSTER_STATE= /var/lib/etcd-deploy/bootstrap.env')).toBe('ETCD_INITIAL_CLUSTER_STATE=existing');
    expect(await memberList(d)).toEqual(['e1 started', 'e2 started', 'e3 started']);
    await expectKeys(lab, d, 'stopped', values);
    // Nothing left to do: the next plan is empty.
    expectExit(await d.plan(), 0);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------

/**
 * Runs on e2 while terraform applies: waits for the provisioning script, then SIGKILLs it at the
 * worst moment — right after the new server and peer certificates are in place, before the
 * restart. Prints what it did; exits 3 if the script ended before that moment (race lost).
 */
const KILL_PROVISION_AFTER_CERTS = String.raw`
set -u
pki=/etc/kubernetes/pki/etcd
cp "$pki/server.crt" /root/server.crt.before
cp "$pki/peer.crt" /root/peer.crt.before
pattern='^bash \.etcd-kubeadm-cdktf/staging/provision\.sh$'
deadline=$((SECONDS + 540))
seen=0
while [ "$SECONDS" -lt "$deadline" ]; do
  pid="$(pgrep -f "$pattern" | head -n 1 || true)"
  if [ -n "$pid" ]; then
    seen=1
    if ! cmp -s "$pki/server.crt" /root/server.crt.before && ! cmp -s "$pki/peer.crt" /root/peer.crt.before; then
      kill -KILL "$pid"
      echo "killed provision.sh (pid $pid) after the new server and peer certificates were placed"
      exit 0
    fi
  elif [ "$seen" = 1 ]; then
    echo "provision.sh ended before it could be killed"
    exit 3
  else
    sleep 0.05
  fi
done
echo "provision.sh never ran"
exit 4
`;

describeLab('fault: apply interrupted midway (provisioner killed)', () => {
  let lab: Lab;
  let d: LabDeployment;
  let values: string[];
  beforeAll(async () => {
    ({ lab, deployment: d } = await labWithDeployment(3));
    const r = await d.apply();
    expectExit(r, 0);
    values = await putKeys(d, 'interrupted');
  }, 900_000);
  afterAll(() => tearDown(lab), 120_000);

  test('fault: apply interrupted midway (provisioner killed) — the apply fails on e2; the next apply re-runs it and converges', async () => {
    const before = await mainPids(lab);
    d.synth({ ...d.spec, members: d.spec.members.map((m) => (m.name === 'e2' ? { ...m, extraSans: ['etcd-e2.lab.example'] } : m)) });
    const watcher = lab.sshExec('e2', KILL_PROVISION_AFTER_CERTS, { timeoutMs: 600_000 });
    await sleep(1000); // the watcher is polling before terraform gets to e2
    const failed = await d.apply();
    const killed = await watcher;
    log(`[faults] interrupted apply: exit ${failed.code} after ${failed.ms} ms (${failed.log}); watcher: ${killed.stdout.trim()} ${killed.stderr.trim()}`);
    expect({ code: killed.code, out: all(killed) }).toMatchObject({ code: 0 });
    expectExit(failed, 1);
    expect(all(failed)).toMatch(/with terraform_data\.etcd_member_e2/);
    // The killed run got as far as the certificates: e2 now holds new files, etcd not restarted.
    expect(await etcdProcess(lab, 'e2')).toBe(before.e2);

    const plan = await d.plan();
    expectExit(plan, 2);
    expect(plannedChanges(plan.stdout)).toEqual([
      'terraform_data.etcd_health_check will be created',
      'terraform_data.etcd_member_e2 is tainted, so must be replaced',
    ]);

    const again = await d.apply();
    log(`[faults] apply after the interruption: exit ${again.code} after ${again.ms} ms (${again.log})`);
    expectExit(again, 0);
    expect(again.stdout).toMatch(HEALTHY);
    expect(createdNullResources(again.stdout)).toEqual(['terraform_data.etcd_health_check', 'terraform_data.etcd_member_e2']);

    // Converged means: e2 runs what is on its disk (the new certificates it reads at every new
    // connection, checked by the re-run although it placed nothing new; what it reads at start,
    // unchanged), nothing restarted, the host files equal the local bundle, no key material lingers.
    expect(again.stdout).toMatch(/\[etcd-deploy e2\] etcd serves its renewed certificates \(it reads them at every new connection\): no restart/);
    const { served, onDisk } = await servedCertificates(lab, 'e2');
    expect(served).toEqual(onDisk);
    expect(await etcdStartedAfterItsInputs(lab, 'e2')).toMatchObject({ startedAfterInputs: true });
    expect(await mainPids(lab)).toEqual(before);
    expect(await hostPkiSums(lab, 'e2')).toEqual(localPkiSums(d, 'e2'));
    expect(await leftovers(lab, 'e2')).toBe('');
    const waited = await waitHealthy(d, 60_000);
    expect(waited).toMatchObject({ ok: true });
    expect(await memberList(d)).toEqual(['e1 started', 'e2 started', 'e3 started']);
    await expectKeys(lab, d, 'interrupted', values);
    expectExit(await d.plan(), 0);
  }, 900_000);
});

// ---------------------------------------------------------------------------------------------

describeLab('fault: PKI file deleted or edited locally', () => {
  let lab: Lab;
  let d: LabDeployment;
  let values: string[];
  beforeAll(async () => {
    ({ lab, deployment: d } = await labWithDeployment(3));
    const r = await d.apply();
    expectExit(r, 0);
    values = await putKeys(d, 'local-pki');
  }, 900_000);
  afterAll(() => tearDown(lab), 120_000);

  test('fault: PKI file deleted or edited locally — the plan re-creates exactly those files, the apply restores them, hosts untouched', async () => {
    const before = await mainPids(lab);
    const hostSumsBefore = Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await hostPkiSums(lab, h.name)] as const)));
    const deleted = path.join(d.stackDir, 'hosts/e1/pki/etcd/server.key');
    const edited = path.join(d.stackDir, 'hosts/e2/pki/etcd/ca.crt');
    fs.rmSync(deleted);
    fs.appendFileSync(edited, '# edited by hand\n');

    const plan = await d.plan();
    log(`[faults] plan after local PKI damage: exit ${plan.code} after ${plan.ms} ms (${plan.log})`);
    expectExit(plan, 2);
    expect(plannedChanges(plan.stdout)).toEqual([
      'local_file.etcd_e2_file_pki_etcd_ca_crt will be created',
      'local_sensitive_file.etcd_e1_file_pki_etcd_server_key will be created',
    ]);
    expect(plan.stdout).toMatch(/Plan: 2 to add, 0 to change, 0 to destroy\./);

    const r = await d.apply();
    log(`[faults] apply restoring local PKI: exit ${r.code} after ${r.ms} ms (${r.log})`);
    expectExit(r, 0);
    expect(r.stdout).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    expect(r.stdout).not.toContain('remote-exec');
    expect((fs.statSync(deleted).mode & 0o777).toString(8)).toBe('600');
    expect(fs.readFileSync(edited, 'utf8')).not.toContain('# edited by hand');

    for (const h of lab.hosts) {
      const onHostSums = await hostPkiSums(lab, h.name);
      expect({ host: h.name, sums: onHostSums }).toEqual({ host: h.name, sums: localPkiSums(d, h.name) });
      expect(onHostSums).toEqual(hostSumsBefore[h.name]);
    }
    expect(await mainPids(lab)).toEqual(before);
    expect(await waitHealthy(d, 60_000)).toMatchObject({ ok: true });
    await expectKeys(lab, d, 'local-pki', values);
    expectExit(await d.plan(), 0);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------

describeLab('fault: wrong checksum or unreachable mirror', () => {
  let lab: Lab;
  let d: LabDeployment;
  let values: string[];
  let spec: ClusterSpec;
  let baseline: Record<string, string>;
  let pids: Record<string, string>;
  beforeAll(async () => {
    ({ lab, deployment: d } = await labWithDeployment(3));
    spec = d.spec;
    const r = await d.apply();
    expectExit(r, 0);
    values = await putKeys(d, 'mirror');
    baseline = Object.fromEntries(await Promise.all(lab.hosts.map(async (h) => [h.name, await installed(lab, h.name)] as const)));
    pids = await mainPids(lab);
  }, 900_000);
  afterAll(() => tearDown(lab), 120_000);

  async function expectHostsUntouched(): Promise<void> {
    for (const h of lab.hosts) {
      expect({ host: h.name, installed: await installed(lab, h.name) }).toEqual({ host: h.name, installed: baseline[h.name] });
      expect({ host: h.name, leftovers: await leftovers(lab, h.name) }).toEqual({ host: h.name, leftovers: '' });
    }
    expect(await mainPids(lab)).toEqual(pids);
  }

  test('fault: wrong checksum or unreachable mirror — a corrupt download fails its sha256 check on every host, binaries untouched', async () => {
    // A mirror that serves a truncated tarball under the next patch release's name.
    const good = await lab.publishEtcdRelease(spec.etcd!.version);
    const truncated = path.join(lab.stateDir, 'truncated.tar.gz');
    const bytes = fs.readFileSync(path.join(lab.stateDir, 'artefacts', good.fileName));
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length >> 1));
    const next = nextPatch(spec.etcd!.version!);
    const corrupt = lab.publishArtefact(truncated, `etcd-v${next}-linux-amd64.tar.gz`);
    const expected = good.sha256; // the digest the operator pasted: not the file the mirror serves
    expect(corrupt.sha256).not.toBe(expected);
    d.synth({ ...spec, etcd: { ...spec.etcd, version: next, downloadUrl: corrupt.url, sha256: expected } });
    const r = await d.apply();
    log(`[faults] apply with a corrupt download: exit ${r.code} after ${r.ms} ms (${r.log})`);
    expectExit(r, 1);
    const text = all(r);
    for (const h of lab.hosts) {
      // What is wrong (which URL, both digests, nothing installed) and what to do about it.
      expect(text).toContain(
        `[etcd-deploy ${h.name}] ERROR: checksum mismatch for ${corrupt.url}: expected ${expected}, got ${corrupt.sha256} (installed binaries left untouched). Set etcd.sha256 in the cluster spec to the release's published sha256 (SHA256SUMS), or fix the file the mirror serves, then apply again`,
      );
      expect(text).toMatch(new RegExp(`with terraform_data\\.etcd_member_${h.name}\\b`));
    }
    await expectHostsUntouched();
  }, 600_000);

  test('fault: wrong checksum or unreachable mirror — an unreachable mirror fails with "download failed", binaries untouched', async () => {
    const url = 'http://198.51.100.1:9/etcd.tar.gz';
    d.synth({ ...spec, etcd: { ...spec.etcd, version: nextPatch(spec.etcd!.version!), downloadUrl: url, sha256: spec.etcd!.sha256 } });
    const r = await d.apply();
    log(`[faults] apply with an unreachable mirror: exit ${r.code} after ${r.ms} ms (${r.log})`);
    expectExit(r, 1);
    const text = all(r);
    for (const h of lab.hosts) {
      expect(text).toContain(
        `[etcd-deploy ${h.name}] ERROR: download failed: ${url} (installed binaries left untouched). Check etcd.downloadUrl in the cluster spec and that this host can reach it (mirror up, proxy, firewall, DNS), or upload the release from the applying machine (etcd.localTarball), then apply again`,
      );
    }
    expect(text).toMatch(/curl: \(7\)/); // curl says why: connection refused
    await expectHostsUntouched();
  }, 600_000);

  test('fault: wrong checksum or unreachable mirror — restoring the original spec converges with no change on the hosts', async () => {
    d.synth(spec);
    const r = await d.apply();
    log(`[faults] apply with the original spec restored: exit ${r.code} after ${r.ms} ms (${r.log})`);
    expectExit(r, 0);
    expect(r.stdout).toMatch(HEALTHY);
    for (const h of lab.hosts) {
      expect(r.stdout).toContain(`[etcd-deploy ${h.name}] etcd ${spec.etcd!.version} already installed in /usr/local/bin`);
      expect(r.stdout).toContain(`[etcd-deploy ${h.name}] nothing changed: etcd left running`);
    }
    expect(r.stdout).not.toMatch(/\] updated \//);
    await expectHostsUntouched();
    expect(await memberList(d)).toEqual(['e1 started', 'e2 started', 'e3 started']);
    await expectKeys(lab, d, 'mirror', values);
    expectExit(await d.plan(), 0);
  }, 600_000);
});
