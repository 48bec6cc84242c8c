/**
 * X.509 certificates and PKCS#10 requests built the way Go's crypto/x509 builds them for the
 * tls provider: same extension order and criticality, same name encoding, same signature
 * algorithm per key type.
 */
import * as crypto from 'crypto';
import * as net from 'net';
import * as der from '../protocol/der';
import { algorithmOf, spkiDer, subjectKeyId } from './keys';

export interface Subject {
  common_name?: string | null;
  organization?: string | null;
  organizational_unit?: string | null;
  street_address?: string[] | null;
  locality?: string | null;
  province?: string | null;
  country?: string | null;
  postal_code?: string | null;
  serial_number?: string | null;
  email_address?: string | null;
}

const OID = {
  country: '2.5.4.6',
  province: '2.5.4.8',
  locality: '2.5.4.7',
  street: '2.5.4.9',
  postalCode: '2.5.4.17',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  email: '1.2.840.113549.1.9.1',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  extensionRequest: '1.2.840.113549.1.9.14',
};

export const KEY_USAGES: Record<string, number> = {
  digital_signature: 1 << 0,
  content_commitment: 1 << 1,
  key_encipherment: 1 << 2,
  data_encipherment: 1 << 3,
  key_agreement: 1 << 4,
  cert_signing: 1 << 5,
  crl_signing: 1 << 6,
  encipher_only: 1 << 7,
  decipher_only: 1 << 8,
};

export const EXTENDED_KEY_USAGES: Record<string, string> = {
  any_extended: '2.5.29.37.0',
  server_auth: '1.3.6.1.5.5.7.3.1',
  client_auth: '1.3.6.1.5.5.7.3.2',
  code_signing: '1.3.6.1.5.5.7.3.3',
  email_protection: '1.3.6.1.5.5.7.3.4',
  ipsec_end_system: '1.3.6.1.5.5.7.3.5',
  ipsec_tunnel: '1.3.6.1.5.5.7.3.6',
  ipsec_user: '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8',
  ocsp_signing: '1.3.6.1.5.5.7.3.9',
  microsoft_server_gated_crypto: '1.3.6.1.4.1.311.10.3.3',
  netscape_server_gated_crypto: '2.16.840.1.113730.4.1',
  microsoft_commercial_code_signing: '1.3.6.1.4.1.311.2.1.22',
  microsoft_kernel_code_signing: '1.3.6.1.4.1.311.61.1.1',
};

export const SUPPORTED_USAGES = [...Object.keys(KEY_USAGES), ...Object.keys(EXTENDED_KEY_USAGES)].sort();

/** pkix.Name.ToRDNSequence: C, ST, L, STREET, PC, O, OU, CN, SERIALNUMBER, then the e-mail extra name. */
export function encodeName(s: Subject): Buffer {
  const rdns: Buffer[] = [];
  const add = (oid: string, values: string[], encode = der.directoryString): void => {
    if (values.length === 0) return;
    rdns.push(der.setOf(...values.map((v) => der.seq(der.oid(oid), encode(v)))));
  };
  const one = (v: string | null | undefined): string[] => (v === null || v === undefined ? [] : [v]);
  add(OID.country, one(s.country));
  add(OID.province, one(s.province));
  add(OID.locality, one(s.locality));
  add(OID.street, s.street_address ?? []);
  add(OID.postalCode, one(s.postal_code));
  add(OID.organization, one(s.organization));
  add(OID.organizationalUnit, one(s.organizational_unit));
  if (s.common_name) add(OID.commonName, [s.common_name]);
  if (s.serial_number) add(OID.serialNumber, [s.serial_number]);
  if (s.email_address !== null && s.email_address !== undefined) add(OID.email, [s.email_address], der.ia5String);
  return der.seq(...rdns);
}

const isEmptyName = (name: Buffer): boolean => der.read(name).content.length === 0;

