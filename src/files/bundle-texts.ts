/**
 * The text files of a member's bundle, each with the sha256 the provisioner's triggers record.
 * The files every member holds alike (membership.env, the snapshot units, the host scripts) are
 * rendered, escaped and hashed once per cluster, not once per member: for 51 members that was
 * some 2 MB of hashing and a membership list rendered 51 times over.
 */
import type { ResolvedCluster } from '../config/resolved';
import { renderMembership } from '../host/params';
import { hostScript } from '../host/scripts';
import { renderSnapshotService, renderSnapshotTimer } from '../host/units';
import { sha256Hex } from '../private/sha256';
import { terraformLiteral } from '../private/terraform-literal';

/** A bundle file's `local_file` content (Terraform text) and the sha256 of that content. */
export interface BundleText {
  readonly content: string;
  readonly sha256: string;
}

/** Content that is Terraform text already (literal parts escaped, expressions left as they are). */
export const bundleText = (content: string): BundleText => ({ content, sha256: sha256Hex(content) });

/** Literal text, escaped for Terraform. */
export const literalBundleText = (text: string): BundleText => bundleText(terraformLiteral(text));

/** The files every member's bundle holds alike. */
export interface SharedBundleTexts {
  /** Present when scheduled snapshots are enabled. */
  readonly snapshots?: { readonly service: BundleText; readonly timer: BundleText };
  readonly membership: BundleText;
  readonly lib: BundleText;
  readonly provision: BundleText;
  readonly ops: BundleText;
  readonly health: BundleText;
}

/** Renders the files every member's bundle holds alike, once for the cluster. */
export function sharedBundleTexts(cluster: ResolvedCluster): SharedBundleTexts {
  return {
    ...(cluster.snapshots.enabled && {
      snapshots: { service: literalBundleText(renderSnapshotService(cluster)), timer: literalBundleText(renderSnapshotTimer(cluster)) },
    }),
    membership: literalBundleText(renderMembership(cluster)),
    lib: literalBundleText(hostScript('lib.sh')),
    provision: literalBundleText(hostScript('provision.sh')),
    ops: literalBundleText(hostScript('etcd-ops.sh')),
    health: literalBundleText(hostScript('health.sh')),
  };
}
