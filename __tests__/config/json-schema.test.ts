import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { clusterSpecJsonSchema } from '../../src/config/json-schema';
import { DEFAULT_CLUSTER_SPEC } from '../../src/config/default-spec';
import { validateClusterSpec } from '../../src/config/validate';

const ROOT = join(__dirname, '..', '..');
const committed = JSON.parse(readFileSync(join(ROOT, 'schema/etcd-cluster.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const check = ajv.compile(committed);

describe('the JSON Schema for editors', () => {
  test('the committed schema is what the descriptor generates (run `npm run schema` after changing fields)', () => {
    expect(committed).toEqual(clusterSpecJsonSchema());
  });

  test.each([
    ['the embedded default', DEFAULT_CLUSTER_SPEC],
    ['examples/cluster.yaml', parse(readFileSync(join(ROOT, 'examples/cluster.yaml'), 'utf8'))],
    ['examples/cluster.json', JSON.parse(readFileSync(join(ROOT, 'examples/cluster.json'), 'utf8'))],
  ])('%s is valid for the schema and for the validator', (_name, spec) => {
    expect(check(spec) ? [] : check.errors).toEqual([]);
    expect(() => validateClusterSpec(spec)).not.toThrow();
  });

  test.each([
    ['a typo in a key', { members: [{ name: 'e1', adress: '10.0.0.1' }] }],
    ['a bad member name', { members: [{ name: 'E 1', address: '10.0.0.1' }] }],
    ['a shell metacharacter in a path', { members: [{ name: 'e1', address: '10.0.0.1' }], etcd: { dataDir: '/var/lib/etcd;reboot' } }],
    ['a port out of range', { members: [{ name: 'e1', address: '10.0.0.1' }], ssh: { port: 0 } }],
    ['an unknown backend', { members: [{ name: 'e1', address: '10.0.0.1' }], backend: { type: 'consul' } }],
  ])('editors flag %s too', (_name, spec) => {
    expect(check(spec)).toBe(false);
    expect(() => validateClusterSpec(spec)).toThrow();
  });
});
