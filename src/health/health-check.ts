import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import type { ResolvedCluster } from '../config/resolved';
import { REMOTE_WORK, hostLayout } from '../host/layout';
import { renderHealthParams } from '../host/params';
import { heredocWrite } from '../private/heredoc';
import { named } from '../private/names';
import { sha256Hex } from '../private/sha256';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { asRoot, sshConnection } from '../provisioning/ssh-connection';

/** The line that ends health.env in the gate's inline script (no line of the file can be it). */
const HEALTH_PARAMS_END = 'ETCD_HEALTH_PARAMS_END';

export interface EtcdHealthCheckProps {
  readonly cluster: ResolvedCluster;
  /** Every member's provisioner and join step, and every removal: a new one (re-provisioning) makes the gate run again. */
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
 * (health.sh, installed with every member's bundle, reading this apply's expectations from the
 * health.env the same inline script writes into the SSH user's work dir). Re-runs whenever any
 * member was re-provisioned (its provisioner's id changes) or the expectations change.
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
          params_sha256: sha256Hex(this.paramsText),
        },
        dependsOn: [...props.gates, ...props.after],
        connection: sshConnection(cluster, first, first.sshHost, props.privateKey),
        // One session: the inline script writes health.env (a quoted heredoc: nothing in it expands)
        // and runs the gate with it.
        provisioners: [
          {
            type: 'remote-exec',
            inline: [
              `umask 077 && ${heredocWrite(REMOTE_WORK.healthParams, terraformLiteral(this.paramsText), HEALTH_PARAMS_END)}`,
              asRoot(cluster, [layout.installed.healthScript, REMOTE_WORK.healthParams]),
            ],
          },
        ],
      }),
      'health_check',
    );
  }
}
