import { Construct } from 'constructs';
import type { ResolvedMember } from '../config/resolved';
import { named, resourceName } from '../private/names';
import { TerraformData } from '../private/terraform-data';

export interface EtcdBootstrapProps {
  /** The members that found the cluster: those of the spec at its first apply. */
  readonly founders: readonly ResolvedMember[];
  /** Their provisioners: every founder is installed before any starts. */
  readonly after: readonly TerraformData[];
}

/**
 * The cluster's one bootstrap, recorded in Terraform state: created at the first apply, after every
 * founding member is installed, with the plan's timestamp (`plantimestamp()`) in its input. It
 * runs nothing itself and never changes (no triggers; later changes to its input are ignored).
 * The members' join steps read it: in the apply that creates it, and only there, the recorded
 * timestamp is the plan's own ({@link founding}), and each founder's join step starts it as a
 * member of a new cluster (`etcd-ops.sh found`), all founders at once. In every later apply the
 * timestamps differ: a member that starts later (added, or re-provisioned after losing its data)
 * joins the running cluster instead (`etcd-ops.sh join-running` from its provisioner, or
 * `ensure-member` from its join step), and no later start can make a second, empty cluster.
 */
export class EtcdBootstrap extends Construct {
  readonly resource: TerraformData;
  /**
   * Terraform condition, true only in the apply that creates this record. A record written before
   * it held the timestamp (no `plan` in its input) never matches. The timestamp has whole seconds:
   * no other plan can share it and still create a join step, because the creating apply holds the
   * state lock from its plan until the record and the join steps are made (its provisioners take
   * longer than that second), and a saved plan made meanwhile is stale once the record is in state.
   */
  readonly founding: string;

  constructor(scope: Construct, id: string, props: EtcdBootstrapProps) {
    super(scope, id);
    this.resource = named(
      new TerraformData(this, 'bootstrap', {
        input: { founders: props.founders.map((m) => m.name), plan: '${plantimestamp()}' },
        lifecycle: { ignoreChanges: ['input'] },
        dependsOn: [...props.after],
      }),
      'bootstrap',
    );
    const address = `${TerraformData.tfResourceType}.${resourceName(this, 'bootstrap')}`;
    this.founding = `try(${address}.output.plan, "") == plantimestamp()`;
  }
}
