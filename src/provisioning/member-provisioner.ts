import { Construct } from 'constructs';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import type { MemberBundle } from '../files/member-bundle';
import { BUNDLE, hostLayout } from '../host/layout';
import type { EtcdPki } from '../pki/etcd-pki';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { memberTriggers } from './member-triggers';
import { sshConnection } from './ssh-connection';

export interface EtcdMemberProvisionerProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  readonly pki: EtcdPki;
  /** The member's local files, uploaded as a whole. */
  readonly bundle: MemberBundle;
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
}

/**
 * One member over SSH: a clean staging dir, the bundle uploaded into it, then provision.sh (install
 * etcd, place the manifest's files, start or restart without blocking). Re-runs whenever one of
 * the member's triggers changes (member-triggers.ts).
 */
export class EtcdMemberProvisioner extends Construct {
  readonly resource: TerraformData;
  readonly triggers: Record<string, string>;

  constructor(scope: Construct, id: string, props: EtcdMemberProvisionerProps) {
    super(scope, id);
    const { cluster, member, bundle } = props;
    const layout = hostLayout(cluster);
    this.triggers = memberTriggers(cluster, member, props.pki, bundle);
    this.resource = named(
      new TerraformData(this, 'provision', {
        triggersReplace: this.triggers,
        dependsOn: bundle.resources,
        connection: sshConnection(cluster, member, member.sshHost, props.privateKey),
        provisioners: [
          {
            type: 'remote-exec',
            inline: [
              terraformLiteral(`rm -rf -- ${shellCommand([layout.stagingDir])} && install -d -m 0700 ${shellCommand([layout.stateDir, layout.stagingDir])}`),
            ],
          },
          { type: 'file', source: `${bundle.dir}/`, destination: layout.stagingDir },
          { type: 'remote-exec', inline: [terraformLiteral(`bash ${shellCommand([`${layout.stagingDir}/${BUNDLE.provision}`])}`)] },
        ],
      }),
      'member',
      member.name,
    );
  }
}
