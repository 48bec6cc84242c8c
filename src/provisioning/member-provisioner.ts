import * as path from 'node:path';
import { Construct } from 'constructs';
import { Fn, Op } from 'cdktf';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import type { HostScriptsAsset } from '../files/host-scripts';
import type { MemberBundle } from '../files/member-bundle';
import { BUNDLE, REMOTE_WORK } from '../host/layout';
import type { EtcdPki } from '../pki/etcd-pki';
import { heredocWrite } from '../private/heredoc';
import { named } from '../private/names';
import { shellCommand } from '../private/shell-quote';
import { TerraformData } from '../private/terraform-data';
import { terraformLiteral } from '../private/terraform-literal';
import { memberTriggers } from './member-triggers';
import { asRoot, sshConnection } from './ssh-connection';

/** The line that ends each bundle text in the provisioner's inline script (no line of one can be it). */
const BUNDLE_FILE_END = 'ETCD_BUNDLE_FILE_END';

export interface EtcdMemberProvisionerProps {
  readonly cluster: ResolvedCluster;
  readonly member: ResolvedMember;
  readonly pki: EtcdPki;
  /** The member's local files, uploaded as a whole. */
  readonly bundle: MemberBundle;
  /** The host scripts, written beside the bundle. */
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
 * One member over SSH: the SSH user's private work dir (0700, in its home) with a clean staging
 * dir, the bundle's PKI tree uploaded into it, then one script that writes the host scripts and
 * the bundle's text files beside it (quoted heredocs, umask 077) and runs provision.sh as root
 * (through sudo for other users): install etcd, place the manifest's files root-owned, start or
 * restart without blocking, and remove the staging dir. Re-runs whenever one of the member's
 * triggers changes (member-triggers.ts).
 */
export class EtcdMemberProvisioner extends Construct {
  readonly resource: TerraformData;
  readonly triggers: Record<string, string>;

  constructor(scope: Construct, id: string, props: EtcdMemberProvisionerProps) {
    super(scope, id);
    const { cluster, member, bundle } = props;
    this.triggers = memberTriggers(cluster, member, props.pki, bundle, props.scripts);
    const connection = sshConnection(cluster, member, member.sshHost, props.privateKey);
    // The first script cannot sit in the work dir it makes: it runs from the home directory. After
    // each script, Terraform overwrites it with an empty file (its own cleanup): those blanks, once a
    // minute old (never a script about to run), are deleted here.
    const firstContact = [
      `install -d -m 0700 ${shellCommand([REMOTE_WORK.dir])}`,
      `rm -rf -- ${shellCommand([REMOTE_WORK.staging])}`,
      `install -d -m 0700 ${shellCommand([REMOTE_WORK.staging])}`,
      `find . ${shellCommand([REMOTE_WORK.dir])} -maxdepth 1 -type f ${shellCommand(['(', '-name', path.basename(REMOTE_WORK.firstScript).replace('%RAND%', '*'), '-o', '-name', path.basename(REMOTE_WORK.script).replace('%RAND%', '*'), ')'])} -empty -mmin +1 -delete`,
    ].join(' && ');
    // Air-gapped hosts: the release goes up from the applying machine, checked there by the plan
    // (filesha256, before anything runs) and on the host by provision.sh before it is installed.
    const tarball = cluster.etcd.localTarball;
    const tarballPath = tarball && props.localTarball;
    this.resource = named(
      new TerraformData(this, 'provision', {
        triggersReplace: this.triggers,
        dependsOn: bundle.resources,
        connection,
        provisioners: [
          { type: 'remote-exec', inline: [terraformLiteral(firstContact)], connection: { ...connection, scriptPath: REMOTE_WORK.firstScript } },
          { type: 'file', source: `${bundle.dir}/`, destination: REMOTE_WORK.staging },
          ...(tarballPath ? [{ type: 'file' as const, source: tarballPath, destination: `${REMOTE_WORK.staging}/${BUNDLE.localTarball}` }] : []),
          {
            type: 'remote-exec',
            inline: [
              'set -e && umask 077',
              props.scripts.writer,
              ...Object.entries(bundle.texts).map(([file, text]) => heredocWrite(`${REMOTE_WORK.staging}/${file}`, text, BUNDLE_FILE_END)),
              asRoot(cluster, [`${REMOTE_WORK.staging}/${BUNDLE.provision}`]),
            ],
          },
        ],
        ...(tarballPath && {
          lifecycle: {
            precondition: [
              {
                condition: Op.eq(Fn.filesha256(tarballPath), cluster.etcd.sha256),
                errorMessage: terraformLiteral(
                  `etcd.localTarball ${tarball} is not the release the spec names: its sha256 must be ${cluster.etcd.sha256} (etcd ${cluster.etcd.version} ${cluster.etcd.arch}). Nothing was uploaded.`,
                ),
              },
            ],
          },
        }),
      }),
      'member',
      member.name,
    );
  }
}
