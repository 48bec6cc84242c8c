import { AssetType, TerraformAsset, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { REMOTE_WORK } from '../host/layout';
import { HOST_SCRIPTS, HostScript, HOST_SCRIPTS_DIR, hostScript, MEMBER_SCRIPTS } from '../host/scripts';
import { shellCommand } from '../private/shell-quote';
import { named } from '../private/names';
import { sha256Hex } from '../private/sha256';
import { terraformLiteral } from '../private/terraform-literal';

/** The line that ends the scripts' checksums in the writer. */
const SUMS_END = 'ETCD_HOST_SCRIPT_SUMS';

/**
 * The host scripts, once per cluster. Their directory is copied into the synthesized stack as an
 * asset (a relative path, so the stack may be planned in one place and applied in another): where
 * the destroy-time steps find ssh-step.sh, and where Terraform reads (`filebase64()`) the scripts
 * the members run. They travel in each member's provisioner script, base64 in single quotes
 * (nothing in a file can end the quote and run as a command), decoded into the staging dir: an
 * upload of their own would cost every member provisioning an SSH session. Read from the asset,
 * not held in the configuration as text: Terraform parses every string of a JSON configuration as
 * a template, at a cost that grows faster than its length, every time it evaluates it (50 KB of
 * shell, held as one string, cost about 0.45 s of every plan and again of every apply). The
 * scripts' sha256, fixed at synth, go into each member's triggers (a new script version
 * re-provisions every member; the plan shows it) and into the writer, which checks on the host,
 * before anything runs, that the scripts written are the ones synthesized (an asset edited between
 * plan and apply stops there).
 */
export class HostScriptsAsset extends Construct {
  /** The directory, relative to where terraform runs (`assets/…`), for commands run there. */
  readonly relativeDir: string;
  /** sha256 of each script's text. */
  readonly sha256: Readonly<Record<HostScript, string>>;
  /**
   * Terraform expression of the shell commands that write the members' scripts, byte for byte,
   * into the staging dir (`MEMBER_SCRIPTS`, decoded from base64; run under the caller's umask),
   * then check them against their sha256 at synth: on a mismatch the commands exit 1.
   */
  readonly writer: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const asset = new TerraformAsset(this, 'scripts', { path: HOST_SCRIPTS_DIR, type: AssetType.DIRECTORY });
    this.relativeDir = asset.path;
    this.sha256 = Object.fromEntries(HOST_SCRIPTS.map((name) => [name, sha256Hex(hostScript(name))])) as Record<HostScript, string>;
    const staged = (name: HostScript) => `${REMOTE_WORK.staging}/${name}`;
    const commands = MEMBER_SCRIPTS.map(
      (name) => `printf '%s' '\${filebase64(${JSON.stringify(`${asset.path}/${name}`)})}' | base64 -d >${shellCommand([staged(name)])}`,
    );
    const mismatch = `the host scripts Terraform read from the stack's assets (${asset.path}) are not the ones it was synthesized with: synthesize again, then plan and apply`;
    commands.push(
      terraformLiteral(`sha256sum --check --quiet --strict <<'${SUMS_END}' || { echo ${shellCommand([mismatch])} >&2; exit 1; }`),
      ...MEMBER_SCRIPTS.map((name) => terraformLiteral(`${this.sha256[name]}  ${staged(name)}`)),
      SUMS_END,
    );
    this.writer = named(new TerraformLocal(this, 'writer', commands.join('\n')), 'host_scripts').asString;
  }
}
