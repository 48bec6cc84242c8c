import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { HOST_SCRIPTS, HostScript, HOST_SCRIPTS_DIR, hostScript } from '../host/scripts';
import { sha256Hex } from '../private/sha256';

/**
 * The host scripts, once per cluster: their directory copied into the synthesized stack as an
 * asset (a relative path, so the stack may be planned in one place and applied in another), which
 * every member's provisioner uploads beside its bundle, and where the destroy-time steps find
 * ssh-step.sh. One copy instead of a `local_file` per script and member keeps the plan, the state
 * and the synth small; the scripts' sha256 go into each member's triggers, so a new script version
 * still re-provisions every member.
 */
export class HostScriptsAsset extends Construct {
  /** The directory, relative to the stack (`${path.module}/assets/…`), for uploads. */
  readonly dir: string;
  /** The same, relative to where terraform runs (`assets/…`), for commands run there. */
  readonly relativeDir: string;
  /** sha256 of each script's text. */
  readonly sha256: Readonly<Record<HostScript, string>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const asset = new TerraformAsset(this, 'scripts', { path: HOST_SCRIPTS_DIR, type: AssetType.DIRECTORY });
    this.relativeDir = asset.path;
    this.dir = `\${path.module}/${asset.path}`;
    this.sha256 = Object.fromEntries(HOST_SCRIPTS.map((name) => [name, sha256Hex(hostScript(name))])) as Record<HostScript, string>;
  }
}
