import { Field, ObjectField } from './schema';

/** One finding: where (a JSON-ish path like `members[1].address`) and what rule it broke. */
export interface SpecIssue {
  readonly path: string;
  readonly message: string;
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Levenshtein distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function suggestion(key: string, known: string[]): string {
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Checks types, unknown keys, required keys, ranges and string rules against the descriptor. */
export function checkStructure(value: unknown, field: Field, path: string, issues: SpecIssue[]): void {
  const at = path || '(spec)';
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') {
        issues.push({ path: at, message: `must be a string, got ${typeName(value)} ${show(value)}` });
      } else if (field.enum && !field.enum.includes(value)) {
        issues.push({ path: at, message: `${show(value)} is not one of ${field.enum.map((e) => `"${e}"`).join(', ')}` });
      } else if (field.rule && !field.rule.test(value)) {
        issues.push({ path: at, message: `${show(value)} must be ${field.rule.name}` });
      }
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        issues.push({ path: at, message: `must be an integer, got ${typeName(value)} ${show(value)}` });
      } else if (value < field.min || value > field.max) {
        issues.push({ path: at, message: `${value} is out of range: must be between ${field.min} and ${field.max}` });
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.push({ path: at, message: `must be true or false, got ${typeName(value)} ${show(value)}` });
      return;
    case 'array':
      if (!Array.isArray(value)) {
        issues.push({ path: at, message: `must be an array, got ${typeName(value)} ${show(value)}` });
        return;
      }
      if (field.minItems !== undefined && value.length < field.minItems) {
        issues.push({ path: at, message: `must have at least ${field.minItems} entr${field.minItems === 1 ? 'y' : 'ies'}, got ${value.length}` });
      }
      if (field.maxItems !== undefined && value.length > field.maxItems) {
        issues.push({ path: at, message: `must have at most ${field.maxItems} entries, got ${value.length}` });
      }
      value.forEach((item, i) => checkStructure(item, field.items, `${path}[${i}]`, issues));
      return;
    case 'object':
      checkObject(value, field, path, issues);
      return;
    case 'union': {
      const kinds = Object.keys(field.variants);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        issues.push({ path: at, message: `must be an object, got ${typeName(value)} ${show(value)}` });
        return;
      }
      const type = (value as Record<string, unknown>).type;
      const variant = typeof type === 'string' ? field.variants[type] : undefined;
      if (!variant) {
        issues.push({ path: join(path, 'type'), message: `${show(type)} is not one of ${kinds.map((k) => `"${k}"`).join(', ')}` });
        return;
      }
      checkObject(value, variant, path, issues);
    }
  }
}

function checkObject(value: unknown, field: ObjectField, path: string, issues: SpecIssue[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path: path || '(spec)', message: `must be an object, got ${typeName(value)} ${show(value)}` });
    return;
  }
  const record = value as Record<string, unknown>;
  const known = Object.keys(field.fields);
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) {
      issues.push({ path: join(path, key), message: `unknown key${suggestion(key, known)}; allowed keys here: ${known.join(', ')}` });
    }
  }
  for (const key of field.required ?? []) {
    if (record[key] === undefined) issues.push({ path: join(path, key), message: 'is required' });
  }
  for (const key of known) {
    if (record[key] !== undefined) checkStructure(record[key], field.fields[key], join(path, key), issues);
  }
}
