import { Construct } from 'constructs';
import { Fn, Token } from 'cdktf';
import { Resource as NullResource } from '@cdktf/provider-null/lib/resource';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { shellCommand } from '../shell/quote';
import { terraformLiteral } from '../files/terraform-literal';
import { hostPkiPath } from '../files/host-layout';

/**
 * What `terraform destroy` does on a host: stop and disable etcd. Data dir, PKI tree and binaries
 * stay: deleting etcd data is never silent. Destroy-time provisioners may only read `self`, so the
 * connection details live in this resource's triggers; its key is the key file or the SSH agent
 * (a variable cannot be read at destroy time).
 */
export class MemberDecommission extends Construct {
  readonly resource: NullResource;

  constructor(scope: Construct, id: string, cluster: ResolvedCluster, member: ResolvedMember, dependsOn: NullResource, prefix: string) {
    // dependsOn: the member's provisioner, or its removal when it is marked `remove: true`.
    super(scope, id);
    const unit = `${cluster.etcd.unitName}.service`;
    const message = `etcd on ${member.name} stopped and disabled; data kept in ${cluster.etcd.dataDir}, certificates in ${hostPkiPath(cluster, 'ca.crt').replace(/\/ca\.crt$/, '')}`;
    this.resource = new NullResource(this, 'decommission', {
      triggers: { host: member.sshHost, user: cluster.ssh.user, port: String(cluster.ssh.port), unit },
      dependsOn: [dependsOn],
      connection: {
        type: 'ssh',
        host: '${self.triggers.host}',
        user: '${self.triggers.user}',
        port: Token.asNumber('${self.triggers.port}'),
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
      { 'remote-exec': { when: 'destroy', inline: [terraformLiteral(`systemctl disable --now ${shellCommand([unit])} 2>/dev/null || true; echo ${shellCommand([message])}`)] } },
    ]);
    this.resource.overrideLogicalId(`${prefix}_member_${member.name}_decommission`);
  }
}
