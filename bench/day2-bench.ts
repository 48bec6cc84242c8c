// The change scenarios on a deployed cluster, each a spec edit applied with timedChange:
//   one-member change  an extra SAN on one member's certificates: that member alone is
//                      re-provisioned; etcd reads its new certificates at its next connections, so
//                      it does not restart (checked: the SAN is in its server.crt, and served)
//   rolling renewal    `pki.certValidityHours: 8000`: every leaf certificate re-issued, no member
//                      restarted (checked: every server.crt changed, and served)
//   rolling upgrade    a newer etcd release: every member snapshotted, upgraded and restarted one
//                      at a time (checked: every member runs the new version)
// The rolling ones run the continuous writer through the apply, as the e2e day-2 scenarios do.
import { X509Certificate } from 'node:crypto';
import { PublishedRelease } from '../test-doubles/lab/artefacts';
import { LabDeployment } from '../test-doubles/lab/deploy';
import { Lab, LabHost } from '../test-doubles/lab/lab';
import { servedCertificates } from '../test-doubles/lab/served-certificates';
import { timedChange } from './change-bench';
import { onHost } from './host-probes';
import { ChangeRun } from './results';
import { SCENARIOS } from './scenarios';

export interface Day2Options {
  readonly round: number;
  /** Every member of the deployed cluster. */
  readonly hosts: readonly LabHost[];
  readonly logFile: string;
}

export async function oneMemberChange(lab: Lab, d: LabDeployment, member: LabHost, opts: Day2Options): Promise<ChangeRun> {
  const san = `bench-${member.name}.lab.example`;
  return timedChange(lab, d, {
    ...opts,
    scenario: SCENARIOS.change1,
    spec: { ...d.spec, members: d.spec.members.map((m) => (m.name === member.name ? { ...m, extraSans: [...(m.extraSans ?? []), san] } : m)) },
    restarts: [],
    writer: false,
    verify: async () => {
      const cert = new X509Certificate(await onHost(lab, member, 'cat /etc/kubernetes/pki/etcd/server.crt'));
      if (!(cert.subjectAltName ?? '').includes(`DNS:${san}`)) throw new Error(`${SCENARIOS.change1}: ${member.name}'s server.crt lacks DNS:${san}`);
      await expectServed(lab, [member], SCENARIOS.change1);
    },
  });
}

/** Throws unless etcd on each host presents, on its client and peer ports, the server and peer certificates on its disk. */
async function expectServed(lab: Lab, hosts: readonly LabHost[], what: string): Promise<void> {
  for (const h of hosts) {
    const { served, onDisk } = await servedCertificates(lab, h);
    if (served.join() !== onDisk.join()) throw new Error(`${what}: ${h.name} presents ${served.join(', ')}, its disk holds ${onDisk.join(', ')}`);
  }
}

const serverCertSums = (lab: Lab, hosts: readonly LabHost[]): Promise<string[]> =>
  Promise.all(hosts.map((h) => onHost(lab, h, 'sha256sum /etc/kubernetes/pki/etcd/server.crt')));

export async function rollingRenewal(lab: Lab, d: LabDeployment, opts: Day2Options): Promise<ChangeRun> {
  const before = await serverCertSums(lab, opts.hosts);
  return timedChange(lab, d, {
    ...opts,
    scenario: SCENARIOS.renewal,
    // A validity change replaces every leaf certificate (the CA stays): a forced renewal.
    spec: { ...d.spec, pki: { ...d.spec.pki, certValidityHours: 8000 } },
    restarts: [],
    writer: true,
    verify: async () => {
      const after = await serverCertSums(lab, opts.hosts);
      const kept = opts.hosts.filter((_, i) => after[i] === before[i]).map((h) => h.name);
      if (kept.length > 0) throw new Error(`${SCENARIOS.renewal}: server.crt unchanged on ${kept.join(', ')}`);
      await expectServed(lab, opts.hosts, SCENARIOS.renewal);
    },
  });
}

export async function rollingUpgrade(lab: Lab, d: LabDeployment, next: PublishedRelease, opts: Day2Options): Promise<ChangeRun> {
  return timedChange(lab, d, {
    ...opts,
    scenario: SCENARIOS.upgrade,
    spec: { ...d.spec, etcd: { ...d.spec.etcd, version: next.version, downloadUrl: next.url, sha256: next.sha256 } },
    restarts: opts.hosts.map((h) => h.name),
    writer: true,
    verify: async () => {
      const versions = await Promise.all(opts.hosts.map((h) => onHost(lab, h, '/usr/local/bin/etcd --version | head -n 1')));
      const old = opts.hosts.filter((_, i) => versions[i] !== `etcd Version: ${next.version}`).map((h) => h.name);
      if (old.length > 0) throw new Error(`${SCENARIOS.upgrade}: ${old.join(', ')} do not run etcd ${next.version} (${versions.join('; ')})`);
    },
  });
}
