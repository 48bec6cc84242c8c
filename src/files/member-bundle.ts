import { Construct } from 'constructs';
import { File as LocalFile } from '@cdktf/provider-local/lib/file';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { BUNDLE, memberPkiFiles, PkiFile, PkiItem } from '../host/layout';
import { memberManifest, renderManifest } from '../host/manifest';
import { ClusterIdentityRefs, renderParams } from '../host/params';
import { renderEtcdUnit } from '../host/units';
import type { EtcdPki, LeafCertificate } from '../pki/etcd-pki';
import type { AttributeRef } from '../private/attribute-ref';
import { named } from '../private/names';
import { terraformLiteral } from '../private/terraform-literal';
import type { SharedBundleTexts } from './bundle-texts';

/** Local directory of a member's bundle, relative to the synthesized stack (portable). */
export const bundleDir = (cluster: ResolvedCluster, member: ResolvedMember): string => `\${path.module}/${cluster.pki.localDir}/${member.name}`;

/** The PEM of each PKI item of a member: a reference to the attribute that holds it. */
export function pemOf(pki: EtcdPki, member: ResolvedMember, item: PkiItem): AttributeRef {
  if (item === 'ca.crt') return pki.caCertPem;
  if (item === 'ca.key') return pki.caKeyPem;
  const certs = pki.members[member.name];
  const leaves: Record<string, LeafCertificate> = {
    server: certs.server,
    peer: certs.peer,
    'healthcheck-client': certs.healthcheckClient,
    'apiserver-etcd-client': pki.apiserverEtcdClient,
  };
  const leaf = leaves[item.replace(/\.(crt|key)$/, '')];
  return item.endsWith('.key') ? leaf.keyPem : leaf.certPem;
}

export interface MemberBundleProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  /** Where the member's certificates and keys come from. */
  readonly pki: EtcdPki;
  /** The cluster identity's expressions, for params.env. */
  readonly identity: ClusterIdentityRefs;
  /** The files every member holds alike, rendered once for the cluster (`sharedBundleTexts`). */
  readonly shared: SharedBundleTexts;
}

/**
 * Everything one member receives. Kubeadm's PKI tree, as local files under `pki/` in one directory
 * that the provisioner uploads as a whole (keys in `local_sensitive_file`, 0600; certs 0644;
 * directories 0700). And the generated text files that drive the host scripts: the systemd units,
 * `params.env` (every per-member value), `membership.env` and `manifest.tsv` (what goes where).
 * Those travel in the provisioner's own inline script (quoted heredocs written into the staging
 * dir), not as local files: a resource per file would cost every plan a refresh of it and every
 * deploy a step, for text the configuration already holds; the provisioner's triggers carry them
 * (membership.env aside), so a plan shows how they change.
 */
export class MemberBundle extends Construct {
  readonly dir: string;
  readonly pkiFiles: PkiFile[];
  /** Every non-PKI file of the bundle: path in the bundle → its content as Terraform text. */
  readonly texts: Readonly<Record<string, string>>;
  /** Every local file resource of the bundle, for `dependsOn`. */
  readonly resources: Array<LocalFile | SensitiveFile> = [];

  constructor(scope: Construct, id: string, props: MemberBundleProps) {
    super(scope, id);
    const { cluster, member, pki } = props;
    this.dir = bundleDir(cluster, member);
    this.pkiFiles = memberPkiFiles(cluster, member);
    for (const f of this.pkiFiles) {
      const config = {
        filename: `${this.dir}/${f.bundlePath}`,
        content: pemOf(pki, member, f.item).expression,
        filePermission: f.mode,
        directoryPermission: '0700',
      };
      const file = f.sensitive ? new SensitiveFile(this, f.bundlePath, config) : new LocalFile(this, f.bundlePath, config);
      // `etcd_e2_file_pki_etcd_server_key`: the path's separators and dots become underscores.
      this.resources.push(named(file, member.name, 'file', f.bundlePath.replace(/[^A-Za-z0-9]+/g, '_')));
    }
    const { shared } = props;
    this.texts = {
      [BUNDLE.unit]: terraformLiteral(renderEtcdUnit(cluster, member)),
      ...(shared.snapshots && {
        [BUNDLE.snapshotService]: shared.snapshots.service,
        [BUNDLE.snapshotTimer]: shared.snapshots.timer,
      }),
      [BUNDLE.params]: renderParams(cluster, member, props.identity),
      [BUNDLE.manifest]: terraformLiteral(renderManifest(memberManifest(cluster, member))),
      [BUNDLE.membership]: shared.membership,
    };
  }
}