export interface AltNames {
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (net.isIPv6(ip)) {
    const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
    let text = ip;
    if (mapped) {
      const v4 = mapped[2].split('.').map(Number);
      text = `${mapped[1]}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
  }
  throw new Error(`Failed to parse ${JSON.stringify(ip)}`);
}

/** Go's net.IP is 16 bytes; marshalSANs writes IPv4 addresses as 4 bytes. */
function ipFromBytes(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':');
}

export function isValidIp(ip: string): boolean {
  return net.isIP(ip) !== 0;
}

function generalNames(alt: AltNames): Buffer {
  return der.seq(
    ...alt.dnsNames.map((d) => der.implicitPrimitive(2, Buffer.from(d, 'ascii'))),
    ...alt.ipAddresses.map((ip) => {
      const b = ipBytes(ip);
      // net.ParseIP keeps IPv4-mapped IPv6 as IPv4; To4() then yields 4 bytes.
      const isMapped = b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
      return der.implicitPrimitive(7, isMapped ? b.subarray(12) : b);
    }),
    ...alt.uris.map((u) => der.implicitPrimitive(6, Buffer.from(u, 'utf8'))),
  );
}

const hasAltNames = (alt: AltNames): boolean => alt.dnsNames.length + alt.ipAddresses.length + alt.uris.length > 0;

function extension(oidText: string, critical: boolean, value: Buffer): Buffer {
  return der.seq(der.oid(oidText), ...(critical ? [der.bool(true)] : []), der.octetString(value));
}

function keyUsageValue(bits: number): Buffer {
  const reverse = (b: number): number => {
    let r = 0;
    for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 1 << (7 - i);
    return r;
  };
  const bytes = [reverse(bits & 0xff), reverse((bits >> 8) & 0xff)];
  const len = bytes[1] !== 0 ? 2 : 1;
  const used = Buffer.from(bytes.slice(0, len));
  const last = used[len - 1];
  let unused = 0;
  while (unused < 8 && !(last & (1 << unused))) unused++;
  return der.bitString(used, unused === 8 ? 0 : unused);
}

function signatureAlgorithm(key: crypto.KeyObject): { algId: Buffer; hash: string | null } {
  switch (algorithmOf(key)) {
    case 'RSA':
      return { algId: der.seq(der.oid('1.2.840.113549.1.1.11'), der.nullValue()), hash: 'sha256' };
    case 'ECDSA': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { algId: der.seq(der.oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'secp521r1') return { algId: der.seq(der.oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      return { algId: der.seq(der.oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    }
    case 'ED25519':
      return { algId: der.seq(der.oid('1.3.101.112')), hash: null };
  }
}

function signed(tbs: Buffer, signer: crypto.KeyObject): Buffer {
  const { algId, hash } = signatureAlgorithm(signer);
  const signature = crypto.sign(hash, tbs, signer);
  return der.seq(tbs, algId, der.bitString(signature));
}

export interface CertificateTemplate {
  subject: Buffer; // encoded Name
  issuer: Buffer; // encoded Name (raw subject of the parent)
  publicKey: crypto.KeyObject;
  signer: crypto.KeyObject;
  altNames: AltNames;
  validityHours: number;
  allowedUses: string[];
  isCa: boolean;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  now?: Date;
}

export interface IssuedCertificate {
  der: Buffer;
  serial: bigint;
  notBefore: Date;
  notAfter: Date;
}

/** x509.CreateCertificate with BasicConstraintsValid, as createCertificate in the provider calls it. */
export function createCertificate(t: CertificateTemplate): IssuedCertificate {
  const notBefore = t.now ?? new Date();
  const notAfter = new Date(notBefore.getTime() + t.validityHours * 3600_000);
  let serial = 0n;
  for (const b of crypto.randomBytes(16)) serial = (serial << 8n) | BigInt(b);

  let keyUsage = 0;
  const ekus: string[] = [];
  for (const use of t.allowedUses) {
    if (use in KEY_USAGES) keyUsage |= KEY_USAGES[use];
    if (use in EXTENDED_KEY_USAGES) ekus.push(EXTENDED_KEY_USAGES[use]);
  }
  const exts: Buffer[] = [];
  if (keyUsage !== 0) exts.push(extension(OID.keyUsage, true, keyUsageValue(keyUsage)));
  if (ekus.length > 0) exts.push(extension(OID.extKeyUsage, false, der.seq(...ekus.map(der.oid))));
  exts.push(extension(OID.basicConstraints, true, t.isCa ? der.seq(der.bool(true)) : der.seq()));
  if (t.subjectKeyId?.length) exts.push(extension(OID.subjectKeyId, false, der.octetString(t.subjectKeyId)));
  if (t.authorityKeyId?.length) exts.push(extension(OID.authorityKeyId, false, der.seq(der.implicitPrimitive(0, t.authorityKeyId))));
  if (hasAltNames(t.altNames)) exts.push(extension(OID.subjectAltName, isEmptyName(t.subject), generalNames(t.altNames)));

  const tbs = der.seq(
    der.explicit(0, der.integer(2)),
    der.integer(serial),
    signatureAlgorithm(t.signer).algId,
    t.issuer,
    der.seq(der.time(notBefore), der.time(notAfter)),
    t.subject,
    spkiDer(t.publicKey),
    der.explicit(3, der.seq(...exts)),
  );
  return { der: signed(tbs, t.signer), serial, notBefore, notAfter };
}

/** x509.CreateCertificateRequest: subject, key, and a SAN extension request when names are given. */
export function createCertificateRequest(subject: Buffer, altNames: AltNames, key: crypto.KeyObject): Buffer {
  const attributes = hasAltNames(altNames)
    ? [der.seq(der.oid(OID.extensionRequest), der.setOf(der.seq(extension(OID.subjectAltName, false, generalNames(altNames)))))]
    : [];
  const info = der.seq(der.integer(0), subject, spkiDer(key), der.tlv(0xa0, Buffer.concat(attributes)));
  return signed(info, key);
}

function altNamesFromExtensions(extensions: der.Node[]): AltNames {
  const alt: AltNames = { dnsNames: [], ipAddresses: [], uris: [] };
  for (const ext of extensions) {
    const parts = der.children(ext.content);
    if (der.oidToString(parts[0].content) !== OID.subjectAltName) continue;
    const value = parts[parts.length - 1].content;
    for (const name of der.children(der.read(value).content)) {
      if (name.tag === 0x82) alt.dnsNames.push(name.content.toString('ascii'));
      else if (name.tag === 0x87) alt.ipAddresses.push(ipFromBytes(name.content));
      else if (name.tag === 0x86) alt.uris.push(name.content.toString('utf8'));
    }
  }
  return alt;
}

export interface ParsedRequest {
  subject: Buffer;
  publicKey: crypto.KeyObject;
  altNames: AltNames;
}

/** x509.ParseCertificateRequest, for the parts a locally signed certificate copies. */
export function parseCertificateRequest(derBytes: Buffer): ParsedRequest {
  const [info] = der.children(der.read(derBytes).content);
  const [, subject, spki, attrs] = der.children(info.content);
  const extensions: der.Node[] = [];
  if (attrs && attrs.tag === 0xa0) {
    for (const attr of der.children(attrs.content)) {
      const [type, values] = der.children(attr.content);
      if (der.oidToString(type.content) !== OID.extensionRequest) continue;
      for (const exts of der.children(values.content)) extensions.push(...der.children(exts.content));
    }
  }
  return {
    subject: subject.raw,
    publicKey: crypto.createPublicKey({ key: spki.raw, format: 'der', type: 'spki' }),
    altNames: altNamesFromExtensions(extensions),
  };
}

export interface ParsedCertificate {
  subject: Buffer;
  isCa: boolean;
  subjectKeyId: Buffer | null;
}

export function parseCertificate(derBytes: Buffer): ParsedCertificate {
  const [tbs] = der.children(der.read(derBytes).content);
  const fields = der.children(tbs.content);
  const offset = fields[0].tag === 0xa0 ? 1 : 0;
  const subject = fields[offset + 4];
  let isCa = false;
  let ski: Buffer | null = null;
  const extsField = fields.find((f) => f.tag === 0xa3);
  if (extsField) {
    for (const ext of der.children(der.read(extsField.content).content)) {
      const parts = der.children(ext.content);
      const id = der.oidToString(parts[0].content);
      const value = parts[parts.length - 1].content;
      if (id === OID.basicConstraints) {
        const bc = der.children(der.read(value).content);
        isCa = bc.length > 0 && bc[0].tag === 0x01 && bc[0].content[0] !== 0;
      } else if (id === OID.subjectKeyId) {
        ski = Buffer.from(der.read(value).content);
      }
    }
  }
  return { subject: subject.raw, isCa, subjectKeyId: ski };
}

/** The stand-in's own TLS identity for go-plugin's automatic mutual TLS. */
export function selfSignedServerCertificate(): { certPem: string; keyPem: string; certDer: Buffer } {
  const key = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const name = encodeName({ organization: 'HashiCorp', common_name: 'localhost' });
  const cert = createCertificate({
    subject: name,
    issuer: name,
    publicKey: key,
    signer: key,
    altNames: { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], uris: [] },
    validityHours: 24 * 30,
    allowedUses: ['digital_signature', 'key_encipherment', 'cert_signing', 'server_auth', 'client_auth'],
    isCa: true,
    subjectKeyId: subjectKeyId(key),
    now: new Date(Date.now() - 30_000),
  });
  const b64 = cert.der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    certDer: cert.der,
  };
}

/** Go's time.Time.MarshalText (RFC 3339 with fractional seconds, trailing zeros trimmed). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
}
