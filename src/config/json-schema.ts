import { CLUSTER_SPEC_FIELD, Field } from './schema';

type Schema = Record<string, unknown>;

/** JSON Schema (draft 2020-12) of the cluster spec, generated from the same descriptor the validator walks. */
export function clusterSpecJsonSchema(): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/etcd-kubeadm-cdktf/schema/etcd-cluster.schema.json',
    title: 'etcd cluster spec (etcd-kubeadm-cdktf)',
    ...toSchema(CLUSTER_SPEC_FIELD),
  };
}

function toSchema(field: Field): Schema {
  const base: Schema = { description: field.description };
  switch (field.kind) {
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(field.enum && { enum: [...field.enum] }),
        ...(field.rule?.pattern && { pattern: field.rule.pattern }),
        description: [field.description, field.rule && `Must be ${field.rule.name}.`, typeof field.default === 'object' && `Default: ${field.default.text}.`]
          .filter(Boolean)
          .join(' '),
        ...(typeof field.default === 'string' && { default: field.default }),
      };
    case 'integer':
      return { ...base, type: 'integer', minimum: field.min, maximum: field.max, ...(field.default !== undefined && { default: field.default }) };
    case 'boolean':
      return { ...base, type: 'boolean', ...(field.default !== undefined && { default: field.default }) };
    case 'array':
      return {
        ...base,
        ...(field.default && { description: `${field.description} Default: ${field.default.text}.` }),
        type: 'array',
        items: toSchema(field.items),
        ...(field.minItems !== undefined && { minItems: field.minItems }),
        ...(field.maxItems !== undefined && { maxItems: field.maxItems }),
      };
    case 'object':
      return {
        ...base,
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(field.fields).map(([k, f]) => [k, toSchema(f)])),
        ...(field.required && field.required.length > 0 && { required: [...field.required] }),
      };
    case 'union':
      return { ...base, oneOf: Object.values(field.variants).map(toSchema) };
  }
}
