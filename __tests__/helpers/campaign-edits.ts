/**
 * The randomized spec-edit campaign's edits: from a seed, a reproducible sequence of valid spec
 * edits of the kinds an operator makes on a running cluster (the unit's hardening included). Pure
 * (no lab): the e2e campaign applies them and checks the invariants on the hosts; a unit test
 * checks that every edit synthesizes.
 *
 * The founding members (the first `founders` entries) are never removed, so the writer always has
 * endpoints; the spare hosts after them are added, marked `remove: true`, deleted and added again.
 */
import { ClusterSpec, MemberSpec } from '../../src/config/types';

export type EditKind =
  'ssh-port' | 'ssh-host' | 'extra-sans' | 'cert-validity' | 'snapshots' | 'release-label' | 'hardening' | 'add-member' | 'remove-member' | 'delete-entry';

export interface Edit {
  readonly kind: EditKind;
  /** What changed, for the log and the failure message. */
  readonly what: string;
  readonly spec: ClusterSpec;
}

export interface CampaignHost {
  readonly name: string;
  readonly address: string;
  /** A second address of the host, reachable over SSH (for sshHost edits). */
  readonly altAddress: string;
}

/** mulberry32: a small, seedable PRNG; the same seed gives the same campaign on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** The edits possible from `spec`, each producing the next spec. */
function candidates(spec: ClusterSpec, hosts: readonly CampaignHost[], founders: number, random: () => number, step: number): Edit[] {
  const members = spec.members;
  const active = members.filter((m) => !m.remove);
  const withMembers = (next: MemberSpec[]) => ({ ...spec, members: next });
  const edits: Edit[] = [];

  const port = spec.ssh?.port ?? 22;
  const otherPort = port === 22 ? 2222 : 22;
  edits.push({ kind: 'ssh-port', what: `ssh.port ${port} → ${otherPort}`, spec: { ...spec, ssh: { ...spec.ssh, port: otherPort } } });

  const onAlt = members.some((m) => m.sshHost !== undefined);
  edits.push({
    kind: 'ssh-host',
    what: onAlt ? 'sshHost removed (SSH to the member addresses)' : 'sshHost set to second addresses',
    spec: withMembers(
      members.map((m) => {
        if (onAlt) {
          const { sshHost: _drop, ...rest } = m;
          return rest;
        }
        return { ...m, sshHost: hosts.find((h) => h.name === m.name)?.altAddress };
      }),
    ),
  });

  const target = pick(random, active);
  const sans = target.extraSans ?? [];
  const nextSans = sans.length > 0 ? [] : [`${target.name}-${step}.etcd.example.com`];
  edits.push({
    kind: 'extra-sans',
    what: `${target.name} extraSans [${sans.join(', ')}] → [${nextSans.join(', ')}]`,
    spec: withMembers(members.map((m) => (m.name === target.name ? { ...m, extraSans: nextSans } : m))),
  });

  const validity = spec.pki?.certValidityHours ?? 8760;
  const nextValidity = validity === 8760 ? 8784 : 8760;
  edits.push({
    kind: 'cert-validity',
    what: `pki.certValidityHours ${validity} → ${nextValidity}`,
    spec: { ...spec, pki: { ...spec.pki, certValidityHours: nextValidity } },
  });

  const snaps = spec.snapshots ?? {};
  const nextSnaps = snaps.enabled ? { ...snaps, retain: (snaps.retain ?? 24) === 24 ? 3 : 24 } : { enabled: true, onCalendar: '*:*:0/30', retain: 2 };
  edits.push({ kind: 'snapshots', what: `snapshots ${JSON.stringify(snaps)} → ${JSON.stringify(nextSnaps)}`, spec: { ...spec, snapshots: nextSnaps } });

  const url = spec.etcd?.downloadUrl;
  if (url !== undefined) {
    const nextUrl = `${url.split('?')[0]}?label=${step}`;
    edits.push({
      kind: 'release-label',
      what: `etcd.downloadUrl → ${nextUrl} (same release, same sha256)`,
      spec: { ...spec, etcd: { ...spec.etcd, downloadUrl: nextUrl } },
    });
  }

  // The unit's hardening: the systemd sandbox, or the peer plane (etcd's flags): a new unit on
  // every member, so a rolling restart, no member leaving.
  const server = spec.server ?? {};
  const sandbox = server.sandbox ?? true;
  const peerPlane = server.peerPlane ?? 'peers-only';
  const nextPlane = peerPlane === 'peers-only' ? 'any-ca-cert' : 'peers-only';
  edits.push(
    random() < 0.5
      ? { kind: 'hardening', what: `server.sandbox ${sandbox} → ${!sandbox}`, spec: { ...spec, server: { ...server, sandbox: !sandbox } } }
      : { kind: 'hardening', what: `server.peerPlane ${peerPlane} → ${nextPlane}`, spec: { ...spec, server: { ...server, peerPlane: nextPlane } } },
  );

  const spares = hosts.slice(founders);
  for (const h of spares) {
    const entry = members.find((m) => m.name === h.name);
    if (entry === undefined) {
      edits.push({ kind: 'add-member', what: `add ${h.name}`, spec: withMembers([...members, { name: h.name, address: h.address }]) });
    } else if (entry.remove) {
      edits.push({ kind: 'delete-entry', what: `delete the entry of ${h.name} (remove: true)`, spec: withMembers(members.filter((m) => m.name !== h.name)) });
      edits.push({
        kind: 'add-member',
        what: `add ${h.name} again (remove: true → false)`,
        spec: withMembers(members.map((m) => (m.name === h.name ? { ...m, remove: false } : m))),
      });
    } else {
      edits.push({
        kind: 'remove-member',
        what: `${h.name} remove: true`,
        spec: withMembers(members.map((m) => (m.name === h.name ? { ...m, remove: true } : m))),
      });
    }
  }
  return edits;
}

/** `count` edits from `start`, drawn with `seed`; each edit's spec is the next edit's start. */
export function campaign(seed: number, count: number, start: ClusterSpec, hosts: readonly CampaignHost[], founders: number): Edit[] {
  const random = rng(seed);
  const edits: Edit[] = [];
  let spec = start;
  for (let step = 1; step <= count; step++) {
    const edit = pick(random, candidates(spec, hosts, founders, random, step));
    edits.push(edit);
    spec = edit.spec;
  }
  return edits;
}
