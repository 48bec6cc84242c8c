import { createHash } from 'node:crypto';
import { Fn } from 'cdktf';
import { MemberBundle, pemOf } from '../files/member-bundle';
import { EtcdPki } from '../pki/etcd-pki';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { MEMBERSHIP_BUNDLE_PATH, PROVISION_SCRIPT_BUNDLE_PATH, UNIT_BUNDLE_PATH } from '../files/host-layout';

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Everything a member's provisioning depends on, as a flat map: change any input of one member
 * and only that member's terraform_data provisioner is replaced (and its provisioners re-run). Certificates
 * enter as sha256 of their PEM; a private key needs no entry of its own because a new key always
 * brings a new certificate. Nothing secret appears here, so plans stay readable.
 * membership.env (the spec's member list) is left out on purpose: adding or removing another
 * member must not re-provision this one; a member reads it only when it first starts.
 */
export function memberTriggers(cluster: ResolvedCluster, member: ResolvedMember, pki: EtcdPki, bundle: MemberBundle): Record<string, string> {
  const triggers: Record<string, string> = {
    member: member.name,
    ssh_target: `${cluster.ssh.user}@${member.sshHost}:${cluster.ssh.port}`,
    etcd_release: `${cluster.etcd.version} ${cluster.etcd.arch} ${cluster.etcd.sha256}`,
    unit_sha256: sha256Hex(bundle.unitText),
    script_sha256: sha256Hex(bundle.scriptText),
  };
  for (const [path, text] of Object.entries(bundle.textFiles)) {
    if (path !== MEMBERSHIP_BUNDLE_PATH && path !== UNIT_BUNDLE_PATH && path !== PROVISION_SCRIPT_BUNDLE_PATH) triggers[`${path}_sha256`] = sha256Hex(text);
  }
  for (const f of bundle.pkiFiles) {
    if (!f.sensitive) triggers[f.bundlePath] = Fn.sha256(pemOf(pki, member, f.item));
  }
  return triggers;
}
