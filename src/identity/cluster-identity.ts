import { Construct } from 'constructs';
import type { ResolvedCluster } from '../config/resolved';
import type { ClusterIdentityRefs } from '../host/params';
import { named, resourceName } from '../private/names';
import { TerraformData } from '../private/terraform-data';

export interface ClusterIdentityProps {
  readonly cluster: ResolvedCluster;
}

/**
 * The cluster's identity, made once at its first apply and kept in Terraform state: a
 * `terraform_data` whose id (a random UUID) names the cluster on its hosts (each member's stamp)
 * and is the default `--initial-cluster-token`, so that no two clusters share one. It has no
 * triggers and ignores later changes to its input: it is never replaced.
 */
export class ClusterIdentity extends Construct {
  readonly resource: TerraformData;
  /** Expressions for params.env. */
  readonly refs: ClusterIdentityRefs;

  constructor(scope: Construct, id: string, props: ClusterIdentityProps) {
    super(scope, id);
    this.resource = named(
      new TerraformData(this, 'cluster', {
        input: { token: props.cluster.etcd.clusterToken ?? null },
        lifecycle: { ignoreChanges: ['input'] },
      }),
      'cluster',
    );
    // Plain expressions (not cdktf tokens): the same text at every synth, so file hashes are stable.
    const idExpression = `\${${TerraformData.tfResourceType}.${resourceName(this, 'cluster')}.id}`;
    this.refs = { clusterId: idExpression, clusterToken: idExpression };
  }
}
