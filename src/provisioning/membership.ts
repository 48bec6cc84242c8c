import { Construct } from 'constructs';
import type { ResolvedCluster } from '../config/resolved';
import { hostLayout } from '../host/layout';
import type { HostScriptsAsset } from '../files/host-scripts';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { asRoot } from './ssh-connection';

const LEAVE_NOTE = (name: string): string =>
  `${name} leaves the cluster (its entry left the spec, or destroy). If its host cannot be reached, the apply stops here before anything of ${name} is destroyed: if the host is gone for good, put the entry back with remove: true, apply (the removal runs from a member that stays), then delete it.`;
const REMOVED_NOTE = (name: string): string => `${name} was removed from the cluster earlier (remove: true): nothing left to do.`;

export interface ClusterMembershipProps {
  readonly cluster: ResolvedCluster;
  /** Every member's provisioner and removal: leaving happens before they are replaced. */
  readonly after: readonly TerraformData[];
  /** The host scripts: ssh-step.sh runs from the stack's copy. */
  readonly scripts: HostScriptsAsset;
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
 * instance then runs nothing on any host, so deleting its entry works for a dead host.
 *
 * The step is OpenSSH's ssh run on the applying machine (ssh-step.sh, local-exec), not Terraform's
 * own SSH client: a destroy-time connection could not read the `ssh_private_key` variable, and
 * keeping the key in `input` would put it in plans unmasked (terraform_data's `output`:
 * hashicorp/terraform#35609). A local-exec inherits Terraform's environment, so the key is the
 * spec's key file, else TF_VAR_ssh_private_key (loaded into a private SSH agent), else the
 * caller's SSH agent: the pipeline route works without an agent.
 */
export class ClusterMembership extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: ClusterMembershipProps) {
    super(scope, id);
    const { cluster } = props;
    const { ssh } = cluster;
    const layout = hostLayout(cluster);
    // Every string of the configuration is a Terraform template: the command is escaped as such.
    const leave = asRoot(cluster, [layout.installed.ops, 'leave']);
    const instances = Object.fromEntries(
      cluster.members.map((m) => [
        m.name,
        {
          identity: { name: m.name, address: m.address },
          // Read back at destroy time as ETCD_SSH_* variables: nothing secret, '' for unset.
          connection: {
            member: m.name,
            removed: m.remove,
            command: m.remove ? '' : leave,
            note: terraformLiteral(m.remove ? REMOVED_NOTE(m.name) : LEAVE_NOTE(m.name)),
            host: m.sshHost,
            host_key: m.hostKey ?? '',
            user: ssh.user,
            port: ssh.port,
            timeout: ssh.timeout,
            key_file: ssh.privateKeyFile ?? '',
            bastion_host: ssh.bastion?.host ?? '',
            bastion_user: ssh.bastion?.user ?? '',
            bastion_port: ssh.bastion?.port ?? '',
            bastion_host_key: ssh.bastion?.hostKey ?? '',
            bastion_key_file: ssh.bastion?.privateKeyFile ?? '',
          },
        },
      ]),
    );
    this.resource = named(new TerraformData(this, 'membership', { dependsOn: [...props.after] }), 'membership');
    this.resource.addOverride('for_each', instances);
    this.resource.addOverride('triggers_replace', '${each.value.identity}');
    this.resource.addOverride('input', '${each.value.connection}');

    // The step runs ssh-step.sh on the applying machine, shipped in the synthesized stack's assets:
    // a relative path, because the stack may be planned in one place and destroyed in another.
    const script = `${props.scripts.relativeDir}/ssh-step.sh`;
    const input = (field: string): string => `\${self.input.${field}}`;
    const environment: Record<string, string> = {
      ETCD_SSH_MEMBER: input('member'),
      ETCD_SSH_NOTE: input('note'),
      ETCD_SSH_COMMAND: input('command'),
      ETCD_SSH_HOST: input('host'),
      ETCD_SSH_HOST_KEY: input('host_key'),
      ETCD_SSH_USER: input('user'),
      ETCD_SSH_PORT: input('port'),
      ETCD_SSH_TIMEOUT: input('timeout'),
      ETCD_SSH_KEY_FILE: input('key_file'),
      ETCD_SSH_BASTION_HOST: input('bastion_host'),
      ETCD_SSH_BASTION_USER: input('bastion_user'),
      ETCD_SSH_BASTION_PORT: input('bastion_port'),
      ETCD_SSH_BASTION_HOST_KEY: input('bastion_host_key'),
      ETCD_SSH_BASTION_KEY_FILE: input('bastion_key_file'),
    };
    // cdktf's provisioner types have no `when`; the raw block says it.
    this.resource.addOverride('provisioner', [{ 'local-exec': { when: 'destroy', command: shellCommand(['bash', script]), environment } }]);
  }
}
