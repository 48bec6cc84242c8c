import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import type { ResolvedCluster } from '../config/resolved';
import { hostLayout } from '../host/layout';
import { renderHealthParams } from '../host/params';
import { hostScript } from '../host/scripts';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { sha256Hex } from '../provisioning/member-triggers';
import { sshConnection } from '../provisioning/ssh-connection';

export interface EtcdHealthCheckProps {
  readonly cluster: ResolvedCluster;
  /** Every member's join step and every removal: a new one (re-provisioning) makes the gate run again. */
  readonly gates: TerraformData[];
  /** What else must be done first (the membership, so that members that leave have left). */
  readonly after: TerraformData[];
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
}

/**
 * The final gate: after every member, on the first member that stays, wait for
 * `etcdctl endpoint health --cluster` and for the member list to hold exactly the spec's names
 * (health.sh, with this apply's expectations in health.env). Re-runs whenever any member was
 * re-provisioned (its provisioner's id changes).
 */
export class EtcdHealthCheck extends Construct {
  readonly resource: TerraformData;
  /** health.env of this apply. */
  readonly paramsText: string;

  constructor(scope: Construct, id: string, props: EtcdHealthCheckProps) {
    super(scope, id);
    const { cluster } = props;
    const layout = hostLayout(cluster);
    const first = cluster.members.find((m) => !m.remove) ?? cluster.members[0];
    this.paramsText = renderHealthParams(cluster);
    this.resource = named(
      new TerraformData(this, 'health', {
        triggersReplace: {
          members: Fn.join(
            ',',
            props.gates.map((m) => m.id),
          ),
          script_sha256: sha256Hex(hostScript('health.sh')),
          params_sha256: sha256Hex(this.paramsText),
        },
        dependsOn: [...props.gates, ...props.after],
        connection: sshConnection(cluster, first, first.sshHost, props.privateKey),
        provisioners: [
          { type: 'file', content: terraformLiteral(hostScript('health.sh')), destination: layout.installed.healthScript },
          { type: 'file', content: terraformLiteral(this.paramsText), destination: layout.installed.healthParams },
          { type: 'remote-exec', inline: [terraformLiteral(`bash ${shellCommand([layout.installed.healthScript])}`)] },
        ],
      }),
      'health_check',
    );
  }
}
