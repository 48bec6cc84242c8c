import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterSpecJsonSchema } from '../src/config/json-schema';
import { generateTypes } from '../src/config/typescript';

/**
 * Writes what is generated from the spec's descriptor (src/config/schema.ts): the JSON Schema for
 * editors and the TypeScript types. Tests fail when either committed file is stale.
 */
const ROOT = join(__dirname, '..');
const files: Array<[string, string]> = [
  [join(ROOT, 'schema', 'etcd-cluster.schema.json'), `${JSON.stringify(clusterSpecJsonSchema(), null, 2)}\n`],
  [join(ROOT, 'src', 'config', 'types.ts'), generateTypes()],
];
for (const [target, text] of files) {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
