import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterSpecJsonSchema } from '../src/spec/json-schema';

/** Writes schema/etcd-cluster.schema.json; a test fails when the committed file is stale. */
const target = join(__dirname, '..', 'schema', 'etcd-cluster.schema.json');
writeFileSync(target, `${JSON.stringify(clusterSpecJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
