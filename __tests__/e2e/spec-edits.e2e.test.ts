// No spec edit may cost the cluster a member: spec edits applied to lab clusters running real etcd,
// checked on the hosts (member ids, etcd's MainPID, data, keys), with the write gap logged where
// writes run. Run one with: npm run test:e2e -- -t "connection changes" (or "entry deleted",
// "learner joins", "preflight").
import { execFileSync } from 'node:child_process';
import { Lab } from '../../test-doubles/lab/lab';
import { LabDeployment } from '../../test-doubles/lab/deploy';
import { ClusterSpec } from '../../src/config/types';
import { LOCK_NAME } from '../../src/host/params';
import {
  clientUrl,
  deployed,
  describeLab,
  etcdProcesses,
  expectTerraformOk,
  hostLines,
  log,
  memberIds,
  memberNames,
  onHost,
  planned,
  startWriter,
  writerKey,
  WriterReport,
  writerSummary,
} from './support';

const names = (n: number) => Array.from({ length: n }, (_, i) => `e${i + 1}`);
const urls = (lab: Lab, hosts: string[]) => hosts.map((h) => clientUrl(lab, h));

function logWrites(what: string, ms: number, w: WriterReport): void {
  log(`[${what}] apply ${ms} ms; ${writerSummary(w)}`);
}

/** Writes kept flowing: no lost quorum (that would be a long gap and many failures). */
function expectWritesFlowed(w: WriterReport): void {
  expect(w.writes).toBeGreaterThan(20);
  expect(w.failures).toBeLessThanOrEqual(2);
  expect(w.maxGapMs).toBeLessThan(10_000);
}

/** Every key the writer had acknowledged reads back. */
async function expectWritesKept(d: LabDeployment, w: WriterReport, endpoints: string[]): Promise<void> {
  const r = await d.etcdctl(['get', '--prefix', '/writer/', '--keys-only'], endpoints);
  const keys = new Set(r.stdout.split('\n').filter(Boolean));
  expect(keys.size).toBeGreaterThanOrEqual(w.writes);
  expect(keys.has(writerKey(w.lastKey))).toBe(true);
}

/** The lab host's second address (the connection changes add it): .11 → .111. */
const second = (address: string): string => address.replace(/\.(\d+)$/, (_, n) => `.${Number(n) + 100}`);

/** What a plan changes of e1's and e2's resources. */
const ofE1E2 = (p: ReturnType<typeof planned>): string[] => [...p.replaced, ...p.destroyed, ...p.updated].filter((a) => /_e[12](_|$)|\["e[12]"\]/.test(a));

const stateList = async (d: LabDeployment): Promise<string[]> => (await d.terraform(['state', 'list'])).stdout.split('\n').filter(Boolean);

