/**
 * The TypeScript types of the spec (types.ts), generated from the descriptor so that they cannot
 * drift from it: the spec types users write (optional fields with their `@default`) and the
 * resolved types the constructs read (defaulted fields required). `npm run schema` writes the
 * file; a test checks it is current.
 */
import { CLUSTER_SPEC_FIELD, Field, ObjectField, STACK_ONLY_FIELDS } from './schema';

const resolvedName = (typeName: string): string => `Resolved${typeName}`;

function wrap(text: string, indent: string): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && `${line} ${w}`.length > 96) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent} * ${l}`);
}

function doc(indent: string, description: string, dflt?: string): string[] {
  const body = [...wrap(description, indent), ...(dflt !== undefined ? [`${indent} * @default ${dflt}`] : [])];
  return [`${indent}/**`, ...body, `${indent} */`];
}

function defaultText(field: Field): string | undefined {
  if (field.unset !== undefined) return field.unset;
  switch (field.kind) {
    case 'string':
      if (field.default === undefined) return undefined;
      return typeof field.default === 'string' ? JSON.stringify(field.default) : field.default.text;
    case 'integer':
    case 'boolean':
      return field.default === undefined ? undefined : String(field.default);
    case 'array':
      return field.default ? field.default.text : field.defaultEmpty ? '[]' : undefined;
    case 'object':
      return field.defaultText;
    case 'union':
      return field.defaultText;
  }
}

/** Whether the resolved value of an optional field is always present. */
function alwaysResolved(field: Field): boolean {
  switch (field.kind) {
    case 'string':
      return field.default !== undefined && (typeof field.default === 'string' || !field.default.mayBeUnset);
    case 'integer':
    case 'boolean':
      return field.default !== undefined;
    case 'array':
      return !!field.defaultEmpty || (field.default !== undefined && !field.default.mayBeUnset);
    case 'object':
      return field.resolveWhenAbsent;
    case 'union':
      return true;
  }
}

interface Emitter {
  readonly blocks: Map<string, string[]>;
  readonly enums: Map<string, readonly string[]>;
}

function typeOf(field: Field, resolved: boolean, e: Emitter): string {
  switch (field.kind) {
    case 'string':
      if (field.enum && field.enumType) {
        e.enums.set(field.enumType, field.enum);
        return field.enumType;
      }
      return field.enum ? field.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `${typeOf(field.items, resolved, e)}[]`;
    case 'object':
      emitObject(field, resolved, e);
      return resolved ? resolvedName(field.typeName) : field.typeName;
    case 'union': {
      const names = Object.values(field.variants).map((v) => {
        emitObject(v, resolved, e);
        return resolved ? resolvedName(v.typeName) : v.typeName;
      });
      const name = resolved ? resolvedName(field.typeName) : field.typeName;
      if (!e.blocks.has(name)) e.blocks.set(name, [...doc('', field.description), `export type ${name} = ${names.join(' | ')};`]);
      return name;
    }
  }
}

function emitObject(
  field: ObjectField,
  resolved: boolean,
  e: Emitter,
  opts: { name?: string; only?: (k: string) => boolean; extendsName?: string } = {},
): void {
  const name = opts.name ?? (resolved ? resolvedName(field.typeName) : field.typeName);
  if (e.blocks.has(name)) return;
  e.blocks.set(name, []); // reserve: nested types come after their parent in a stable order
  const lines: string[] = [];
  for (const [key, child] of Object.entries(field.fields)) {
    if (opts.only && !opts.only(key)) continue;
    const required = field.required?.includes(key) || (resolved && alwaysResolved(child));
    const type = typeOf(child, resolved, e);
    const dflt = resolved || field.required?.includes(key) ? undefined : defaultText(child);
    lines.push(...doc('  ', child.description, dflt), `  readonly ${/^[A-Za-z_]\w*$/.test(key) ? key : JSON.stringify(key)}${required ? '' : '?'}: ${type};`);
  }
  const description = resolved ? `${field.description} (Resolved: every default applied.)` : field.description;
  e.blocks.set(name, [...doc('', description), `export interface ${name}${opts.extendsName ? ` extends ${opts.extendsName}` : ''} {`, ...lines, '}']);
}

/** The whole types.ts file. */
export function generateTypes(): string {
  const e: Emitter = { blocks: new Map(), enums: new Map() };
  const stackOnly = (k: string): boolean => (STACK_ONLY_FIELDS as readonly string[]).includes(k);
  emitObject(
    { ...CLUSTER_SPEC_FIELD, description: 'Props of `EtcdCluster`: the cluster description (the spec file without its stack-level settings).' },
    false,
    e,
    {
      name: 'EtcdClusterProps',
      only: (k) => !stackOnly(k),
    },
  );
  emitObject({ ...CLUSTER_SPEC_FIELD, description: 'The spec file: the cluster props plus stack-level settings.' }, false, e, {
    name: 'ClusterSpec',
    only: stackOnly,
    extendsName: 'EtcdClusterProps',
  });
  emitObject(CLUSTER_SPEC_FIELD, true, e, { name: 'ResolvedClusterSpec', only: (k) => k !== '$schema' });
  const enums = [...e.enums].map(([name, values]) => `export type ${name} = ${values.map((v) => JSON.stringify(v)).join(' | ')};`);
  return [
    '// Generated from src/config/schema.ts by `npm run schema`: do not edit. A test checks that it is current.',
    '/* eslint-disable */',
    '',
    ...enums,
    '',
    ...[...e.blocks.values()].flatMap((b) => [...b, '']),
  ].join('\n');
}
