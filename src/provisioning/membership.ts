import { Construct } from 'constructs';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout } from '../host/layout';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';

const LEAVE_NOTE = (name: string): string =>
  `${name} leaves the cluster (its entry left the spec, or destroy). If its host cannot be reached, the apply stops here before anything of ${name} is destroyed: if the host is gone for good, put the entry back with remove: true, apply (the removal runs from a member that stays), then delete it.`;
const REMOVED_NOTE = (name: string): string => `${name} was removed from the cluster earlier (remove: true): nothing left to do.`;

export interface ClusterMembershipProps {
  readonly cluster: ResolvedCluster;
  /** Every member's provisioner and removal: leaving happens before they are replaced. */
  readonly after: readonly TerraformData[];
}

/**
 * One instance per member of the spec (`terraform_data.<cluster>_membership["e2"]`), whose
 * destroy-time provisioner makes the member leave the cluster: when its entry is deleted from the
 * spec (Terraform runs the destroy-time provisioners of instances a `for_each` no longer lists,
 * unlike those of resource blocks removed from the configuration), and on `terraform destroy`.
 * Leaving (`etcd-ops.sh leave`) removes the member under the cluster lock while the others stay a
 * healthy majority, then stops etcd and archives its data; the last member only stops.
 *
 * Destroy-time provisioners read only `self`, so how to reach the host is kept in `input`, which
 * updates in place: changing the SSH host, user, port, keys or bastion changes nothing on the
 * hosts. Only the member's identity (name, address) replaces an instance, and a replacement is a
 * proper leave followed by a join. A member marked `remove: true` left already (MemberRemoval): its
 * instance then runs a no-op on a member that stays, so deleting its entry works for a dead host.
 *
 * The SSH key at destroy time is the spec's key file, or the SSH agent: never the `ssh_private_key`
 * variable, which destroy-time provisioners cannot read. Keeping the key in `input` would make it
 * readable in plans (Terraform shows `terraform_data`'s `output` unmasked: hashicorp/terraform#35609).
 */
export class ClusterMembership extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: ClusterMembershipProps) {
    super(scope, id);
    const { cluster } = props;
    const { ssh } = cluster;
    const layout = hostLayout(cluster);
    const peer = cluster.members.find((m) => !m.remove) as ResolvedMember;
    // Every string of the configuration is a Terraform template: the command is escaped as such.
    const leave = terraformLiteral(`bash ${shellCommand([layout.installed.ops, 'leave'])}`);
    const instances = Object.fromEntries(
      cluster.members.map((m) => [
        m.name,
        {
          identity: { name: m.name, address: m.address },
          connection: {
            removed: m.remove,
            command: m.remove ? 'true' : leave,
            note: terraformLiteral(shellCommand([`[etcd-deploy ${m.name}] ${m.remove ? REMOVED_NOTE(m.name) : LEAVE_NOTE(m.name)}`])),
            host: m.remove ? peer.sshHost : m.sshHost,
            host_key: (m.remove ? peer.hostKey : m.hostKey) ?? null,
            user: ssh.user,
            port: ssh.port,
            timeout: ssh.timeout,
            key_file: ssh.privateKeyFile ?? null,
            bastion_host: ssh.bastion?.host ?? null,
            bastion_user: ssh.bastion?.user ?? null,
            bastion_port: ssh.bastion?.port ?? null,
            bastion_host_key: ssh.bastion?.hostKey ?? null,
            bastion_key_file: ssh.bastion?.privateKeyFile ?? null,
          },
        },
      ]),
    );
    this.resource = named(new TerraformData(this, 'membership', { dependsOn: [...props.after] }), 'membership');
    this.resource.addOverride('for_each', instances);
    this.resource.addOverride('triggers_replace', '${each.value.identity}');
    this.resource.addOverride('input', '${each.value.connection}');

    const c = 'self.input';
    const key = ssh.privateKeyFile ? `\${file(pathexpand(${c}.key_file))}` : undefined;
    const bastionKey = ssh.bastion?.privateKeyFile ? `\${file(pathexpand(${c}.bastion_key_file))}` : key;
    const connection: Record<string, unknown> = {
      type: 'ssh',
      host: `\${${c}.host}`,
      user: `\${${c}.user}`,
      port: `\${${c}.port}`,
      timeout: `\${${c}.timeout}`,
      host_key: `\${${c}.host_key}`,
      ...(key && { private_key: key }),
      ...(ssh.bastion && {
        bastion_host: `\${${c}.bastion_host}`,
        bastion_user: `\${${c}.bastion_user}`,
        bastion_port: `\${${c}.bastion_port}`,
        bastion_host_key: `\${${c}.bastion_host_key}`,
        ...(bastionKey && { bastion_private_key: bastionKey }),
      }),
    };
    // cdktf's provisioner types have no `when`; the raw blocks say it. The note is printed on the
    // applying machine first, so that an unreachable host's SSH error comes with what to do.
    this.resource.addOverride('provisioner', [
      { 'local-exec': { when: 'destroy', command: `echo \${${c}.note}` } },
      { 'remote-exec': { when: 'destroy', inline: [`\${${c}.command}`], connection } },
    ]);
  }
}
