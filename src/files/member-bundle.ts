import { Construct } from 'constructs';
import { File as LocalFile } from '@cdktf/provider-local/lib/file';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import { EtcdPki } from '../pki/etcd-pki';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { renderProvisionScript } from '../shell/provision-script';
import { renderEtcdUnit } from '../systemd/etcd-unit';
import { renderMembershipEnv, renderOpsScript } from '../shell/ops-script';
import { renderSnapshotService, renderSnapshotTimer } from '../systemd/snapshot-units';
import {
  MEMBERSHIP_BUNDLE_PATH,
  memberPkiFiles,
  OPS_SCRIPT_BUNDLE_PATH,
  PkiFile,
  PkiItem,
  PROVISION_SCRIPT_BUNDLE_PATH,
  SNAPSHOT_SERVICE_BUNDLE_PATH,
  SNAPSHOT_TIMER_BUNDLE_PATH,
  UNIT_BUNDLE_PATH,
} from './host-layout';
import { terraformLiteral } from './terraform-literal';

/** Local directory of a member's bundle, relative to the synthesized stack (portable). */
export const bundleDir = (cluster: ResolvedCluster, member: ResolvedMember) => `\${path.module}/${cluster.pki.localDir}/${member.name}`;

/** The PEM text (a Terraform reference) of each PKI item of a member. */
export function pemOf(pki: EtcdPki, member: ResolvedMember, item: PkiItem): string {
  const certs = pki.members[member.name];
  switch (item) {
    case 'ca.crt': return pki.caCert.certPem;
    case 'ca.key': return pki.caKey.privateKeyPem;
    case 'server.crt': return certs.server.cert.certPem;
    case 'server.key': return certs.server.key.privateKeyPem;
    case 'peer.crt': return certs.peer.cert.certPem;
    case 'peer.key': return certs.peer.key.privateKeyPem;
    case 'healthcheck-client.crt': return certs.healthcheckClient.cert.certPem;
    case 'healthcheck-client.key': return certs.healthcheckClient.key.privateKeyPem;
    case 'apiserver-etcd-client.crt': return pki.apiserverEtcdClient.cert.certPem;
    case 'apiserver-etcd-client.key': return pki.apiserverEtcdClient.key.privateKeyPem;
  }
}

/**
 * Everything one member receives, as local files: kubeadm's PKI tree under `pki/` (keys in
 * `local_sensitive_file`, 0600; certs 0644; directories 0700), the systemd unit and the
 * provisioning script. The file provisioner uploads this directory as a whole.
 */
export class MemberBundle extends Construct {
  readonly dir: string;
  readonly pkiFiles: PkiFile[];
  readonly unitText: string;
  readonly scriptText: string;
  /** Every non-PKI file of the bundle (path in bundle → text), including membership.env. */
  readonly textFiles: Readonly<Record<string, string>>;
  /** Every local file resource of the bundle, for `dependsOn`. */
  readonly resources: Array<LocalFile | SensitiveFile> = [];

  constructor(scope: Construct, id: string, cluster: ResolvedCluster, member: ResolvedMember, pki: EtcdPki, prefix: string) {
    super(scope, id);
    this.dir = bundleDir(cluster, member);
    this.pkiFiles = memberPkiFiles(cluster, member);
    this.unitText = renderEtcdUnit(cluster, member);
    this.scriptText = renderProvisionScript(cluster, member, this.pkiFiles);
    const logicalId = (path: string) => `${prefix}_${member.name}_file_${path.replace(/[^A-Za-z0-9]+/g, '_')}`;

    for (const f of this.pkiFiles) {
      const props = { filename: `${this.dir}/${f.bundlePath}`, content: pemOf(pki, member, f.item), filePermission: f.mode, directoryPermission: '0700' };
      const file = f.sensitive ? new SensitiveFile(this, f.bundlePath, props) : new LocalFile(this, f.bundlePath, props);
      file.overrideLogicalId(logicalId(f.bundlePath));
      this.resources.push(file);
    }
    const textFiles: Record<string, string> = {
      [UNIT_BUNDLE_PATH]: this.unitText,
      [PROVISION_SCRIPT_BUNDLE_PATH]: this.scriptText,
      [OPS_SCRIPT_BUNDLE_PATH]: renderOpsScript(cluster, member),
      [MEMBERSHIP_BUNDLE_PATH]: renderMembershipEnv(cluster),
      ...(cluster.snapshots.enabled && {
        [SNAPSHOT_SERVICE_BUNDLE_PATH]: renderSnapshotService(cluster),
        [SNAPSHOT_TIMER_BUNDLE_PATH]: renderSnapshotTimer(cluster),
      }),
    };
    this.textFiles = textFiles;
    for (const [path, text] of Object.entries(textFiles)) {
      const file = new LocalFile(this, path, {
        filename: `${this.dir}/${path}`,
        content: terraformLiteral(text),
        filePermission: '0644',
        directoryPermission: '0700',
      });
      file.overrideLogicalId(logicalId(path));
      this.resources.push(file);
    }
  }
}
