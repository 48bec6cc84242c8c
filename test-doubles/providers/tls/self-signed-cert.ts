/** tls_self_signed_cert (hashicorp/tls 4.1.0). */
import { ObjectValue } from '../protocol/cty';
import { ResourceDefinition, error } from '../framework';
import { parsePrivateKeyPem, subjectKeyId, toPem } from './keys';
import { certificateAttributes, computedString, altNamesFrom, nameListAttr, planRenewal, readRenewal, stringList, subjectBlock, subjectFrom } from './common';
import { createCertificate, encodeName, rfc3339 } from './x509';

export const selfSignedCertResource: ResourceDefinition = {
  typeName: 'tls_self_signed_cert',
  version: 0,
  schema: {
    description: 'Creates a **self-signed** TLS certificate in PEM (RFC 1421) format.',
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
      ...certificateAttributes(),
      {
        name: 'set_authority_key_id',
        type: 'bool',
        optional: true,
        computed: true,
        default: false,
        replace: 'always',
        description:
          'Should the generated certificate include an authority key identifier: for self-signed certificates this is the same value as the subject key identifier (default: `false`).',
      },
      computedString('key_algorithm', 'Name of the algorithm used when generating the private key provided in `private_key_pem`. '),
    ],
    blocks: [subjectBlock],
  },
  modifyPlan: (ctx) => planRenewal(ctx),
  read: (state) => ({ state: readRenewal(state) }),
  create(planned) {
    let parsed;
    try {
      parsed = parsePrivateKeyPem(String(planned.private_key_pem));
    } catch (e) {
      return { state: null, diagnostics: [error('Failed to parse private key PEM', (e as Error).message)] };
    }
    const { alt, diagnostics } = altNamesFrom(planned);
    if (diagnostics.length) return { state: null, diagnostics };
    const subject = subjectFrom(planned.subject);
    const name = encodeName(subject ?? {});
    const isCa = planned.is_ca_certificate === true;
    if (isCa && name.length <= 2) {
      return {
        state: null,
        diagnostics: [error('Invalid Certificate Subject', 'Must contain at least one Distinguished Name when creating Certificate Authority (CA)')],
      };
    }
    const ski = isCa || planned.set_subject_key_id === true ? subjectKeyId(parsed.key) : undefined;
    if (planned.set_authority_key_id === true && !ski) {
      return { state: null, diagnostics: [error('Invalid Certificate Authority', 'Could not determine Authority Key Identifier')] };
    }
    const cert = createCertificate({
      subject: name,
      issuer: name,
      publicKey: parsed.key,
      signer: parsed.key,
      altNames: alt,
      validityHours: Number(planned.validity_period_hours),
      allowedUses: stringList(planned.allowed_uses),
      isCa,
      subjectKeyId: ski,
      authorityKeyId: planned.set_authority_key_id === true ? ski : undefined,
    });
    const state: ObjectValue = {
      ...planned,
      key_algorithm: parsed.algorithm,
      id: cert.serial.toString(10),
      cert_pem: toPem('CERTIFICATE', cert.der),
      validity_start_time: rfc3339(cert.notBefore),
      validity_end_time: rfc3339(cert.notAfter),
    };
    return { state };
  },
};
