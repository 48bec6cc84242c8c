import { App } from 'cdktf';
import { EtcdStack } from '../etcd-stack';
import { loadClusterSpec } from '../config/load';
import type { ClusterSpec } from '../config/types';
import { validateClusterSpec } from '../config/validate';

export interface SynthResult {
  readonly exitCode: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

/**
 * What `npm run synth` does: load the spec (ETCD_CLUSTER_SPEC or the embedded default), validate
 * it, and only then synthesize stack `etcd`. A bad spec returns exit code 1 and writes nothing.
 */
export function synthFromEnvironment(env: NodeJS.ProcessEnv = process.env, outdir?: string): SynthResult {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let spec: unknown;
  let source: string;
  try {
    ({ spec, source } = loadClusterSpec(env));
    const resolved = validateClusterSpec(spec);
    for (const warning of resolved.warnings) stderr.push(`warning: ${warning}`);
  } catch (e) {
    stderr.push(e instanceof Error ? e.message : String(e));
    return { exitCode: 1, stdout, stderr };
  }
  const app = new App(outdir ? { outdir } : undefined);
  new EtcdStack(app, 'etcd', spec as ClusterSpec);
  app.synth();
  stdout.push(`synthesized stack "etcd" from ${source} into ${app.outdir}/stacks/etcd/cdk.tf.json`);
  return { exitCode: 0, stdout, stderr };
}
