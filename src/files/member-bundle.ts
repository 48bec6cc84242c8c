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
import { BundleText, bundleText, literalBundleText, SharedBundleTexts } from './bundle-texts';

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
 * Everything one member receives, as local files in one directory that the provisioner uploads
 * as a whole: kubeadm's PKI tree under `pki/` (keys in `local_sensitive_file`, 0600; certs 0644;
 * directories 0700), the systemd units, and the generated files that drive the host scripts
 * (uploaded beside the bundle from the stack's one copy, HostScriptsAsset): `params.env` (every
 * per-member value), `membership.env` and `manifest.tsv` (what goes where).
 */
export class MemberBundle extends Construct {
  readonly dir: string;
  readonly pkiFiles: PkiFile[];
  /**
   * Every non-PKI file of the bundle: path in the bundle → its `local_file` content (Terraform
   * text: literal parts escaped, the identity's expressions left for Terraform).
   */
  readonly textFiles: Readonly<Record<string, string>>;
  /** sha256 of each of `textFiles`, for the provisioner's triggers. */
  readonly textFileSha256: Readonly<Record<string, string>>;
  /** Every local file resource of the bundle, for `dependsOn`. */
  readonly resources: Array<LocalFile | SensitiveFile> = [];

  constructor(scope: Construct, id: string, props: MemberBundleProps) {
    super(scope, id);
    const { cluster, member, pki } = props;
    this.dir = bundleDir(cluster, member);
    this.pkiFiles = memberPkiFiles(cluster, member);
    // `etcd_e2_file_pki_etcd_server_key`: the path's separators and dots become underscores.
    const fileName = (path: string): string[] => [member.name, 'file', path.replace(/[^A-Za-z0-9]+/g, '_')];

    for (const f of this.pkiFiles) {
      const config = {
        filename: `${this.dir}/${f.bundlePath}`,
        content: pemOf(pki, member, f.item).expression,
        filePermission: f.mode,
        directoryPermission: '0700',
      };
      const file = f.sensitive ? new SensitiveFile(this, f.bundlePath, config) : new LocalFile(this, f.bundlePath, config);
      this.resources.push(named(file, ...fileName(f.bundlePath)));
    }
    const { shared } = props;
    const texts: Record<string, BundleText> = {
      [BUNDLE.unit]: literalBundleText(renderEtcdUnit(cluster, member)),
      ...(shared.snapshots && {
        [BUNDLE.snapshotService]: shared.snapshots.service,
        [BUNDLE.snapshotTimer]: shared.snapshots.timer,
      }),
      [BUNDLE.params]: bundleText(renderParams(cluster, member, props.identity)),
      [BUNDLE.manifest]: literalBundleText(renderManifest(memberManifest(cluster, member))),
      [BUNDLE.membership]: shared.membership,
    };
    this.textFiles = Object.fromEntries(Object.entries(texts).map(([path, t]) => [path, t.content]));
    this.textFileSha256 = Object.fromEntries(Object.entries(texts).map(([path, t]) => [path, t.sha256]));
    for (const [path, content] of Object.entries(this.textFiles)) {
      const file = new LocalFile(this, path, {
        filename: `${this.dir}/${path}`,
        content,
        filePermission: '0644',
        directoryPermission: '0700',
      });
      this.resources.push(named(file, ...fileName(path)));
    }
  }
}
