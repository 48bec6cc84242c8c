/** tls_cert_request (hashicorp/tls 4.1.0): a PKCS#10 certificate signing request. */
import { ObjectValue } from '../protocol/cty';
import { ResourceDefinition, error } from '../framework';
import { hashForState, parsePrivateKeyPem, toPem } from './keys';
import { altNamesFrom, computedString, nameListAttr, subjectBlock, subjectFrom } from './common';
import { createCertificateRequest, encodeName } from './x509';

export const certRequestResource: ResourceDefinition = {
  typeName: 'tls_cert_request',
  version: 0,
  schema: {
    description: 'Creates a Certificate Signing Request (CSR) in PEM (RFC 1421) format.',
    attributes: [
      {
        name: 'private_key_pem',
        type: 'string',
        required: true,
        sensitive: true,
        replace: 'ifStatePem',
        description: 'Private key in PEM (RFC 1421) format, that the certificate will belong to.',
      },
      nameListAttr('dns_names', 'DNS names'),
      nameListAttr('ip_addresses', 'IP addresses'),
      nameListAttr('uris', 'URIs'),
      computedString('cert_request_pem', 'The certificate request data in PEM (RFC 1421) format.'),
      computedString('key_algorithm', 'Name of the algorithm used when generating the private key provided in `private_key_pem`. '),
      computedString('id', 'Unique identifier for this resource: hexadecimal representation of the SHA1 checksum of the resource.'),
    ],
    blocks: [subjectBlock],
  },
  create(planned) {
    let parsed;
    try {
      parsed = parsePrivateKeyPem(String(planned.private_key_pem));
    } catch (e) {
      return { state: null, diagnostics: [error('Failed to parse private key PEM', (e as Error).message)] };
    }
    const { alt, diagnostics } = altNamesFrom(planned);
    if (diagnostics.length) return { state: null, diagnostics };
    const csr = createCertificateRequest(encodeName(subjectFrom(planned.subject) ?? {}), alt, parsed.key);
    const state: ObjectValue = {
      ...planned,
      key_algorithm: parsed.algorithm,
      cert_request_pem: toPem('CERTIFICATE REQUEST', csr),
      id: hashForState(csr),
    };
    return { state };
  },
};
