/**
 * A small model of Terraform's cty values as they travel in DynamicValue.msgpack:
 * objects carry every attribute (null included), list-nested blocks are arrays,
 * and an unknown value is a MessagePack extension (type 0, or 12 for a refined unknown).
 */
import { decode, encode, ExtensionCodec, ExtData } from '@msgpack/msgpack';

/** The single unknown value. Refinements that Terraform sends are dropped. */
export const UNKNOWN: unique symbol = Symbol('cty.unknown');
export type Unknown = typeof UNKNOWN;

export type Value = null | Unknown | string | number | boolean | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

export type CtyType = 'string' | 'number' | 'bool' | ['list' | 'set' | 'map', CtyType];

const UNKNOWN_EXT = 0;
const REFINED_UNKNOWN_EXT = 12;

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: UNKNOWN_EXT,
  encode: (input: unknown) => (input === UNKNOWN ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
extensionCodec.register({ type: REFINED_UNKNOWN_EXT, encode: () => null, decode: () => UNKNOWN });

export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/** True when the value, and everything inside it, is known. */
export function isWhollyKnown(v: Value): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return v.every(isWhollyKnown);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isWhollyKnown);
  return true;
}

function normalise(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (v === UNKNOWN) return UNKNOWN;
  if (v instanceof ExtData) return UNKNOWN;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Map) {
    const out: ObjectValue = {};
    for (const [k, val] of v) out[String(k)] = normalise(val);
    return out;
  }
  if (typeof v === 'object') {
    const out: ObjectValue = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = normalise(val);
    return out;
  }
  return v as Value;
}

export function decodeMsgpack(bytes: Uint8Array | null | undefined): Value {
  if (!bytes || bytes.length === 0) return null;
  return normalise(decode(bytes, { extensionCodec, useBigInt64: false }));
}

export function encodeMsgpack(v: Value): Buffer {
  return Buffer.from(encode(v, { extensionCodec, ignoreUndefined: false }));
}

/** Decode a DynamicValue, preferring msgpack and falling back to JSON. */
export function fromDynamicValue(dv: { msgpack?: Uint8Array; json?: Uint8Array } | null | undefined): Value {
  if (!dv) return null;
  if (dv.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack);
  if (dv.json && dv.json.length > 0) return normalise(JSON.parse(Buffer.from(dv.json).toString('utf8')));
  return null;
}

export function toDynamicValue(v: Value): { msgpack: Buffer } {
  return { msgpack: encodeMsgpack(v) };
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === UNKNOWN || b === UNKNOWN) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], (b as ObjectValue)[k]));
  }
  return false;
}

export function clone<T extends Value>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v !== null && typeof v === 'object') {
    const out: ObjectValue = {};
    for (const [k, val] of Object.entries(v)) out[k] = clone(val);
    return out as T;
  }
  return v;
}

/** The JSON text of a cty type, as Schema.Attribute.type expects it. */
export function typeJson(t: CtyType): Buffer {
  return Buffer.from(JSON.stringify(t), 'utf8');
}