describeLab('connection changes', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => {
    ({ lab, d } = await deployed(3, 3));
    // sshd also on port 2222, and a second address per host for sshHost.
    for (const h of lab.hosts) {
      await onHost(lab, h.name, "printf 'Port 22\\nPort 2222\\n' >>/etc/ssh/sshd_config && systemctl restart ssh");
      execFileSync('ip', ['-n', h.netns, 'addr', 'add', `${second(h.address)}/24`, 'dev', 'eth0']);
    }
  }, 900_000);
  afterAll(async () => lab?.down(), 120_000);

  test('connection changes: ssh.port and sshHost update in place; nothing runs on the hosts, no member leaves or restarts', async () => {
    const ids = await memberIds(d);
    const pids = await etcdProcesses(lab, names(3));
    for (const [what, spec] of [
      ['ssh.port 22 → 2222', { ...d.spec, ssh: { ...d.spec.ssh, port: 2222 } }],
      ['sshHost → second addresses', { ...d.spec, members: d.spec.members.map((m) => ({ ...m, sshHost: second(m.address) })) }],
    ] as Array<[string, ClusterSpec]>) {
      d.synth(spec);
      const plan = await d.plan();
      const p = planned(plan.stdout);
      log(`[connection changes] ${what}: plan ${JSON.stringify(p)}`);
      expect(p).toEqual({ replaced: [], destroyed: [], created: [], updated: names(3).map((n) => `terraform_data.etcd_membership["${n}"]`) });
      const r = await d.apply();
      expectTerraformOk(r, what);
      expect(r.stdout).not.toContain('remote-exec');
      expect(await memberIds(d)).toEqual(ids);
      expect(await etcdProcesses(lab, names(3))).toEqual(pids);
    }
    expect((await d.plan()).code).toBe(0);
  }, 600_000);

  test('connection changes: a unit rename or a data dir move is refused on every host before anything changes; set back, it converges untouched', async () => {
    const ids = await memberIds(d);
    const pids = await etcdProcesses(lab, names(3));
    const kept = d.spec;
    d.synth({ ...kept, etcd: { ...kept.etcd, unitName: 'etcd-main', dataDir: '/var/lib/etcd-main' } });
    const r = await d.apply();
    expect(r.code).not.toBe(0);
    const out = r.stdout + r.stderr;
    for (const h of names(3)) {
      expect(out).toContain(`[etcd-deploy ${h}] ERROR: refusing to provision ${h} on host ${h}, before changing anything:`);
      expect(await onHost(lab, h, 'ls /etc/systemd/system/etcd-main.service /var/lib/etcd-main 2>/dev/null | wc -l')).toBe('0');
    }
    expect(out).toContain(
      'etcd.unitName changed from etcd to etcd-main: renaming the unit of a running member is not supported; set etcd.unitName back to etcd',
    );
    expect(out).toContain('etcd.dataDir changed from /var/lib/etcd to /var/lib/etcd-main: moving a member');
    d.synth(kept);
    expectTerraformOk(await d.apply(), 'set back');
    expect(await memberIds(d)).toEqual(ids);
    expect(await etcdProcesses(lab, names(3))).toEqual(pids);
    expect((await d.plan()).code).toBe(0);
  }, 600_000);

  // A member's identity (its address, its name) is the one edit that may replace it, and then as
  // a leave followed by a learner join (README: "a member's address or name").
  test("identity changes: a member's new address replaces it: it leaves, joins again as a learner at the new address; the others keep ids and processes, writes continue", async () => {
    const ids = await memberIds(d);
    const pids = await etcdProcesses(lab, ['e1', 'e2']);
    const e3 = lab.hosts[2];
    const moved = second(e3.address);
    // As on a re-addressed host, e3 now talks to its peers from the new address: etcd checks a
    // peer certificate's IP SANs (or what its DNS names resolve to) against where a connection comes from.
    execFileSync('ip', ['-n', e3.netns, 'route', 'replace', e3.address.replace(/\.\d+$/, '.0/24'), 'dev', 'eth0', 'scope', 'link', 'src', moved]);
    const endpoints = [...urls(lab, ['e1', 'e2']), `https://${moved}:2379`];
    const writer = await startWriter(d, urls(lab, ['e1', 'e2']));
    d.synth({ ...d.spec, members: d.spec.members.map((m) => (m.name === 'e3' ? { ...m, address: moved } : m)) });
    const p = planned((await d.plan()).stdout);
    log(`[identity changes] address of e3: plan ${JSON.stringify(p)}`);
    expect(p.replaced).toContain('terraform_data.etcd_membership["e3"]');
    expect(ofE1E2(p)).toEqual([]);
    const r = await d.apply();
    const w = await writer.stop();
    logWrites('address of e3 changed', r.ms, w);
    expectTerraformOk(r);
    log(hostLines(r.stdout).join('\n'));
    expect(r.stdout).toContain('[etcd-ops e3] etcd on e3 stopped and disabled; data not deleted');
    expect(r.stdout).toContain(`[etcd-ops e3] adding e3 (https://${moved}:2380) as a learner`);
    expect(r.stdout).toMatch(/\[etcd-ops e3\] promoted e3 \([0-9a-f]+\) to a voting member/);
    const after = await memberIds(d, endpoints);
    expect(Object.keys(after).sort()).toEqual(names(3));
    expect({ e1: after.e1, e2: after.e2 }).toEqual({ e1: ids.e1, e2: ids.e2 });
    expect(after.e3).not.toBe(ids.e3);
    const list = (await d.etcdctl(['member', 'list', '-w', 'simple'], endpoints)).stdout;
    expect(list).toContain(`, e3, https://${moved}:2380, https://${moved}:2379`);
    expect(await etcdProcesses(lab, ['e1', 'e2'])).toEqual(pids);
    expect(await onHost(lab, 'e3', 'ls -d /var/lib/etcd.removed-*/member/snap | wc -l')).toBe('1');
    expectWritesFlowed(w);
    await expectWritesKept(d, w, endpoints);
    expect((await d.plan()).code).toBe(0);
  }, 600_000);

  test('identity changes: a member renamed on the same host leaves under its old name and joins under its new one; the others keep ids and processes, writes continue', async () => {
    const endpoints = [...urls(lab, ['e1', 'e2']), `https://${d.spec.members[2].address}:2379`];
    const ids = await memberIds(d, endpoints);
    const pids = await etcdProcesses(lab, ['e1', 'e2']);
    const writer = await startWriter(d, urls(lab, ['e1', 'e2']));
    d.synth({ ...d.spec, members: d.spec.members.map((m) => (m.name === 'e3' ? { ...m, name: 'e3b' } : m)) });
    const p = planned((await d.plan()).stdout);
    log(`[identity changes] e3 renamed e3b: plan ${JSON.stringify(p)}`);
    expect(p.destroyed).toContain('terraform_data.etcd_membership["e3"]');
    expect(p.created).toContain('terraform_data.etcd_membership["e3b"]');
    expect(ofE1E2(p)).toEqual([]);
    // Terraform does not order e3's leave before e3b's provisioning (both start at once): the
    // cluster lock held for a while from the controller keeps e3 from leaving, so e3b meets e3's
    // stamp on the host and must wait for the handover.
    const held = d.etcdctl(['lock', LOCK_NAME, 'sleep', '8'], endpoints);
    for (let i = 0; i < 50 && (await d.etcdctl(['get', '--prefix', LOCK_NAME, '--keys-only'], endpoints)).stdout.trim() === ''; i++) {
      await new Promise((res) => setTimeout(res, 100));
    }
    const r = await d.apply();
    expect((await held).code).toBe(0);
    const w = await writer.stop();
    logWrites('e3 renamed e3b', r.ms, w);
    log(hostLines(r.stdout).join('\n'));
    expectTerraformOk(r);
    expect(r.stdout).toContain('[etcd-ops e3] etcd on e3 stopped and disabled; data not deleted');
    expect(r.stdout).toContain('[etcd-deploy e3b] host e3 holds member e3 of this cluster: waiting up to 120 s for it to leave');
    expect(r.stdout).toContain('[etcd-deploy e3b] e3 left host e3');
    expect(r.stdout).toMatch(/\[etcd-ops e3b\] adding e3b \(https:\/\/[0-9.]+:2380\) as a learner/);
    const after = await memberIds(d, endpoints);
    expect(Object.keys(after).sort()).toEqual(['e1', 'e2', 'e3b']);
    expect({ e1: after.e1, e2: after.e2 }).toEqual({ e1: ids.e1, e2: ids.e2 });
    expect(await etcdProcesses(lab, ['e1', 'e2'])).toEqual(pids);
    expect(await onHost(lab, 'e3', 'ls -d /var/lib/etcd.removed-*/member/snap | wc -l')).toBe('2');
    expectWritesFlowed(w);
    await expectWritesKept(d, w, endpoints);
    expect((await d.plan()).code).toBe(0);
  }, 600_000);
});

