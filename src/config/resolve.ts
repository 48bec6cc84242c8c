/**
 * Applies the descriptor's defaults to a structurally valid spec: the one place defaults are
 * applied. Returns the resolved value and the paths the spec set explicitly (some rules depend on
 * whether a value was given, e.g. a mirror URL without its checksum).
 */
import { CLUSTER_SPEC_FIELD, Field, ObjectField, ResolveScope } from './schema';

export interface Resolution<T> {
  readonly value: T;
  /** Paths set in the spec itself, e.g. `etcd.downloadUrl`, `members[1].sshHost`. */
  readonly provided: ReadonlySet<string>;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function resolveField(value: unknown, field: Field, path: string, scope: ResolveScope | undefined, provided: Set<string>): unknown {
  switch (field.kind) {
    case 'object':
      return resolveObject(value as Record<string, unknown> | undefined, field, path, scope, provided);
    case 'union': {
      // An absent union takes its default variant; nothing of it was given.
      const given = (value as Record<string, unknown> | undefined) ?? field.default;
      const variant = field.variants[given.type as string];
      return resolveObject(given as Record<string, unknown>, variant, path, scope, value === undefined ? new Set() : provided);
    }
    case 'array':
      if (value === undefined) return field.default && scope ? field.default.derive(scope) : field.defaultEmpty ? [] : undefined;
      return (value as unknown[]).map((item, i) => resolveField(item, field.items, `${path}[${i}]`, scope, provided));
    default:
      return value;
  }
}

function resolveObject(
  value: Record<string, unknown> | undefined,
  field: ObjectField,
  path: string,
  parent: ResolveScope | undefined,
  provided: Set<string>,
): Record<string, unknown> | undefined {
  if (value === undefined && !field.resolveWhenAbsent) return undefined;
  const given = value ?? {};
  const self: Record<string, unknown> = {};
  const scope: ResolveScope = { self, parent };
  for (const [key, child] of Object.entries(field.fields)) {
    const at = join(path, key);
    let v: unknown;
    if (given[key] !== undefined) {
      provided.add(at);
      v = resolveField(given[key], child, at, scope, provided);
    } else if ((child.kind === 'string' || child.kind === 'integer' || child.kind === 'boolean') && child.default !== undefined) {
      v = typeof child.default === 'object' ? child.default.derive(scope) : child.default;
    } else {
      v = resolveField(undefined, child, at, scope, provided);
    }
    if (child.kind === 'string' && child.normalize && typeof v === 'string') v = child.normalize(v, scope);
    if (v !== undefined) self[key] = v;
  }
  return self;
}

/** Resolves a spec that passed the structural checks (structure.ts). */
export function resolveSpec<T>(spec: unknown, field: ObjectField = CLUSTER_SPEC_FIELD): Resolution<T> {
  const provided = new Set<string>();
  const value = resolveObject(spec as Record<string, unknown>, field, '', undefined, provided) as T;
  return { value, provided };
}
