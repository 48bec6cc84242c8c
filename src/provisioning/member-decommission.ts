import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout } from '../host/layout';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';

export interface MemberDecommissionProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  /** The member's provisioner, or its removal when it is marked `remove: true`. */
  readonly after: TerraformData;
}

/**
 * What happens on a host when its member leaves the spec, and on `terraform destroy`: the member
 * leaves the cluster one at a time under the cluster lock (`member remove` only while the others
 * stay a healthy majority), then etcd is stopped and disabled and its data dir archived, never
 * deleted; the last member is only stopped, its data kept in place. Destroy-time provisioners may
 * only read `self`, so the connection details live in this resource's triggers; its key is the
 * key file or the SSH agent (a variable cannot be read at destroy time).
 */
export class MemberDecommission extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: MemberDecommissionProps) {
    super(scope, id);
    const { cluster, member } = props;
    const layout = hostLayout(cluster);
    const leave = `bash ${shellCommand([layout.installed.ops, 'leave'])}`;
    this.resource = named(
      new TerraformData(this, 'decommission', {
        triggersReplace: { host: member.sshHost, user: cluster.ssh.user, port: String(cluster.ssh.port), unit: layout.etcdUnit.name },
        dependsOn: [props.after],
        connection: {
          type: 'ssh',
          host: '${self.triggers_replace.host}',
          user: '${self.triggers_replace.user}',
          port: Token.asNumber('${self.triggers_replace.port}'),
          timeout: cluster.ssh.timeout,
          privateKey: cluster.ssh.privateKeyFile ? Fn.file(Fn.pathexpand(cluster.ssh.privateKeyFile)) : undefined,
          hostKey: member.hostKey,
          ...(cluster.ssh.bastion && {
            bastionHost: cluster.ssh.bastion.host,
            bastionUser: cluster.ssh.bastion.user,
            bastionPort: cluster.ssh.bastion.port,
            bastionHostKey: cluster.ssh.bastion.hostKey,
            bastionPrivateKey: cluster.ssh.bastion.privateKeyFile ? Fn.file(Fn.pathexpand(cluster.ssh.bastion.privateKeyFile)) : undefined,
          }),
        },
      }),
      'member',
      member.name,
      'decommission',
    );
    // cdktf's provisioner type has no `when`; the raw block says it.
    this.resource.addOverride('provisioner', [{ 'remote-exec': { when: 'destroy', inline: [terraformLiteral(leave)] } }]);
  }
}
