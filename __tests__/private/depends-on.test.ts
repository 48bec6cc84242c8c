import { App, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { File as LocalFile } from '@cdktf/provider-local/lib/file';
import { TerraformData } from '../../src/private/terraform-data';

/** `depends_on` of every resource of a synthesized stack. */
function dependsOn(stack: TerraformStack): Record<string, unknown> {
  const tf = JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, { depends_on?: unknown }>> };
  return Object.fromEntries(Object.values(tf.resource).flatMap((byName) => Object.entries(byName).map(([name, r]) => [name, r.depends_on])));
}

describe('depends_on of terraform_data, written without tokens', () => {
  test('lists the same addresses, in order, as cdktf does for the same dependencies', () => {
    const synthWith = (make: (scope: Construct, id: string, deps: Construct[]) => TerraformResource): Record<string, unknown> => {
      const stack = new TerraformStack(new App(), 's');
      const file = new LocalFile(stack, 'file', { filename: 'f', content: 'x' });
      file.overrideLogicalId('etcd_m1_file');
      const first = make(stack, 'first', [file]);
      first.overrideLogicalId('etcd_first');
      make(stack, 'second', [first, file]);
      // A logical id set after the dependency was declared still counts (addresses are read at synth).
      file.overrideLogicalId('etcd_m1_file_renamed');
      return dependsOn(stack);
    };
    const cdktf = synthWith(
      (scope, id, deps) => new TerraformResource(scope, id, { terraformResourceType: 'terraform_data', dependsOn: deps as TerraformResource[] }),
    );
    const ours = synthWith((scope, id, deps) => new TerraformData(scope, id, { dependsOn: deps as TerraformResource[] }));
    expect(ours).toEqual(cdktf);
    expect(ours.etcd_first).toEqual(['local_file.etcd_m1_file_renamed']);
  });

  test('keeps anything that is not a resource of the stack on cdktf tokens, and appends entries added later', () => {
    const stack = new TerraformStack(new App(), 's');
    const file = new LocalFile(stack, 'file', { filename: 'f', content: 'x' });
    const data = new TerraformData(stack, 'data', { dependsOn: [file, { fqn: 'module.network' }] });
    data.overrideLogicalId('data');
    file.overrideLogicalId('file');
    data.dependsOn = ['terraform_data.later'];
    expect(dependsOn(stack).data).toEqual(['local_file.file', 'module.network', 'terraform_data.later']);
  });

  test('is absent without dependencies', () => {
    const stack = new TerraformStack(new App(), 's');
    new TerraformData(stack, 'data').overrideLogicalId('data');
    expect(dependsOn(stack).data).toBeUndefined();
  });
});