describeLab('entry deleted', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => ({ lab, d } = await deployed(5, 5)), 900_000);
  afterAll(async () => lab?.down(), 120_000);

  test('entry deleted: the member leaves (leadership handed off first), the others keep their ids and processes, writes continue', async () => {
    const ids = await memberIds(d);
    const pids = await etcdProcesses(lab, names(4));
    // e5 leads: deleting it must hand leadership off before the removal.
    const move = await d.etcdctl(['move-leader', ids.e5]);
    expect(move.code).toBe(0);
    const writer = await startWriter(d, urls(lab, names(3)));
    d.synth({ ...d.spec, members: d.spec.members.filter((m) => m.name !== 'e5') });
    const plan = await d.plan();
    const p = planned(plan.stdout);
    expect(p.destroyed).toContain('terraform_data.etcd_membership["e5"]');
    // Replaced: the health gate only (the member list is no member's trigger: the members that
    // stay are not re-provisioned).
    expect(p.replaced).toEqual(['terraform_data.etcd_health_check']);
    const r = await d.apply();
    const w = await writer.stop();
    logWrites('entry deleted', r.ms, w);
    expectTerraformOk(r);
    log(hostLines(r.stdout).join('\n'));
    expect(r.stdout).toContain('[etcd-ops e5] moving leadership from');
    expect(r.stdout).toContain('[etcd-ops e5] etcd on e5 stopped and disabled; data not deleted');
    expect(r.stdout).toMatch(/etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3 e4\n/);
    const after = await memberIds(d, urls(lab, names(4)));
    expect(after).toEqual(Object.fromEntries(names(4).map((n) => [n, ids[n]])));
    expect(await etcdProcesses(lab, names(4))).toEqual(pids);
    expect(await onHost(lab, 'e5', 'systemctl is-active etcd || true; systemctl is-enabled etcd || true')).toBe('inactive\ndisabled');
    expect(await onHost(lab, 'e5', 'ls -d /var/lib/etcd.removed-*/member/snap | wc -l')).toBe('1');
    expectWritesFlowed(w);
    await expectWritesKept(d, w, urls(lab, names(4)));
    expect((await d.plan()).code).toBe(0);
  }, 600_000);

  test('entry deleted: for a dead host the apply stops before anything of it is destroyed; remove: true then removes it from a member that stays', async () => {
    // A short SSH timeout first (a connection setting: an in-place update), then e4 powered off.
    d.synth({ ...d.spec, ssh: { ...d.spec.ssh, timeout: '15s' } });
    expectTerraformOk(await d.apply(), 'ssh.timeout 15s');
    await lab.stopHost('e4');
    const four = d.spec;
    d.synth({ ...four, members: four.members.filter((m) => m.name !== 'e4') });
    const before = await stateList(d);
    const failed = await d.apply();
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toContain('[etcd-deploy e4] e4 leaves the cluster (its entry left the spec, or destroy). If its host cannot be reached');
    expect(failed.stdout + failed.stderr).toMatch(/put the entry back with remove: true/);
    const stillThere = before.filter((a) => /e4/.test(a));
    expect(stillThere.length).toBeGreaterThan(20);
    expect((await stateList(d)).filter((a) => /e4/.test(a))).toEqual(stillThere);
    expect(await memberNames(d, urls(lab, names(3)))).toEqual(names(4));

    const writer = await startWriter(d, urls(lab, names(3)));
    d.synth({ ...four, members: four.members.map((m) => (m.name === 'e4' ? { ...m, remove: true } : m)) });
    const r = await d.apply();
    const w = await writer.stop();
    logWrites('remove: true of a dead host', r.ms, w);
    expectTerraformOk(r);
    expect(r.stdout).toMatch(/\[etcd-ops e\d\] removing member e4 \([0-9a-f]+\) from the cluster/);
    expect(r.stdout).toMatch(/etcd cluster healthy after \d+ attempt\(s\); members: e1 e2 e3\n/);
    expect(await memberNames(d, urls(lab, names(3)))).toEqual(names(3));
    expectWritesFlowed(w);

    // Deleting the entry now needs nothing from its host.
    d.synth({ ...four, members: four.members.filter((m) => m.name !== 'e4') });
    expectTerraformOk(await d.apply(), 'delete the removed entry');
    expect((await stateList(d)).filter((a) => /e4/.test(a))).toEqual([]);
    expect((await d.plan()).code).toBe(0);
  }, 600_000);
});

