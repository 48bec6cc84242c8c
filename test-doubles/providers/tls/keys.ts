/**
 * Private keys as the real tls provider handles them: generation, parsing of PKCS#1 / SEC1 /
 * PKCS#8 PEM, and the derived public encodings (PEM, OpenSSH, fingerprints, key identifiers).
 */
import * as crypto from 'crypto';
import * as der from '../protocol/der';

export type Algorithm = 'RSA' | 'ECDSA' | 'ED25519';
export const ALGORITHMS: Algorithm[] = ['RSA', 'ECDSA', 'ED25519'];
export const ECDSA_CURVES = ['P224', 'P256', 'P384', 'P521'];

const NODE_CURVE: Record<string, string> = { P224: 'secp224r1', P256: 'prime256v1', P384: 'secp384r1', P521: 'secp521r1' };
const SSH_CURVE: Record<string, string> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

export function generateKey(algorithm: Algorithm, rsaBits: number, curve: string): crypto.KeyObject {
  switch (algorithm) {
    case 'RSA':
      return crypto.generateKeyPairSync('rsa', { modulusLength: rsaBits }).privateKey;
    case 'ECDSA': {
      const named = NODE_CURVE[curve];
      if (!named) throw new Error(`invalid ECDSA curve; supported values are: [${ECDSA_CURVES.join(' ')}]`);
      return crypto.generateKeyPairSync('ec', { namedCurve: named }).privateKey;
    }
    case 'ED25519':
      return crypto.generateKeyPairSync('ed25519').privateKey;
  }
}

export function algorithmOf(key: crypto.KeyObject): Algorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RSA';
    case 'ec':
      return 'ECDSA';
    case 'ed25519':
      return 'ED25519';
    default:
      throw new Error(`unsupported private key type: ${key.asymmetricKeyType}`);
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/;

export function pemBlock(pem: string): { type: string; der: Buffer } | null {
  const m = PEM_BLOCK.exec(pem);
  if (!m) return null;
  return { type: m[1], der: Buffer.from(m[2].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64') };
}

export function toPem(type: string, body: Buffer): string {
  const b64 = body.toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

/** parsePrivateKeyPEM: accepts "RSA PRIVATE KEY", "EC PRIVATE KEY" and "PRIVATE KEY". */
export function parsePrivateKeyPem(pem: string): { key: crypto.KeyObject; algorithm: Algorithm } {
  const block = pemBlock(pem);
  if (!block) throw new Error(`failed to decode PEM block: decoded bytes 0, undecoded ${pem.length}`);
  const formats: Record<string, crypto.PrivateKeyInput['type']> = { 'RSA PRIVATE KEY': 'pkcs1', 'EC PRIVATE KEY': 'sec1', 'PRIVATE KEY': 'pkcs8' };
  const type = formats[block.type];
  if (!type) throw new Error(`unable to determine parser for PEM preamble: ${block.type}`);
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey({ key: block.der, format: 'der', type });
  } catch (e) {
    throw new Error(`failed to parse private key given PEM preamble '${block.type}': ${(e as Error).message}`);
  }
  return { key, algorithm: algorithmOf(key) };
}

/** private_key_pem as the provider writes it: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for ED25519. */
export function privateKeyPem(key: crypto.KeyObject): string {
  switch (algorithmOf(key)) {
    case 'RSA':
      return toPem('RSA PRIVATE KEY', key.export({ type: 'pkcs1', format: 'der' }));
    case 'ECDSA':
      return toPem('EC PRIVATE KEY', key.export({ type: 'sec1', format: 'der' }));
    case 'ED25519':
      return toPem('PRIVATE KEY', key.export({ type: 'pkcs8', format: 'der' }));
  }
}

export const privateKeyPemPkcs8 = (key: crypto.KeyObject): string => toPem('PRIVATE KEY', key.export({ type: 'pkcs8', format: 'der' }));

export function spkiDer(key: crypto.KeyObject): Buffer {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'der' });
}

/** The BIT STRING payload of a SubjectPublicKeyInfo. */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  const [, bits] = der.children(der.read(spki).content);
  return bits.content.subarray(1);
}

/** generateSubjectKeyID: SHA-1 over Go's marshalling of the public key (see README for ED25519). */
export function subjectKeyId(publicKey: crypto.KeyObject): Buffer {
  const spki = spkiDer(publicKey);
  const bits = subjectPublicKeyBits(spki);
  const algorithm = algorithmOf(publicKey);
  // RSA: asn1.Marshal(rsa.PublicKey) is the PKCS#1 RSAPublicKey, i.e. the BIT STRING payload.
  // ECDSA: elliptic.Marshal is the uncompressed point, again the payload.
  // ED25519: asn1.Marshal of the []byte key is an OCTET STRING around the 32 key bytes.
  const input = algorithm === 'ED25519' ? der.octetString(bits) : bits;
  return crypto.createHash('sha1').update(input).digest();
}

