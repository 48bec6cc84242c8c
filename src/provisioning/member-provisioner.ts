import { Construct } from 'constructs';
import { TerraformData } from '../private/terraform-data';
import { MemberBundle } from '../files/member-bundle';
import { EtcdPki } from '../pki/etcd-pki';
import { ResolvedCluster, ResolvedMember } from '../spec/resolved';
import { shellCommand } from '../shell/quote';
import { stagingDir } from '../shell/provision-script';
import { PROVISION_SCRIPT_BUNDLE_PATH } from '../files/host-layout';
import { terraformLiteral } from '../files/terraform-literal';
import { memberTriggers } from './member-triggers';
import { sshConnection } from './ssh-connection';

export interface EtcdMemberProvisionerProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  readonly pki: EtcdPki;
  readonly bundle: MemberBundle;
  /** Terraform expression of the SSH private key; undefined: SSH agent. */
  readonly privateKey?: string;
  readonly prefix: string;
}

/**
 * One member over SSH: clean staging dir, upload the bundle, run the provisioning script
 * (install etcd, place the PKI tree and unit, start or restart without blocking).
 */
export class EtcdMemberProvisioner extends Construct {
  readonly resource: TerraformData;
  readonly triggers: Record<string, string>;

  constructor(scope: Construct, id: string, props: EtcdMemberProvisionerProps) {
    super(scope, id);
    const { cluster, member, bundle } = props;
    const staging = stagingDir(cluster);
    const connection = sshConnection(cluster, member, member.sshHost, props.privateKey);
    this.triggers = memberTriggers(cluster, member, props.pki, bundle);
    this.resource = new TerraformData(this, 'provision', {
      triggersReplace: this.triggers,
      dependsOn: bundle.resources,
      connection,
      provisioners: [
        {
          type: 'remote-exec',
          inline: [terraformLiteral(`rm -rf -- ${shellCommand([staging])} && install -d -m 0700 ${shellCommand([cluster.paths.stateDir, staging])}`)],
        },
        { type: 'file', source: `${bundle.dir}/`, destination: staging },
        { type: 'remote-exec', inline: [terraformLiteral(`bash ${shellCommand([`${staging}/${PROVISION_SCRIPT_BUNDLE_PATH}`])}`)] },
      ],
    });
    this.resource.overrideLogicalId(`${props.prefix}_member_${member.name}`);
  }
}
