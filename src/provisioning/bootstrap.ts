import { Construct } from 'constructs';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { hostLayout } from '../host/layout';
import { named } from '../private/names';
import { TerraformData } from '../private/terraform-data';
import { asRoot, sshConnection } from './ssh-connection';

export interface EtcdBootstrapProps {
  readonly cluster: ResolvedCluster;
  /** The members that found the cluster: those of the spec at its first apply. */
  readonly founders: readonly ResolvedMember[];
  /** Their provisioners: every founder is installed before any starts. */
  readonly after: readonly TerraformData[];
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
}

/**
 * The cluster's one bootstrap, recorded in Terraform state: created at the first apply, after every
 * founding member is installed, it prepares each of them to start as a member of a new cluster
 * (`etcd-ops.sh found`: founder after founder, nothing started, so every probe for a running
 * cluster meets closed ports and returns at once); the join steps then start them all at once. It
 * has no triggers and ignores later changes, so it never runs again: a member that starts later
 * (added, or re-provisioned after losing its data) joins the running cluster instead
 * (`etcd-ops.sh join-running` from its provisioner, or `MemberJoin`), and no later start can make a
 * second, empty cluster.
 */
export class EtcdBootstrap extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: EtcdBootstrapProps) {
    super(scope, id);
    const { cluster } = props;
    const found = asRoot(cluster, [hostLayout(cluster).installed.ops, 'found']);
    this.resource = named(
      new TerraformData(this, 'bootstrap', {
        input: { founders: props.founders.map((m) => m.name) },
        lifecycle: { ignoreChanges: ['input'] },
        dependsOn: [...props.after],
        provisioners: props.founders.map((m) => ({
          type: 'remote-exec' as const,
          inline: [found],
          connection: sshConnection(cluster, m, m.sshHost, props.privateKey),
        })),
      }),
      'bootstrap',
    );
  }
}
