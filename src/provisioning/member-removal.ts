import { Construct } from 'constructs';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout, memberUrls } from '../host/layout';
import { named } from '../private/names';
import { TerraformData } from '../private/terraform-data';
import { asRoot, connectionBlock, sshConnection } from './ssh-connection';

/** How long the removal waits for the removed member's host: it may be powered off for good. */
export const RETIRE_CONNECT_TIMEOUT = '20s';

export interface MemberRemovalProps {
  readonly cluster: ResolvedCluster;
  /** The member marked `remove: true`. */
  readonly member: ResolvedMember;
  /** A member that stays (the first): the removal is done from there, so it works for a dead host. */
  readonly peer: ResolvedMember;
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
}

/**
 * A member marked `remove: true` leaves the cluster, whether or not its host answers: on a member
 * that stays, under the cluster lock and only while the healthy members that remain are a majority,
 * `etcdctl member remove` (leadership moved off it first when it leads); then, on its own host if
 * that answers within RETIRE_CONNECT_TIMEOUT, etcd is stopped and disabled and its data dir
 * archived, never deleted. A host that does not answer is left as it is (its etcd, removed from the
 * cluster, cannot rejoin it).
 */
export class MemberRemoval extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: MemberRemovalProps) {
    super(scope, id);
    const { cluster, member, peer } = props;
    const ops = hostLayout(cluster).installed.ops;
    const urls = memberUrls(cluster, member);
    this.resource = named(
      new TerraformData(this, 'removal', {
        triggersReplace: { member: member.name, address: member.address },
      }),
      'member',
      member.name,
      'removal',
    );
    const onPeer = connectionBlock(sshConnection(cluster, peer, peer.sshHost, props.privateKey));
    const onHost = connectionBlock({ ...sshConnection(cluster, member, member.sshHost, props.privateKey), timeout: RETIRE_CONNECT_TIMEOUT });
    // cdktf's provisioner types have no on_failure; the raw blocks say it.
    this.resource.addOverride('provisioner', [
      {
        'remote-exec': { inline: [asRoot(cluster, [ops, 'remove-member', member.name, urls.peer, urls.client])], connection: onPeer },
      },
      { 'remote-exec': { inline: [asRoot(cluster, [ops, 'retire'])], connection: onHost, on_failure: 'continue' } },
    ]);
  }
}
