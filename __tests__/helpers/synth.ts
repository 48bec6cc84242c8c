import { Testing } from 'cdktf';
import { EtcdStack } from '../../src/etcd-stack';
import { DEFAULT_CLUSTER_SPEC } from '../../src/config/default-spec';
import { ClusterSpec } from '../../src/config/types';

/** Synthesized Terraform JSON of a stack built from a spec (the default reference cluster if none). */
export interface Synthesized {
  resource: Record<string, Record<string, Record<string, any>>>;
  output: Record<string, any>;
  variable?: Record<string, any>;
  terraform: Record<string, any>;
  provider: Record<string, any>;
}

export function synthSpec(spec: ClusterSpec = DEFAULT_CLUSTER_SPEC): Synthesized {
  const app = Testing.app();
  const stack = new EtcdStack(app, 'etcd', spec);
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** The full synth (with backend) as a string, for portability checks. */
export function fullSynthText(spec: ClusterSpec = DEFAULT_CLUSTER_SPEC): string {
  const app = Testing.app();
  const stack = new EtcdStack(app, 'etcd', spec);
  app.synth();
  return require('node:fs').readFileSync(`${app.outdir}/stacks/${stack.node.id}/cdk.tf.json`, 'utf8');
}

/** A full synth into a fresh out dir: the stack's directory (cdk.tf.json and its assets). */
export function synthStackDir(spec: ClusterSpec = DEFAULT_CLUSTER_SPEC): string {
  const app = Testing.app();
  const stack = new EtcdStack(app, 'etcd', spec);
  app.synth();
  return `${app.outdir}/stacks/${stack.node.id}`;
}

export const withSpec = (patch: Partial<ClusterSpec>): ClusterSpec => ({ ...DEFAULT_CLUSTER_SPEC, ...patch });

/** Strips Terraform's `${...}` wrapper: `${tls_self_signed_cert.etcd_ca.cert_pem}` → `tls_self_signed_cert.etcd_ca.cert_pem`. */
export const ref = (expr: string) => expr.replace(/^\$\{(.*)\}$/, '$1');

/**
 * The generated text files a member's provisioner writes into its staging dir (the quoted
 * heredocs of its last inline script), keyed by path in the bundle, as Terraform text.
 */
export function bundleTexts(tf: Synthesized, member: string): Record<string, string> {
  const provisioners: Array<Record<string, { inline?: string[] }>> = tf.resource.terraform_data[`etcd_member_${member}`]?.provisioner ?? [];
  const out: Record<string, string> = {};
  for (const p of provisioners) {
    for (const command of p['remote-exec']?.inline ?? []) {
      const m = /^cat >\S+\/staging\/(\S+) <<'ETCD_BUNDLE_FILE_END'\n([\s\S]*)ETCD_BUNDLE_FILE_END$/.exec(command);
      if (m) out[m[1]] = m[2];
    }
  }
  return out;
}