// ---- OpenSSH encodings (golang.org/x/crypto/ssh) ---------------------------------------------

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function sshMpint(b64url: string): Buffer {
  let bytes = Buffer.from(b64url, 'base64url');
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  bytes = bytes.subarray(i);
  if (bytes.length && bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return sshString(bytes);
}

const uint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

interface Jwk {
  kty: string;
  crv?: string;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  qi?: string;
  x?: string;
  y?: string;
}

function ecPoint(jwk: Jwk): Buffer {
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}

/** The SSH wire encoding of the public key, or null where x/crypto/ssh has none (P-224). */
export function sshPublicKeyWire(key: crypto.KeyObject): { type: string; wire: Buffer } | null {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  // x/crypto/ssh has no P-224 (and node's JWK export neither): no OpenSSH form for it.
  if (pub.asymmetricKeyType === 'ec' && pub.asymmetricKeyDetails?.namedCurve === 'secp224r1') return null;
  const jwk = pub.export({ format: 'jwk' }) as Jwk;
  switch (algorithmOf(pub)) {
    case 'RSA':
      return { type: 'ssh-rsa', wire: Buffer.concat([sshString('ssh-rsa'), sshMpint(jwk.e!), sshMpint(jwk.n!)]) };
    case 'ECDSA': {
      const curve = jwk.crv ? SSH_CURVE[jwk.crv] : undefined;
      if (!curve) return null;
      const type = `ecdsa-sha2-${curve}`;
      return { type, wire: Buffer.concat([sshString(type), sshString(curve), sshString(ecPoint(jwk))]) };
    }
    case 'ED25519':
      return { type: 'ssh-ed25519', wire: Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(jwk.x!, 'base64url'))]) };
  }
}

export interface PublicKeyAttributes {
  public_key_pem: string;
  public_key_openssh: string;
  public_key_fingerprint_md5: string;
  public_key_fingerprint_sha256: string;
  id: string;
}

/** hashForState: hex SHA-1 of the value with surrounding whitespace trimmed. */
export function hashForState(value: Buffer): string {
  if (value.length === 0) return '';
  let start = 0;
  let end = value.length;
  const ws = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
  while (start < end && ws(value[start])) start++;
  while (end > start && ws(value[end - 1])) end--;
  return crypto.createHash('sha1').update(value.subarray(start, end)).digest('hex');
}

/** setPublicKeyAttributes of the real provider. */
export function publicKeyAttributes(key: crypto.KeyObject): PublicKeyAttributes {
  const spki = spkiDer(key);
  const ssh = sshPublicKeyWire(key);
  return {
    id: hashForState(spki),
    public_key_pem: toPem('PUBLIC KEY', spki),
    public_key_openssh: ssh ? `${ssh.type} ${ssh.wire.toString('base64')}\n` : '',
    public_key_fingerprint_md5: ssh ? (crypto.createHash('md5').update(ssh.wire).digest('hex').match(/../g) ?? []).join(':') : '',
    public_key_fingerprint_sha256: ssh ? `SHA256:${crypto.createHash('sha256').update(ssh.wire).digest('base64').replace(/=+$/, '')}` : '',
  };
}

/** ssh.MarshalPrivateKey: an unencrypted "openssh-key-v1" PEM block, or "" where unsupported. */
export function privateKeyOpenssh(key: crypto.KeyObject, comment = ''): string {
  const ssh = sshPublicKeyWire(key);
  if (!ssh) return '';
  const jwk = key.export({ format: 'jwk' }) as Jwk;
  let fields: Buffer;
  switch (algorithmOf(key)) {
    case 'RSA':
      fields = Buffer.concat([sshMpint(jwk.n!), sshMpint(jwk.e!), sshMpint(jwk.d!), sshMpint(jwk.qi!), sshMpint(jwk.p!), sshMpint(jwk.q!)]);
      break;
    case 'ECDSA': {
      const curve = SSH_CURVE[jwk.crv!];
      fields = Buffer.concat([sshString(curve), sshString(ecPoint(jwk)), sshMpint(jwk.d!)]);
      break;
    }
    case 'ED25519': {
      const pub = Buffer.from(jwk.x!, 'base64url');
      fields = Buffer.concat([sshString(pub), sshString(Buffer.concat([Buffer.from(jwk.d!, 'base64url'), pub]))]);
      break;
    }
  }
  const check = crypto.randomBytes(4).readUInt32BE();
  let priv = Buffer.concat([uint32(check), uint32(check), sshString(ssh.type), fields, sshString(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'binary'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(ssh.wire),
    sshString(priv),
  ]);
  return toPem('OPENSSH PRIVATE KEY', body);
}
