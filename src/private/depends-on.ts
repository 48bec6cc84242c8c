/**
 * `depends_on` entries as plain addresses. cdktf writes each `dependsOn` entry through two tokens
 * (a `dependable` and the target's `fqn` reference), and every token captures a full stack trace
 * when it is made: for a cluster of 51 members (over a thousand entries) that was some 15% of the
 * synth. A resource of the same stack is written here as `<type>.<logical id>`, read at synth like
 * the tokens were (after any logical id override); anything else still goes through the tokens.
 */
import { IConstruct } from 'constructs';
import { dependable, ITerraformDependable, TerraformResource, TerraformStack } from 'cdktf';

/** The `depends_on` entries of `resource` for `dependencies`, in their order. */
export function dependsOnAddresses(resource: IConstruct, dependencies: readonly ITerraformDependable[]): string[] {
  const stack = TerraformStack.of(resource);
  return dependencies.map((d) =>
    TerraformResource.isTerraformResource(d) && TerraformStack.of(d) === stack ? `${d.terraformResourceType}.${d.friendlyUniqueId}` : dependable(d),
  );
}
