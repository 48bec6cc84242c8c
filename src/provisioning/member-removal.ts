import { Construct } from 'constructs';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout } from '../host/layout';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { sshConnection } from './ssh-connection';

export interface MemberRemovalProps {
  readonly cluster: ResolvedCluster;
  /** The member marked `remove: true`. */
  readonly member: ResolvedMember;
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
}

/**
 * A member marked `remove: true`: under the cluster lock, and only while the remaining healthy
 * members stay a majority, `etcdctl member remove`, then stop and disable etcd and archive the data
 * dir (never delete it). Runs on the member itself with the tools its provisioning left there.
 */
export class MemberRemoval extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: MemberRemovalProps) {
    super(scope, id);
    const { cluster, member } = props;
    this.resource = named(
      new TerraformData(this, 'removal', {
        triggersReplace: { member: member.name, ssh_target: `${cluster.ssh.user}@${member.sshHost}:${cluster.ssh.port}` },
        connection: sshConnection(cluster, member, member.sshHost, props.privateKey),
        provisioners: [{ type: 'remote-exec', inline: [terraformLiteral(`bash ${shellCommand([hostLayout(cluster).installed.ops, 'remove'])}`)] }],
      }),
      'member',
      member.name,
      'removal',
    );
  }
}