describeLab('learner joins', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => ({ lab, d } = await deployed(5, 1, { health: { timeoutSeconds: 30, intervalSeconds: 1 } })), 900_000);
  afterAll(async () => lab?.down(), 120_000);

  const spec = (n: number): ClusterSpec => ({ ...d.spec, members: lab.hosts.slice(0, n).map((h) => ({ name: h.name, address: h.address })) });
  const learners = async () => (await d.etcdctl(['member', 'list', '-w', 'simple'])).stdout.split('\n').filter((l) => l.endsWith(', true'));

  test('learner joins: 1 → 3 under writes, each new member a learner first, promoted once caught up; e1 untouched', async () => {
    const ids = await memberIds(d, urls(lab, ['e1']));
    const pids = await etcdProcesses(lab, ['e1']);
    const writer = await startWriter(d, urls(lab, ['e1']));
    d.synth(spec(3));
    const r = await d.apply();
    const w = await writer.stop();
    logWrites('learner joins 1 → 3', r.ms, w);
    expectTerraformOk(r);
    for (const h of ['e2', 'e3']) {
      expect(r.stdout).toMatch(new RegExp(`\\[etcd-ops ${h}\\] adding ${h} \\(https://[0-9.]+:2380\\) as a learner`));
      expect(r.stdout).toMatch(new RegExp(`\\[etcd-ops ${h}\\] promoted ${h} \\([0-9a-f]+\\) to a voting member`));
      expect(await onHost(lab, h, 'grep ^ETCD_INITIAL_CLUSTER_STATE= /var/lib/etcd-deploy/bootstrap.env')).toBe('ETCD_INITIAL_CLUSTER_STATE=existing');
    }
    expect((await memberIds(d, urls(lab, ['e1']))).e1).toBe(ids.e1);
    expect(await etcdProcesses(lab, ['e1'])).toEqual(pids);
    expect(await memberNames(d, urls(lab, names(3)))).toEqual(names(3));
    expect(await learners()).toEqual([]);
    expectWritesFlowed(w);
    await expectWritesKept(d, w, urls(lab, names(3)));
  }, 600_000);

  test('learner joins: a learner whose etcd cannot start is removed again; the voters never change, writes continue', async () => {
    await onHost(
      lab,
      'e4',
      "mkdir -p /etc/systemd/system/etcd.service.d && printf '[Service]\\nExecStartPre=/bin/false\\n' >/etc/systemd/system/etcd.service.d/broken.conf",
    );
    const ids = await memberIds(d, urls(lab, names(3)));
    const writer = await startWriter(d, urls(lab, names(3)));
    d.synth(spec(4));
    const r = await d.apply();
    const w = await writer.stop();
    logWrites('learner that cannot start', r.ms, w);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('e4 did not catch up with the cluster as a learner within 30 s and was removed again');
    expect(await memberIds(d, urls(lab, names(3)))).toEqual(ids);
    expect(await learners()).toEqual([]);
    expect(await onHost(lab, 'e4', 'systemctl is-active etcd || true')).toBe('inactive');
    expectWritesFlowed(w);
    await onHost(lab, 'e4', 'rm -rf /etc/systemd/system/etcd.service.d && systemctl daemon-reload');
  }, 600_000);

  test('learner joins: 3 → 5 with e5 cut off from the members: e5 never starts a cluster of its own, e4 joins; reconnected, e5 joins; writes throughout', async () => {
    const e5 = lab.hosts[4];
    const blackhole = (op: 'add' | 'del') => {
      for (const h of lab.hosts.slice(0, 4)) execFileSync('ip', ['-n', e5.netns, 'route', op, 'blackhole', `${h.address}/32`]);
    };
    blackhole('add');
    const ids = await memberIds(d, urls(lab, names(3)));
    const writer = await startWriter(d, urls(lab, names(3)));
    d.synth(spec(5));
    const cut = await d.apply();
    expect(cut.code).not.toBe(0);
    expect(cut.stdout + cut.stderr).toMatch(
      /\[etcd-ops e5\] ERROR: no running cluster answers at \S+ after 30 s\. The cluster was bootstrapped already \(Terraform recorded it\), so e5 will not start a new one/,
    );
    expect(await onHost(lab, 'e5', 'ls /var/lib/etcd-deploy/bootstrap.env /var/lib/etcd/member 2>/dev/null | wc -l; systemctl is-active etcd || true')).toBe(
      '0\ninactive',
    );
    expect(await memberNames(d, urls(lab, names(3)))).toEqual(names(4));
    blackhole('del');
    const r = await d.apply();
    const w = await writer.stop();
    logWrites('learner joins 3 → 5 (e5 cut off, then reconnected)', cut.ms + r.ms, w);
    expectTerraformOk(r);
    expect(r.stdout).toMatch(/\[etcd-ops e5\] adding e5 \(https:\/\/[0-9.]+:2380\) as a learner/);
    const after = await memberIds(d, urls(lab, names(5)));
    expect(Object.keys(after).sort()).toEqual(names(5));
    for (const n of names(3)) expect(after[n]).toBe(ids[n]);
    expect(await learners()).toEqual([]);
    expectWritesFlowed(w);
    await expectWritesKept(d, w, urls(lab, names(5)));
  }, 900_000);
});

