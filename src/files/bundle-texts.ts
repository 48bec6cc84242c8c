/**
 * The text files of a member's bundle, as Terraform text (literal parts escaped, expressions left
 * for Terraform). The files every member holds alike (membership.env, the snapshot units) are
 * rendered and escaped once per cluster, not once per member (the host scripts are not in the
 * bundle at all: HostScriptsAsset).
 */
import type { ResolvedCluster } from '../config/resolved';
import { renderMembership } from '../host/params';
import { renderSnapshotService, renderSnapshotTimer } from '../host/units';
import { terraformLiteral } from '../private/terraform-literal';

/** The files every member's bundle holds alike. */
export interface SharedBundleTexts {
  /** Present when scheduled snapshots are enabled. */
  readonly snapshots?: { readonly service: string; readonly timer: string };
  readonly membership: string;
}

/** Renders the files every member's bundle holds alike, once for the cluster. */
export function sharedBundleTexts(cluster: ResolvedCluster): SharedBundleTexts {
  return {
    ...(cluster.snapshots.enabled && {
      snapshots: { service: terraformLiteral(renderSnapshotService(cluster)), timer: terraformLiteral(renderSnapshotTimer(cluster)) },
    }),
    membership: terraformLiteral(renderMembership(cluster)),
  };
}
