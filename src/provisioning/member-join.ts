import { Construct } from 'constructs';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout } from '../host/layout';
import { named } from '../private/names';
import { TerraformData } from '../private/terraform-data';
import type { EtcdBootstrap } from './bootstrap';
import { asRoot, sshConnection } from './ssh-connection';

export interface MemberJoinProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  /** The member's provisioner: the join step runs after it. */
  readonly provisioner: TerraformData;
  /** The cluster's bootstrap record: joins happen after it, and found the cluster in the apply that creates it. */
  readonly bootstrap: EtcdBootstrap;
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
}

/**
 * After the bootstrap record, each member is made a running member, all at once. In the apply that
 * creates the record, each founder starts as a member of the new cluster (`etcd-ops.sh found`:
 * one with data only makes sure it runs). Otherwise (`etcd-ops.sh ensure-member`): a founder
 * prepared earlier whose start failed starts; one with data is started if it is not running (and
 * left alone, without a probe, when it is up and READY); one without data joins the running
 * cluster as a learner under the cluster lock, and is promoted once it caught up. It never
 * bootstraps outside the apply that records the bootstrap.
 *
 * It runs once per member identity (name, address): a member whose files change is re-provisioned
 * without it (its provisioner restarts etcd where needed and leaves it running), which saves an
 * SSH session per member on every renewal, upgrade and flag change. A member without data when its
 * provisioner runs (added to a running cluster, or a host provisioned again with `-replace` after it
 * lost its data) joins from the provisioner itself (`etcd-ops.sh join-running`) when the cluster
 * answers; this step then finds it running. Only before the bootstrap, when nothing answers, is
 * starting left to this step.
 */
export class MemberJoin extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: MemberJoinProps) {
    super(scope, id);
    const { cluster, member } = props;
    this.resource = named(
      new TerraformData(this, 'join', {
        triggersReplace: { member: member.name, address: member.address },
        dependsOn: [props.bootstrap.resource, props.provisioner],
        connection: sshConnection(cluster, member, member.sshHost, props.privateKey),
        provisioners: [{ type: 'remote-exec', inline: [joinCommand(cluster, props.bootstrap.founding)] }],
      }),
      'member',
      member.name,
      'join',
    );
  }
}

/** `etcd-ops.sh found` in the apply that records the bootstrap, `ensure-member` in any other. */
function joinCommand(cluster: ResolvedCluster, founding: string): string {
  return `${asRoot(cluster, [hostLayout(cluster).installed.ops])} \${${founding} ? "found" : "ensure-member"}`;
}
