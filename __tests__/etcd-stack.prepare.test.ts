import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { DEFAULT_CLUSTER_SPEC } from '../src/config/default-spec';
import { EtcdStack } from '../src/etcd-stack';

/** The stack as cdktf writes it, after a full `app.synth()`. */
function written(app: App, stack: TerraformStack): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
}

/** EtcdStack with cdktf's own preparation, whatever the app holds: the reference. */
class PreparedAsCdktfDoes extends EtcdStack {
  override prepareStack(): void {
    TerraformStack.prototype.prepareStack.call(this);
  }
}

describe("EtcdStack's preparation before synth", () => {
  afterEach(() => jest.restoreAllMocks());

  test('alone in its app: skips the pass that looks for references between stacks, and writes the same stack', () => {
    const prepare = jest.spyOn(TerraformStack.prototype, 'prepareStack');
    const app = Testing.app();
    const stack = new EtcdStack(app, 'etcd', DEFAULT_CLUSTER_SPEC);
    app.synth();
    expect(prepare).not.toHaveBeenCalled();
    prepare.mockRestore();

    const refApp = Testing.app();
    const reference = new PreparedAsCdktfDoes(refApp, 'etcd', DEFAULT_CLUSTER_SPEC);
    refApp.synth();
    expect(written(app, stack)).toEqual(written(refApp, reference));
    expect(written(app, stack).terraform.backend).toEqual(written(refApp, reference).terraform.backend);
  });

  test("beside other stacks: cdktf's preparation runs, so another stack can use its outputs", () => {
    const app = Testing.app();
    const etcd = new EtcdStack(app, 'etcd', DEFAULT_CLUSTER_SPEC);
    const consumer = new TerraformStack(app, 'control-plane');
    new TerraformOutput(consumer, 'etcd_ca', { value: etcd.cluster.caCertPem });
    app.synth();

    const consumerTf = written(app, consumer);
    const etcdTf = written(app, etcd);
    // cdktf turned the reference into an output of stack etcd read through a remote state.
    expect(Object.keys(consumerTf.data?.terraform_remote_state ?? {})).toHaveLength(1);
    const crossOutputs = Object.keys(etcdTf.output).filter((k) => k.startsWith('cross-stack-output-'));
    expect(crossOutputs).toHaveLength(1);
    expect(JSON.stringify(consumerTf.output.etcd_ca.value)).toContain(crossOutputs[0]);
  });

  test('beside other stacks: a reference from it to another stack is found too (its own preparation runs)', () => {
    const app = Testing.app();
    const a = new EtcdStack(app, 'etcd-a', DEFAULT_CLUSTER_SPEC);
    const b = new EtcdStack(app, 'etcd-b', DEFAULT_CLUSTER_SPEC);
    // Something a user added to stack etcd-a that reads stack etcd-b.
    new TerraformOutput(a, 'other_ca', { value: b.cluster.caCertPem });
    app.synth();

    expect(Object.keys(written(app, a).data?.terraform_remote_state ?? {})).toHaveLength(1);
    expect(Object.keys(written(app, b).output).filter((k) => k.startsWith('cross-stack-output-'))).toHaveLength(1);
  });
});
