import { Construct } from 'constructs';
import { Fn, Op } from 'cdktf';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import type { HostScriptsAsset } from '../files/host-scripts';
import type { MemberBundle } from '../files/member-bundle';
import { BUNDLE, hostLayout, REMOTE_WORK } from '../host/layout';
import { named } from '../private/names';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { asRoot, firstContact, sshConnection } from './ssh-connection';

export interface MemberReleaseProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  /** The member's bundle: its params.env goes up with the scripts. */
  readonly bundle: MemberBundle;
  /** The host scripts (release.sh and lib.sh run). */
  readonly scripts: HostScriptsAsset;
  /**
   * Terraform expression of the SSH private key.
   * @default undefined: the SSH agent
   */
  readonly privateKey?: string;
  /**
   * Terraform expression of the path of `etcd.localTarball` on the applying machine.
   * @default undefined: the host downloads the release
   */
  readonly localTarball?: string;
}

/**
 * A member's release step: the pinned etcd release downloaded by the host (or uploaded from the
 * applying machine: `etcd.localTarball`, its sha256 checked by the plan before anything runs),
 * verified and extracted into the host's state dir by release.sh, without installing it. It needs
 * nothing but params.env, so Terraform runs it while it makes the certificates: the transfer, the
 * check and the extraction no longer wait for the PKI, and an upgrade fetches every member's new
 * release at once, outside the one-at-a-time restarts. The member's provisioner installs it. Runs
 * again when the release, the host or a script it runs changes; how Terraform reaches the host
 * (SSH host, port, keys, bastion) is not among them, as for the provisioner.
 */
export class MemberRelease extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, props: MemberReleaseProps) {
    super(scope, id);
    const { cluster, member, bundle } = props;
    const { etcd } = cluster;
    const layout = hostLayout(cluster);
    const connection = sshConnection(cluster, member, member.sshHost, props.privateKey);
    const tarball = etcd.localTarball && props.localTarball;
    this.resource = named(
      new TerraformData(this, 'release', {
        triggersReplace: {
          member: member.name,
          address: member.address,
          etcd_release: `${etcd.version} ${etcd.arch} ${etcd.sha256}`,
          source: etcd.localTarball ? 'upload' : etcd.downloadUrl,
          ssh_user: cluster.ssh.user,
          state_dir: layout.stateDir,
          bin_dir: layout.binDir,
          'lib.sh_sha256': props.scripts.sha256['lib.sh'],
          'release.sh_sha256': props.scripts.sha256['release.sh'],
        },
        dependsOn: [bundle.paramsFile],
        connection,
        provisioners: [
          firstContact(connection, REMOTE_WORK.release),
          { type: 'file', source: `${props.scripts.dir}/`, destination: REMOTE_WORK.release },
          { type: 'file', source: `${bundle.dir}/${BUNDLE.params}`, destination: `${REMOTE_WORK.release}/${BUNDLE.params}` },
          ...(tarball ? [{ type: 'file' as const, source: tarball, destination: `${REMOTE_WORK.release}/${BUNDLE.localTarball}` }] : []),
          { type: 'remote-exec', inline: [asRoot(cluster, [`${REMOTE_WORK.release}/${BUNDLE.release}`])] },
        ],
        ...(tarball && {
          lifecycle: {
            precondition: [
              {
                condition: Op.eq(Fn.filesha256(tarball), etcd.sha256),
                errorMessage: terraformLiteral(
                  `etcd.localTarball ${etcd.localTarball} is not the release the spec names: its sha256 must be ${etcd.sha256} (etcd ${etcd.version} ${etcd.arch}). Nothing was uploaded.`,
                ),
              },
            ],
          },
        }),
      }),
      'member',
      member.name,
      'release',
    );
  }
}
