/**
 * Minimal DER encoder and TLV reader: enough to build X.509 certificates and PKCS#10 requests
 * byte-for-byte the way Go's crypto/x509 lays them out, and to read back CSRs and CA certs.
 */

export function tlv(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
/** SET OF, sorted by encoding as DER (and Go) require. */
export const setOf = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
export const octetString = (b: Buffer): Buffer => tlv(0x04, b);
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
export const bool = (v: boolean): Buffer => Buffer.from([0x01, 0x01, v ? 0xff : 0x00]);
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
export const implicitPrimitive = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** INTEGER from a non-negative bigint (two's complement, minimal length). */
export function integer(v: bigint | number): Buffer {
  let hex = BigInt(v).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map((p) => BigInt(p));
  const out: number[] = [Number(parts[0] * 40n + parts[1])];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let n = part;
    do {
      chunk.unshift(Number(n & 0x7fn));
      n >>= 7n;
    } while (n > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export function oidToString(content: Buffer): string {
  const parts: bigint[] = [];
  let n = 0n;
  for (const byte of content) {
    n = (n << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(n);
      n = 0n;
    }
  }
  const first = parts.shift() ?? 0n;
  const a = first < 80n ? first / 40n : 2n;
  return [a, first - a * 40n, ...parts].join('.');
}

/** Go's asn1 picks PrintableString when every character allows it, else UTF8String. */
export function directoryString(s: string): Buffer {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
  return tlv(printable ? 0x13 : 0x0c, Buffer.from(s, 'utf8'));
}
export const ia5String = (s: string): Buffer => tlv(0x16, Buffer.from(s, 'ascii'));

/** UTCTime for 1950–2049, GeneralizedTime otherwise; whole seconds in UTC, as Go writes them. */
export function time(d: Date): Buffer {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const y = d.getUTCFullYear();
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(pad(y % 100) + rest, 'ascii'));
  return tlv(0x18, Buffer.from(pad(y, 4) + rest, 'ascii'));
}

/** One decoded TLV: tag, content, and the whole encoding. */
export interface Node {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

export function read(buf: Buffer, offset = 0): Node & { end: number } {
  const tag = buf[offset];
  let len = buf[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i];
    pos += n;
  }
  if (pos + len > buf.length) throw new Error('DER: truncated value');
  return { tag, content: buf.subarray(pos, pos + len), raw: buf.subarray(offset, pos + len), end: pos + len };
}

export function children(content: Buffer): Node[] {
  const out: Node[] = [];
  for (let pos = 0; pos < content.length; ) {
    const n = read(content, pos);
    out.push(n);
    pos = n.end;
  }
  return out;
}
