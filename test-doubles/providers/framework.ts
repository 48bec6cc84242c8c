/**
 * A tiny resource framework in the spirit of terraform-plugin-framework: schemas with the
 * flags Terraform reads, defaults, "use state for unknown", requires-replace rules, and a
 * generic PlanResourceChange that each resource can refine.
 */
import { CtyType, ObjectValue, UNKNOWN, Value, clone, deepEqual, isUnknown, typeJson } from './protocol/cty';

export type PathStep = string | number;

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  path?: PathStep[];
}

export const error = (summary: string, detail = '', path?: PathStep[]): Diagnostic => ({ severity: 'error', summary, detail, path });
export const warning = (summary: string, detail = '', path?: PathStep[]): Diagnostic => ({ severity: 'warning', summary, detail, path });

/**
 * When a change of this attribute forces a new resource:
 * - always: any change (framework RequiresReplace)
 * - ifStatePem: only if the prior value is a PEM block (tls requireReplaceIfStateContainsPEMString)
 * - ifValuesNotNull: null provider's map rule (ignores keys whose values are null)
 */
export type ReplaceRule = 'always' | 'ifStatePem' | 'ifValuesNotNull';

export interface AttributeSchema {
  name: string;
  type: CtyType;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  /** Deprecation message; also sets the schema's deprecated flag. */
  deprecated?: string;
  default?: Value;
  useStateForUnknown?: boolean;
  replace?: ReplaceRule;
  /** Validates a known, non-null configured value. */
  validate?: (value: Value, path: PathStep[]) => Diagnostic[];
}

export interface BlockSchema {
  attributes: AttributeSchema[];
  blocks?: NestedBlockSchema[];
  description?: string;
}

export interface NestedBlockSchema {
  name: string;
  nesting: 'list';
  minItems: number;
  maxItems: number;
  block: BlockSchema;
  replace?: ReplaceRule;
}

export interface PlanContext {
  prior: ObjectValue | null;
  config: ObjectValue;
  planned: ObjectValue;
  requiresReplace: PathStep[][];
  diagnostics: Diagnostic[];
}

export interface ApplyResult {
  state: ObjectValue | null;
  diagnostics?: Diagnostic[];
}

export interface ResourceDefinition {
  typeName: string;
  version: number;
  schema: BlockSchema;
  /** Cross-attribute validation (ExactlyOneOf and the like). */
  validateConfig?(config: ObjectValue): Diagnostic[];
  /** Resource-level plan modification, after the attribute rules ran. */
  modifyPlan?(ctx: PlanContext): void;
  create(planned: ObjectValue, config: ObjectValue): Promise<ApplyResult> | ApplyResult;
  /** Defaults to copying the plan into the state (what the real resources' Update does). */
  update?(planned: ObjectValue, prior: ObjectValue): Promise<ApplyResult> | ApplyResult;
  /** Refresh: return null to drop the resource from state. Defaults to no-op. */
  read?(state: ObjectValue): Promise<ApplyResult> | ApplyResult;
  delete?(state: ObjectValue): Promise<Diagnostic[] | void> | Diagnostic[] | void;
  /** Upgrade raw JSON state of an older version; defaults to taking it as is. */
  upgrade?(version: number, raw: ObjectValue): ObjectValue;
}

export interface ProviderDefinition {
  name: string;
  version: string;
  schema: BlockSchema;
  resources: ResourceDefinition[];
  validateConfig?(config: ObjectValue): Diagnostic[];
  configure?(config: ObjectValue): Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Schema → protocol

export function blockToProto(block: BlockSchema): Record<string, unknown> {
  return {
    version: 0,
    description: block.description ?? '',
    description_kind: 1,
    deprecated: false,
    attributes: [...block.attributes]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => ({
        name: a.name,
        type: typeJson(a.type),
        description: a.deprecated ? `${a.description}` : a.description,
        required: !!a.required,
        optional: !!a.optional,
        computed: !!a.computed,
        sensitive: !!a.sensitive,
        description_kind: 1,
        deprecated: !!a.deprecated,
      })),
    block_types: (block.blocks ?? []).map((b) => ({
      type_name: b.name,
      block: blockToProto(b.block),
      nesting: 2,
      min_items: b.minItems,
      max_items: b.maxItems,
    })),
  };
}

