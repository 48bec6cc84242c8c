// The randomized spec-edit campaign: from a printed seed, a sequence of random but valid spec edits
// (helpers/campaign-edits.ts) applied one by one to one lab cluster under continuous writes. After
// every apply, on the hosts: the apply succeeded; the cluster is healthy with exactly the spec's
// members, none a learner; no surviving member's id changed (no edit here changes an identity);
// etcd restarted exactly where a file it reads at start changed, and every member presents the
// server and peer certificates on its disk (etcd reads those at every new connection); every
// acknowledged write reads back.
//
// CI runs a short sequence; `npm run campaign` a longer one (CAMPAIGN_EDITS, CAMPAIGN_SEED to
// replay). A seed that found a bug goes into REGRESSION_SEEDS and runs every time.
import { execFileSync } from 'node:child_process';
import { Lab } from '../../test-doubles/lab/lab';
import { campaign, CampaignHost } from '../helpers/campaign-edits';
import { clientUrl, deployed, describeLab, log, memberIds, onHost, servedCertificates, startWriter, writerKey, writerSummary } from './support';

/** Seeds that once found a bug: each replays as its own scenario. */
const REGRESSION_SEEDS: ReadonlyArray<{ seed: number; edits: number; found: string }> = [];

const FOUNDERS = 3;
const EDITS = Number(process.env.CAMPAIGN_EDITS ?? 4);
const SEED = Number(process.env.CAMPAIGN_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** What etcd reads at start only: its unit, the CA, its keys, its binary (its certificates it reads at every new connection). */
const READ_FILES = [
  '/etc/systemd/system/etcd.service',
  '/etc/kubernetes/pki/etcd/ca.crt',
  '/etc/kubernetes/pki/etcd/server.key',
  '/etc/kubernetes/pki/etcd/peer.key',
  '/usr/local/bin/etcd',
];

interface HostState {
  readonly pid: string;
  readonly files: string;
}

async function hostStates(lab: Lab, hosts: string[]): Promise<Record<string, HostState>> {
  const out: Record<string, HostState> = {};
  for (const h of hosts) {
    const [pid, files] = (
      await onHost(lab, h, `systemctl show etcd.service -p MainPID --value; cat ${READ_FILES.join(' ')} 2>/dev/null | sha256sum | cut -c1-16`)
    ).split('\n');
    out[h] = { pid, files };
  }
  return out;
}

const alt = (address: string) => address.replace(/\.(\d+)$/, (_, n) => `.${Number(n) + 100}`);

async function runCampaign(seed: number, count: number): Promise<void> {
  const { lab, d } = await deployed(FOUNDERS + 1, FOUNDERS);
  try {
    const hosts: CampaignHost[] = lab.hosts.map((h) => ({ name: h.name, address: h.address, altAddress: alt(h.address) }));
    for (const h of lab.hosts) {
      await onHost(lab, h.name, "printf 'Port 22\\nPort 2222\\n' >>/etc/ssh/sshd_config && systemctl restart ssh");
      execFileSync('ip', ['-n', h.netns, 'addr', 'add', `${alt(h.address)}/24`, 'dev', 'eth0']);
    }
    const edits = campaign(seed, count, d.spec, hosts, FOUNDERS);
    log(`[campaign] seed ${seed}, ${count} edits:\n${edits.map((e, i) => `  ${i + 1}. ${e.what}`).join('\n')}`);
    const writerEndpoints = lab.hosts.slice(0, FOUNDERS).map((h) => clientUrl(lab, h.name));
    const acked: number[] = [];
    for (const [i, edit] of edits.entries()) {
      const where = `seed ${seed}, edit ${i + 1} (${edit.what})`;
      const activeBefore = d.spec.members.filter((m) => !m.remove).map((m) => m.name);
      const idsBefore = await memberIds(d, writerEndpoints);
      const before = await hostStates(lab, activeBefore);
      const writer = await startWriter(d, writerEndpoints);
      d.synth(edit.spec);
      const r = await d.apply();
      const w = await writer.stop();
      acked.push(...w.acked);
      log(`[campaign] ${where}: apply ${r.ms} ms, exit ${r.code}; ${writerSummary(w)}`);
      if (r.code !== 0) throw new Error(`${where}: apply failed (${r.log}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);

      const active = edit.spec.members.filter((m) => !m.remove).map((m) => m.name);
      const health = await d.etcdctl(['endpoint', 'health', '--cluster'], writerEndpoints);
      expect({ where, healthy: health.code }).toEqual({ where, healthy: 0 });
      const ids = await memberIds(d, writerEndpoints);
      expect({ where, members: Object.keys(ids).sort() }).toEqual({ where, members: [...active].sort() });
      const listed = await d.etcdctl(['member', 'list', '-w', 'simple'], writerEndpoints);
      expect({ where, learners: listed.stdout.split('\n').filter((l) => l.endsWith(', true')) }).toEqual({ where, learners: [] });

      const kept = activeBefore.filter((n) => active.includes(n));
      expect({ where, ids: kept.map((n) => ids[n]) }).toEqual({ where, ids: kept.map((n) => idsBefore[n]) });
      const after = await hostStates(lab, kept);
      const restarted = kept.filter((n) => after[n].pid !== before[n].pid);
      const changed = kept.filter((n) => after[n].files !== before[n].files);
      log(`[campaign] ${where}: files etcd reads at start changed on [${changed.join(' ')}], etcd restarted on [${restarted.join(' ')}]`);
      expect({ where, restarted }).toEqual({ where, restarted: changed });
      for (const n of kept) {
        const { served, onDisk } = await servedCertificates(lab, n);
        expect({ where, member: n, served }).toEqual({ where, member: n, served: onDisk });
      }

      expect({ where, failures: w.failures <= 2, gapUnder15s: w.maxGapMs < 15_000 }).toEqual({ where, failures: true, gapUnder15s: true });
      const read = await d.etcdctl(['get', '--prefix', '/writer/', '--keys-only'], writerEndpoints);
      const keys = new Set(read.stdout.split('\n').filter(Boolean));
      const lost = acked.filter((n) => !keys.has(writerKey(n)));
      expect({ where, lost: lost.length }).toEqual({ where, lost: 0 });
      // The next edit's writer starts its keys again at 1: clear them so "acknowledged" stays exact.
      await d.etcdctl(['del', '--prefix', '/writer/'], writerEndpoints);
      acked.length = 0;
    }
    expect((await d.plan()).code).toBe(0);
  } finally {
    await lab.down();
  }
}

describeLab('spec-edit campaign', () => {
  test(
    `spec-edit campaign: ${EDITS} random edits (seed ${SEED}), invariants checked on the hosts after each`,
    async () => {
      await runCampaign(SEED, EDITS);
    },
    900_000 + EDITS * 180_000,
  );

  for (const r of REGRESSION_SEEDS) {
    test(
      `spec-edit campaign regression: seed ${r.seed} (${r.found})`,
      async () => {
        await runCampaign(r.seed, r.edits);
      },
      900_000 + r.edits * 180_000,
    );
  }
});
