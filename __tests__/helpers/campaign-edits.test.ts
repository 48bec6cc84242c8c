// The campaign's edit generator: reproducible from its seed, every edit a valid spec, every kind
// drawn, the founders never removed.
import { validateClusterSpec } from '../../src/config/validate';
import { ClusterSpec } from '../../src/config/types';
import { campaign, CampaignHost, EditKind } from './campaign-edits';

const hosts: CampaignHost[] = [1, 2, 3, 4].map((n) => ({ name: `e${n}`, address: `198.51.100.${10 + n}`, altAddress: `198.51.100.${110 + n}` }));
const start: ClusterSpec = {
  members: hosts.slice(0, 3).map((h) => ({ name: h.name, address: h.address })),
  ssh: { user: 'root', privateKeyFile: '/root/.ssh/lab', timeout: '1m' },
  etcd: { version: '3.6.14', downloadUrl: 'http://198.51.100.1:8080/etcd-v3.6.14-linux-amd64.tar.gz', sha256: 'a'.repeat(64) },
};

describe('campaign edits', () => {
  test('the same seed gives the same edits; another seed other edits', () => {
    const a = campaign(42, 12, start, hosts, 3).map((e) => e.what);
    expect(campaign(42, 12, start, hosts, 3).map((e) => e.what)).toEqual(a);
    expect(campaign(43, 12, start, hosts, 3).map((e) => e.what)).not.toEqual(a);
  });

  test('every edit of 40 seeds is a valid spec; the founders stay; every kind is drawn', () => {
    const kinds = new Set<EditKind>();
    for (let seed = 1; seed <= 40; seed++) {
      for (const edit of campaign(seed, 12, start, hosts, 3)) {
        kinds.add(edit.kind);
        expect(() => validateClusterSpec(edit.spec)).not.toThrow();
        for (const founder of ['e1', 'e2', 'e3']) expect(edit.spec.members.find((m) => m.name === founder)?.remove).toBeFalsy();
      }
    }
    expect([...kinds].sort()).toEqual([
      'add-member',
      'cert-validity',
      'delete-entry',
      'extra-sans',
      'hardening',
      'release-label',
      'remove-member',
      'snapshots',
      'ssh-host',
      'ssh-port',
    ]);
  });
});
