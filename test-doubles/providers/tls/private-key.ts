/** tls_private_key (hashicorp/tls 4.1.0): generates RSA, ECDSA or ED25519 keys at apply. */
import { ObjectValue } from '../protocol/cty';
import { ResourceDefinition, error, oneOf } from '../framework';
import { ALGORITHMS, Algorithm, ECDSA_CURVES, generateKey, privateKeyOpenssh, privateKeyPem, privateKeyPemPkcs8, publicKeyAttributes } from './keys';
import { computedString } from './common';

const computed = (name: string, description: string, sensitive = false) => ({ ...computedString(name, description, sensitive), useStateForUnknown: false });

export const privateKeyResource: ResourceDefinition = {
  typeName: 'tls_private_key',
  version: 1,
  schema: {
    description: 'Creates a PEM (and OpenSSH) formatted private key.',
    attributes: [
      {
        name: 'algorithm',
        type: 'string',
        required: true,
        replace: 'always',
        validate: oneOf(ALGORITHMS),
        description: `Name of the algorithm to use when generating the private key. Currently-supported values are: \`${ALGORITHMS.join('`, `')}\`.`,
      },
      {
        name: 'rsa_bits',
        type: 'number',
        optional: true,
        computed: true,
        default: 2048,
        replace: 'always',
        description: 'When `algorithm` is `RSA`, the size of the generated RSA key, in bits (default: `2048`).',
      },
      {
        name: 'ecdsa_curve',
        type: 'string',
        optional: true,
        computed: true,
        default: 'P224',
        replace: 'always',
        validate: oneOf(ECDSA_CURVES),
        description: 'When `algorithm` is `ECDSA`, the name of the elliptic curve to use. (default: `P224`).',
      },
      computed('private_key_pem', 'Private key data in PEM (RFC 1421) format.', true),
      computed('private_key_openssh', 'Private key data in OpenSSH PEM (RFC 4716) format.', true),
      computed('private_key_pem_pkcs8', 'Private key data in PKCS#8 PEM (RFC 5208) format.', true),
      computed('public_key_pem', 'Public key data in PEM (RFC 1421) format.'),
      computed('public_key_openssh', 'The public key data in "Authorized Keys" format.'),
      computed('public_key_fingerprint_md5', 'The fingerprint of the public key data in OpenSSH MD5 hash format.'),
      computed('public_key_fingerprint_sha256', 'The fingerprint of the public key data in OpenSSH SHA256 hash format.'),
      computed('id', 'Unique identifier for this resource: hexadecimal representation of the SHA1 checksum of the resource.'),
    ],
  },
  create(planned) {
    const algorithm = planned.algorithm as Algorithm;
    let key;
    try {
      key = generateKey(algorithm, Number(planned.rsa_bits), String(planned.ecdsa_curve));
    } catch (e) {
      return { state: null, diagnostics: [error('Unable to generate Key from configuration', (e as Error).message)] };
    }
    const state: ObjectValue = {
      ...planned,
      private_key_pem: privateKeyPem(key),
      private_key_pem_pkcs8: privateKeyPemPkcs8(key),
      private_key_openssh: privateKeyOpenssh(key),
      ...publicKeyAttributes(key),
    };
    return { state };
  },
};
