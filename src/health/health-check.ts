import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { TerraformData } from '../private/terraform-data';
import { ResolvedCluster } from '../spec/resolved';
import { renderHealthScript } from '../shell/health-script';
import { shellCommand } from '../shell/quote';
import { terraformLiteral } from '../files/terraform-literal';
import { sha256Hex } from '../provisioning/member-triggers';
import { sshConnection } from '../provisioning/ssh-connection';

/**
 * The final gate: after every member, on the first member, wait for
 * `etcdctl endpoint health --cluster` and check the member list. Re-runs whenever any member was
 * re-provisioned (its null_resource id changes).
 */
export class EtcdHealthCheck extends Construct {
  readonly resource: TerraformData;
  readonly scriptText: string;

  constructor(scope: Construct, id: string, cluster: ResolvedCluster, members: TerraformData[], privateKey: string | undefined, prefix: string) {
    super(scope, id);
    this.scriptText = renderHealthScript(cluster);
    const first = cluster.members[0];
    const scriptPath = `${cluster.paths.stateDir}/health-check.sh`;
    this.resource = new TerraformData(this, 'health', {
      triggersReplace: {
        members: Fn.join(',', members.map((m) => m.id)),
        script_sha256: sha256Hex(this.scriptText),
      },
      dependsOn: members,
      connection: sshConnection(cluster, first, first.sshHost, privateKey),
      provisioners: [
        { type: 'file', content: terraformLiteral(this.scriptText), destination: scriptPath },
        { type: 'remote-exec', inline: [terraformLiteral(`bash ${shellCommand([scriptPath])}`)] },
      ],
    });
    this.resource.overrideLogicalId(`${prefix}_health_check`);
  }
}
