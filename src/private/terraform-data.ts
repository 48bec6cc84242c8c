import { Construct } from 'constructs';
import { AnyMap, ITerraformDependable, TerraformMetaArguments, TerraformResource } from 'cdktf';
import { anyToTerraform, hashMapper } from 'cdktf/lib/runtime';
import { dependsOnAddresses } from './depends-on';

export interface TerraformDataConfig extends TerraformMetaArguments {
  /** Stored in state and reflected in `output`; a change updates the resource in place. */
  readonly input?: Record<string, unknown>;
  /** Stored in state; any change replaces the resource (and re-runs its provisioners). */
  readonly triggersReplace?: Record<string, unknown>;
}

/**
 * Terraform's built-in `terraform_data` resource (Terraform ≥ 1.4, OpenTofu), the successor of
 * `null_resource`: it needs no provider. cdktf's own `TerraformData` binding adds a validation that
 * runs `terraform version` at synth, once per resource: seconds for a large cluster, and a failed
 * synth wherever the synth runs without a `terraform` binary (a Node-only CI image, an
 * OpenTofu-only machine). This binding writes the same JSON without it.
 *
 * `dependsOn` is kept as given and written at synth (depends-on.ts), not handed to cdktf, which
 * makes two tokens of each entry (each capturing a stack trace): `dependsOn` of this resource
 * holds only entries added later, and `depends_on` lists the configured ones first.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = 'terraform_data';
  private readonly config: TerraformDataConfig;
  private outputMap?: AnyMap;

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this.config = config;
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  /** The stored `input`, known after apply. */
  get output(): AnyMap {
    this.outputMap ??= new AnyMap(this, 'output');
    return this.outputMap;
  }

  get terraformMetaArguments(): Record<string, unknown> {
    const meta = super.terraformMetaArguments;
    const configured: readonly ITerraformDependable[] | undefined = this.config.dependsOn;
    if (!configured) return meta;
    const added = (meta.dependsOn as string[] | undefined) ?? [];
    return { ...meta, dependsOn: [...dependsOnAddresses(this, configured), ...added] };
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      input: hashMapper(anyToTerraform)(this.config.input),
      triggers_replace: hashMapper(anyToTerraform)(this.config.triggersReplace),
    };
  }
}