export function schemaToProto(block: BlockSchema, version = 0): Record<string, unknown> {
  return { version, block: blockToProto(block) };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Runs per-attribute validators and deprecation warnings over a (possibly partly unknown) config. */
export function validateBlock(block: BlockSchema, value: ObjectValue, base: PathStep[] = []): Diagnostic[] {
  const diags: Diagnostic[] = [];
  for (const attr of block.attributes) {
    const v = value[attr.name];
    if (v === null || v === undefined || isUnknown(v)) continue;
    const path = [...base, attr.name];
    if (attr.deprecated) diags.push(warning('Attribute Deprecated', attr.deprecated, path));
    if (attr.validate) diags.push(...attr.validate(v, path));
  }
  for (const nb of block.blocks ?? []) {
    const list = value[nb.name];
    if (!Array.isArray(list)) continue;
    if (list.length > nb.maxItems) {
      diags.push(error('Invalid Block', `Block ${nb.name} must have at most ${nb.maxItems} element(s), got: ${list.length}`, [...base, nb.name]));
    }
    list.forEach((item, i) => {
      if (item && typeof item === 'object' && !Array.isArray(item)) diags.push(...validateBlock(nb.block, item as ObjectValue, [...base, nb.name, i]));
    });
  }
  return diags;
}

export function pathString(path: PathStep[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export const oneOf =
  (allowed: string[]) =>
  (value: Value, path: PathStep[]): Diagnostic[] =>
    typeof value === 'string' && !allowed.includes(value)
      ? [
          error(
            'Invalid Attribute Value Match',
            `Attribute ${pathString(path)} value must be one of: [${allowed.map((a) => JSON.stringify(JSON.stringify(a))).join(' ')}], got: ${JSON.stringify(value)}`,
            path,
          ),
        ]
      : [];

export const listValuesOneOf =
  (allowed: string[]) =>
  (value: Value, path: PathStep[]): Diagnostic[] =>
    Array.isArray(value) ? value.flatMap((v, i) => (isUnknown(v) || v === null ? [] : oneOf(allowed)(v, [...path, i]))) : [];

export const atLeast =
  (min: number) =>
  (value: Value, path: PathStep[]): Diagnostic[] =>
    typeof value === 'number' && value < min
      ? [error('Invalid Attribute Value', `Attribute ${pathString(path)} value must be at least ${min}, got: ${value}`, path)]
      : [];

/** framework-validators' ExactlyOneOf over root attributes, skipped while any of them is unknown. */
export function exactlyOneOf(config: ObjectValue, names: string[], reportOn: string): Diagnostic[] {
  if (names.some((n) => isUnknown(config[n]))) return [];
  const set = names.filter((n) => config[n] !== null && config[n] !== undefined);
  const list = `[${names.join(',')}]`;
  if (set.length === 0) {
    return [error('Invalid Attribute Combination', `No attribute specified when one (and only one) of ${list} is required`, [reportOn])];
  }
  if (set.length > 1) {
    return [error('Invalid Attribute Combination', `${set.length} attributes specified when one (and only one) of ${list} is required`, [set[1]])];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Planning

const PEM_RE = /^-----BEGIN [A-Za-z ]+-----\n(.|\s)+\n-----END [A-Za-z ]+-----\n?$/;

function mapRequiresReplace(config: Value, state: Value): boolean {
  const cfg = (config && typeof config === 'object' && !Array.isArray(config) ? config : {}) as ObjectValue;
  if (deepEqual(config, state)) return false;
  if (state === null) return Object.values(cfg).some((v) => v !== null);
  const st = (state && typeof state === 'object' && !Array.isArray(state) ? state : {}) as ObjectValue;
  for (const [k, v] of Object.entries(cfg)) {
    if (!(k in st) && v === null) continue;
    if (deepEqual(v, st[k] ?? null) && k in st) continue;
    return true;
  }
  return Object.keys(st).some((k) => !(k in cfg));
}

function replaceNeeded(rule: ReplaceRule, planned: Value, prior: Value, config: Value): boolean {
  switch (rule) {
    case 'always':
      return !deepEqual(planned, prior);
    case 'ifStatePem':
      return !deepEqual(planned, prior) && typeof prior === 'string' && PEM_RE.test(prior);
    case 'ifValuesNotNull':
      return mapRequiresReplace(config, prior);
  }
}

/**
 * Generic plan: start from Terraform's proposed new state, mark unset computed attributes
 * unknown when anything changes, apply defaults and "use state for unknown", then collect the
 * attributes whose change forces replacement.
 */
export function planResource(def: ResourceDefinition, prior: ObjectValue | null, proposed: ObjectValue, config: ObjectValue): PlanContext {
  const planned = clone(proposed);
  const changed = prior === null || !deepEqual(planned, prior);
  const ctx: PlanContext = { prior, config, planned, requiresReplace: [], diagnostics: [] };
  for (const attr of def.schema.attributes) {
    const cfg = config[attr.name] ?? null;
    if (attr.computed && cfg === null && changed) planned[attr.name] = UNKNOWN;
    if (attr.default !== undefined && cfg === null && (planned[attr.name] === null || isUnknown(planned[attr.name]))) {
      planned[attr.name] = clone(attr.default);
    }
    if (attr.useStateForUnknown && prior !== null && isUnknown(planned[attr.name]) && !isUnknown(cfg)) {
      planned[attr.name] = clone(prior[attr.name] ?? null);
    }
  }
  if (prior !== null) {
    for (const attr of def.schema.attributes) {
      if (attr.replace && replaceNeeded(attr.replace, planned[attr.name] ?? null, prior[attr.name] ?? null, config[attr.name] ?? null)) {
        ctx.requiresReplace.push([attr.name]);
      }
    }
    for (const block of def.schema.blocks ?? []) {
      if (block.replace && replaceNeeded(block.replace, planned[block.name] ?? null, prior[block.name] ?? null, config[block.name] ?? null)) {
        ctx.requiresReplace.push([block.name]);
      }
    }
  }
  def.modifyPlan?.(ctx);
  return ctx;
}

/** Fills attributes missing from an object (older state, JSON without nulls) with null / []. */
export function completeObject(block: BlockSchema, value: ObjectValue): ObjectValue {
  const out: ObjectValue = {};
  for (const attr of block.attributes) out[attr.name] = value[attr.name] ?? null;
  for (const nb of block.blocks ?? []) {
    const list = value[nb.name];
    out[nb.name] = Array.isArray(list) ? list.map((item) => completeObject(nb.block, (item ?? {}) as ObjectValue)) : [];
  }
  return out;
}

export function str(v: Value): string | null {
  return typeof v === 'string' ? v : null;
}
