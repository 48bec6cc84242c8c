import { App } from 'cdktf';
import { EtcdStack } from './src/etcd-stack';
import { loadClusterSpec } from './src/spec/load';
import { ClusterSpec } from './src/spec/types';
import { SpecValidationError, validateClusterSpec } from './src/validation/validate';

/**
 * Synthesizes stack `etcd` from the spec named by ETCD_CLUSTER_SPEC (JSON or YAML), else from the
 * embedded default. The spec is validated before anything is written: a bad spec exits 1.
 */
function main(): void {
  let spec: unknown;
  let source: string;
  try {
    ({ spec, source } = loadClusterSpec());
    const resolved = validateClusterSpec(spec);
    for (const warning of resolved.warnings) console.warn(`warning: ${warning}`);
  } catch (e) {
    console.error(e instanceof SpecValidationError || e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
  const app = new App();
  new EtcdStack(app, 'etcd', spec as ClusterSpec);
  app.synth();
  console.log(`synthesized stack "etcd" from ${source} into ${app.outdir}/stacks/etcd/cdk.tf.json`);
}

main();
