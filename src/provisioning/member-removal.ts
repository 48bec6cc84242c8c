import { Construct } from 'constructs';
import { TerraformData } from '../private/terraform-data';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { opsScriptPath } from '../shell/ops-script';
import { shellCommand } from '../shell/quote';
import { terraformLiteral } from '../files/terraform-literal';
import { sshConnection } from './ssh-connection';

/**
 * A member marked `remove: true`: under the cluster lock, and only while the remaining healthy
 * members stay a majority, `etcdctl member remove`, then stop and disable etcd and archive the data
 * dir (never delete it). Runs on the member itself with the tools its provisioning left there.
 */
export class MemberRemoval extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, cluster: ResolvedCluster, member: ResolvedMember, privateKey: string | undefined, prefix: string) {
    super(scope, id);
    this.resource = new TerraformData(this, 'removal', {
      triggersReplace: { member: member.name, ssh_target: `${cluster.ssh.user}@${member.sshHost}:${cluster.ssh.port}` },
      connection: sshConnection(cluster, member, member.sshHost, privateKey),
      provisioners: [{ type: 'remote-exec', inline: [terraformLiteral(`bash ${shellCommand([opsScriptPath(cluster), 'remove'])}`)] }],
    });
    this.resource.overrideLogicalId(`${prefix}_member_${member.name}_removal`);
  }
}