describeLab('preflight', () => {
  let lab: Lab;
  let d: LabDeployment;
  beforeAll(async () => ({ lab, d } = await deployed(4, 3)), 900_000);
  afterAll(async () => lab?.down(), 120_000);

  /** Adds e4 and expects the apply to refuse it before anything changes on it, naming `finding`. */
  async function refused(finding: string | RegExp): Promise<void> {
    d.synth({ ...d.spec, members: lab.hosts.map((h) => ({ name: h.name, address: h.address })) });
    const r = await d.apply();
    expect(r.code).not.toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain('[etcd-deploy e4] ERROR: refusing to provision e4 on host e4, before changing anything:');
    expect(out).toMatch(finding);
    expect(await onHost(lab, 'e4', 'ls /usr/local/bin/etcd /etc/kubernetes/pki/etcd/server.crt /var/lib/etcd-deploy/member.env 2>/dev/null | wc -l')).toBe('0');
    expect(await memberNames(d, urls(lab, names(3)))).toEqual(names(3));
  }

  test("preflight: a foreign etcd unit, another cluster's data dir, or a listener on etcd's ports is refused, naming the host and what it found", async () => {
    const foreignUnit = '[Unit]\\nDescription=someone else\\x27s etcd\\n[Service]\\nExecStart=/bin/sleep infinity\\n';
    await onHost(lab, 'e4', `printf '${foreignUnit}' >/etc/systemd/system/etcd.service && systemctl daemon-reload`);
    const unitSum = await onHost(lab, 'e4', 'sha256sum /etc/systemd/system/etcd.service');
    await refused('/etc/systemd/system/etcd.service exists and was not written by this tool: choose another etcd.unitName');
    expect(await onHost(lab, 'e4', 'sha256sum /etc/systemd/system/etcd.service')).toBe(unitSum);

    await onHost(
      lab,
      'e4',
      'rm /etc/systemd/system/etcd.service && systemctl daemon-reload && mkdir -p /var/lib/etcd/member/snap && echo old >/var/lib/etcd/member/snap/db',
    );
    await refused('/var/lib/etcd holds etcd data that no member of this cluster wrote');
    expect(await onHost(lab, 'e4', 'cat /var/lib/etcd/member/snap/db')).toBe('old');

    await onHost(lab, 'e4', 'rm -rf /var/lib/etcd && systemd-run --unit=squatter systemd-socket-activate -l 2380 /bin/cat');
    await refused(/port 2380 is taken by pid \d+ \(.*systemd-socket-activate/);

    await onHost(lab, 'e4', 'systemctl stop squatter');
    const r = await d.apply();
    expectTerraformOk(r);
    expect(await memberNames(d, urls(lab, names(4)))).toEqual(names(4));
  }, 900_000);

  test('preflight: after destroy, a new deployment on the same hosts refuses the old data (a new cluster identity), and starts nothing', async () => {
    const oldId = await onHost(lab, 'e1', 'grep ^CLUSTER_ID= /var/lib/etcd-deploy/params.env');
    const token = await onHost(lab, 'e1', 'grep ^ETCD_INITIAL_CLUSTER_TOKEN= /var/lib/etcd-deploy/bootstrap.env');
    expect(token.split('=')[1]).toBe(oldId.split('=')[1]);
    expectTerraformOk(await d.destroy(), 'destroy');
    const inPlace: string[] = [];
    for (const h of names(4)) if ((await onHost(lab, h, 'test -d /var/lib/etcd/member && echo yes || true')) === 'yes') inPlace.push(h);
    expect(inPlace).toHaveLength(1); // the last member keeps its data in place
    const r = await d.apply();
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`\\[etcd-deploy ${inPlace[0]}\\] ERROR: refusing to provision`));
    expect(r.stdout + r.stderr).toMatch(new RegExp(`it holds member ${inPlace[0]} of another cluster \\(id ${oldId.split('=')[1]}`));
    for (const h of names(4)) expect(await onHost(lab, h, 'systemctl is-active etcd || true')).toBe('inactive');
    const newId = await onHost(lab, names(4).find((h) => h !== inPlace[0]) as string, 'grep ^CLUSTER_ID= /var/lib/etcd-deploy/params.env');
    expect(newId).not.toBe(oldId);
  }, 900_000);
});
