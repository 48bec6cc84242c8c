import { AssetType, TerraformAsset, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { REMOTE_WORK } from '../host/layout';
import { HOST_SCRIPTS, HostScript, HOST_SCRIPTS_DIR, hostScript, MEMBER_SCRIPTS } from '../host/scripts';
import { heredocWrite } from '../private/heredoc';
import { named } from '../private/names';
import { sha256Hex } from '../private/sha256';
import { terraformLiteral } from '../private/terraform-literal';

/** The line that ends each script in the writer (no line of a script can be it: checked at synth). */
const SCRIPT_END = 'ETCD_HOST_SCRIPT_END';

/**
 * The host scripts, once per cluster. Their directory is copied into the synthesized stack as an
 * asset (a relative path, so the stack may be planned in one place and applied in another): where
 * the destroy-time steps find ssh-step.sh. The scripts the members run travel in each member's
 * provisioner script instead, as quoted heredocs held once in a Terraform local: an upload of
 * their own would cost every member provisioning an SSH session. One copy instead of a
 * `local_file` per script and member keeps the plan, the state and the synth small; the scripts'
 * sha256 go into each member's triggers, so a new script version still re-provisions every member.
 */
export class HostScriptsAsset extends Construct {
  /** The directory, relative to where terraform runs (`assets/…`), for commands run there. */
  readonly relativeDir: string;
  /** sha256 of each script's text. */
  readonly sha256: Readonly<Record<HostScript, string>>;
  /**
   * Terraform expression of the shell commands that write the members' scripts, byte for byte,
   * into the staging dir (`MEMBER_SCRIPTS`, quoted heredocs; run under the caller's umask).
   */
  readonly writer: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const asset = new TerraformAsset(this, 'scripts', { path: HOST_SCRIPTS_DIR, type: AssetType.DIRECTORY });
    this.relativeDir = asset.path;
    this.sha256 = Object.fromEntries(HOST_SCRIPTS.map((name) => [name, sha256Hex(hostScript(name))])) as Record<HostScript, string>;
    const commands = MEMBER_SCRIPTS.map((name) => heredocWrite(`${REMOTE_WORK.staging}/${name}`, terraformLiteral(hostScript(name)), SCRIPT_END));
    this.writer = named(new TerraformLocal(this, 'writer', commands.join('\n')), 'host_scripts').asString;
  }
}
