import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DEFAULT_CLUSTER_SPEC } from './default-spec';
import { parseYaml } from './parse-yaml';

export const SPEC_ENV_VAR = 'ETCD_CLUSTER_SPEC';

/** Reads the spec named by ETCD_CLUSTER_SPEC (JSON or YAML), else the embedded default. Unvalidated. */
export function loadClusterSpec(env: NodeJS.ProcessEnv = process.env): { source: string; spec: unknown } {
  const file = env[SPEC_ENV_VAR];
  if (!file) return { source: 'embedded default (kubeadm reference cluster)', spec: DEFAULT_CLUSTER_SPEC };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${SPEC_ENV_VAR}=${file}: cannot read the spec file (${(e as Error).message})`, { cause: e });
  }
  try {
    const spec = ['.json'].includes(extname(file).toLowerCase()) ? JSON.parse(text) : parseYaml(text);
    return { source: file, spec };
  } catch (e) {
    throw new Error(`${SPEC_ENV_VAR}=${file}: not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { cause: e });
  }
}
