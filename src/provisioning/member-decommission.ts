import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { TerraformData } from '../private/terraform-data';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { shellCommand } from '../shell/quote';
import { terraformLiteral } from '../files/terraform-literal';
import { hostPkiPath } from '../files/host-layout';
import { opsScriptPath } from '../shell/ops-script';

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

  constructor(scope: Construct, id: string, cluster: ResolvedCluster, member: ResolvedMember, dependsOn: TerraformData, prefix: string) {
    // dependsOn: the member's provisioner, or its removal when it is marked `remove: true`.
    super(scope, id);
    const unit = `${cluster.etcd.unitName}.service`;
    const ops = opsScriptPath(cluster);
    const message = `etcd on ${member.name} stopped and disabled; data not deleted (in ${cluster.etcd.dataDir} or archived beside it), certificates kept in ${hostPkiPath(cluster, 'ca.crt').replace(/\/ca\.crt$/, '')}`;
    // A host provisioned by an older version of this tool may lack the ops script: then only stop.
    const leave = `set -e; if [ -f ${shellCommand([ops])} ]; then bash ${shellCommand([ops, 'leave'])}; else systemctl disable --now ${shellCommand([unit])}; fi; echo ${shellCommand([message])}`;
    this.resource = new TerraformData(this, 'decommission', {
      triggersReplace: { host: member.sshHost, user: cluster.ssh.user, port: String(cluster.ssh.port), unit },
      dependsOn: [dependsOn],
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
    });
    // cdktf's RemoteExecProvisioner type has no `when`; the raw block says it.
    this.resource.addOverride('provisioner', [
      { 'remote-exec': { when: 'destroy', inline: [terraformLiteral(leave)] } },
    ]);
    this.resource.overrideLogicalId(`${prefix}_member_${member.name}_decommission`);
  }
}
