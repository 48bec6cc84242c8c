/**
 * The text files of a member's bundle, each with the sha256 the provisioner's triggers record.
 * The files every member holds alike (membership.env, the snapshot units) are rendered, escaped
 * and hashed once per cluster, not once per member (the host scripts are not in the bundle at
 * all: HostScriptsAsset).
 */
import type { ResolvedCluster } from '../config/resolved';
import { renderMembership } from '../host/params';
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
}

/** Renders the files every member's bundle holds alike, once for the cluster. */
export function sharedBundleTexts(cluster: ResolvedCluster): SharedBundleTexts {
  return {
    ...(cluster.snapshots.enabled && {
      snapshots: { service: literalBundleText(renderSnapshotService(cluster)), timer: literalBundleText(renderSnapshotTimer(cluster)) },
    }),
    membership: literalBundleText(renderMembership(cluster)),
  };
}
