import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import type { HostScriptsAsset } from '../files/host-scripts';
import { MemberBundle, pemOf } from '../files/member-bundle';
import { BUNDLE } from '../host/layout';
import { MEMBER_SCRIPTS } from '../host/scripts';
import type { EtcdPki } from '../pki/etcd-pki';

/**
 * Everything a member's provisioning depends on, as a flat map: change any input of one member
 * and only that member's provisioner is replaced (and its provisioners re-run). The member's
 * identity (name, address), the release, each generated text file as it is (so that a plan shows
 * how the unit or the parameters change), each host script and each certificate as its sha256; a
 * private key needs no entry of its own because a new key always brings a new certificate.
 * Nothing secret appears here, so plans stay readable.
 * The SSH user is in: the work dir Terraform uploads to lives in its home (REMOTE_WORK), so a new
 * user needs one made, and re-provisioning changes nothing else (provision.sh restarts etcd only
 * for changed files it reads). Left out on purpose: the rest of how Terraform reaches the host
 * (SSH host, port, keys, bastion), which never changes what runs there; and membership.env (the
 * spec's member list), so that adding or removing another member does not re-provision this one.
 */
export function memberTriggers(
  cluster: ResolvedCluster,
  member: ResolvedMember,
  pki: EtcdPki,
  bundle: MemberBundle,
  scripts: HostScriptsAsset,
): Record<string, string> {
  const triggers: Record<string, string> = {
    member: member.name,
    address: member.address,
    etcd_release: `${cluster.etcd.version} ${cluster.etcd.arch} ${cluster.etcd.sha256}`,
    ssh_user: cluster.ssh.user,
  };
  for (const [path, text] of Object.entries(bundle.texts)) {
    if (path !== BUNDLE.membership) triggers[path] = text;
  }
  // The scripts the hosts run (ssh-step.sh runs on the applying machine: not a member's input).
  for (const name of MEMBER_SCRIPTS) triggers[`${name}_sha256`] = scripts.sha256[name];
  for (const f of bundle.pkiFiles) {
    if (!f.sensitive) triggers[f.bundlePath] = `\${sha256(${pemOf(pki, member, f.item).address})}`;
  }
  return triggers;
}
