import { createHash } from 'node:crypto';
import { Fn } from 'cdktf';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { MemberBundle, pemOf } from '../files/member-bundle';
import { BUNDLE } from '../host/layout';
import type { EtcdPki } from '../pki/etcd-pki';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Everything a member's provisioning depends on, as a flat map: change any input of one member
 * and only that member's provisioner is replaced (and its provisioners re-run). Files enter as
 * `<path>_sha256`, certificates as the sha256 of their PEM; a private key needs no entry of its
 * own because a new key always brings a new certificate. Nothing secret appears here, so plans
 * stay readable. membership.env (the spec's member list) is left out on purpose: adding or
 * removing another member must not re-provision this one; a member reads it only when it first
 * starts.
 */
export function memberTriggers(cluster: ResolvedCluster, member: ResolvedMember, pki: EtcdPki, bundle: MemberBundle): Record<string, string> {
  const triggers: Record<string, string> = {
    member: member.name,
    ssh_target: `${cluster.ssh.user}@${member.sshHost}:${cluster.ssh.port}`,
    etcd_release: `${cluster.etcd.version} ${cluster.etcd.arch} ${cluster.etcd.sha256}`,
  };
  for (const [path, text] of Object.entries(bundle.textFiles)) {
    if (path !== BUNDLE.membership) triggers[`${path}_sha256`] = sha256Hex(text);
  }
  for (const f of bundle.pkiFiles) {
    if (!f.sensitive) triggers[f.bundlePath] = Fn.sha256(pemOf(pki, member, f.item));
  }
  return triggers;
}
