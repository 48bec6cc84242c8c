/** tls_locally_signed_cert (hashicorp/tls 4.1.0): signs a CSR with a local CA. */
import { ObjectValue } from '../protocol/cty';
import { Diagnostic, ResourceDefinition, error, warning } from '../framework';
import { parsePrivateKeyPem, pemBlock, subjectKeyId, toPem } from './keys';
import { certificateAttributes, computedString, planRenewal, readRenewal, stringList } from './common';
import { createCertificate, parseCertificate, parseCertificateRequest, rfc3339 } from './x509';

function decodePem(pem: string, type: string): Buffer {
  const block = pemBlock(pem);
  if (!block) throw new Error(`failed to decode PEM of expected type "${type}" from bytes`);
  if (block.type !== type) throw new Error(`invalid PEM type - expected "${type}", got "${block.type}"`);
  return block.der;
}

export const locallySignedCertResource: ResourceDefinition = {
  typeName: 'tls_locally_signed_cert',
  version: 0,
  schema: {
    description:
      'Creates a TLS certificate in PEM (RFC 1421) format using a Certificate Signing Request (CSR) and signs it with a provided (local) Certificate Authority (CA).',
    attributes: [
      {
        name: 'ca_cert_pem',
        type: 'string',
        required: true,
        replace: 'ifStatePem',
        description: 'Certificate data of the Certificate Authority (CA) in PEM (RFC 1421) format.',
      },
      {
        name: 'ca_private_key_pem',
        type: 'string',
        required: true,
        sensitive: true,
        replace: 'ifStatePem',
        description: 'Private key of the Certificate Authority (CA) used to sign the certificate, in PEM (RFC 1421) format.',
      },
      {
        name: 'cert_request_pem',
        type: 'string',
        required: true,
        replace: 'ifStatePem',
        description: 'Certificate request data in PEM (RFC 1421) format.',
      },
      ...certificateAttributes(),
      computedString('ca_key_algorithm', 'Name of the algorithm used when generating the private key provided in `ca_private_key_pem`. '),
    ],
  },
  modifyPlan: (ctx) => planRenewal(ctx),
  read: (state) => ({ state: readRenewal(state) }),
  create(planned) {
    const diagnostics: Diagnostic[] = [];
    let request;
    try {
      request = parseCertificateRequest(decodePem(String(planned.cert_request_pem), 'CERTIFICATE REQUEST'));
    } catch (e) {
      return { state: null, diagnostics: [error('Failed to parse certificate request PEM', (e as Error).message)] };
    }
    let ca;
    try {
      ca = parsePrivateKeyPem(String(planned.ca_private_key_pem));
    } catch (e) {
      return { state: null, diagnostics: [error('Failed to parse CA private key PEM', (e as Error).message)] };
    }
    let caCert;
    try {
      caCert = parseCertificate(decodePem(String(planned.ca_cert_pem), 'CERTIFICATE'));
    } catch (e) {
      return { state: null, diagnostics: [error('Failed to parse CA certificate PEM', (e as Error).message)] };
    }
    if (!caCert.isCa) {
      diagnostics.push(
        warning(
          'Potentially Invalid Certificate Authority',
          'Certificate provided as Authority does not appear to be a valid Certificate Authority. The resulting certificate might fail certificate validation.',
        ),
      );
    }
    const isCa = planned.is_ca_certificate === true;
    if (isCa && request.subject.length <= 2) {
      return {
        state: null,
        diagnostics: [error('Invalid Certificate Subject', 'Must contain at least one Distinguished Name when creating Certificate Authority (CA)')],
      };
    }
    const ski = isCa || planned.set_subject_key_id === true ? subjectKeyId(request.publicKey) : undefined;
    // Go sets the AKI from the parent's SKI whenever issuer and subject differ.
    const aki = !request.subject.equals(caCert.subject) && caCert.subjectKeyId ? caCert.subjectKeyId : undefined;
    const cert = createCertificate({
      subject: request.subject,
      issuer: caCert.subject,
      publicKey: request.publicKey,
      signer: ca.key,
      altNames: request.altNames,
      validityHours: Number(planned.validity_period_hours),
      allowedUses: stringList(planned.allowed_uses),
      isCa,
      subjectKeyId: ski,
      authorityKeyId: aki,
    });
    const state: ObjectValue = {
      ...planned,
      ca_key_algorithm: ca.algorithm,
      id: cert.serial.toString(10),
      cert_pem: toPem('CERTIFICATE', cert.der),
      validity_start_time: rfc3339(cert.notBefore),
      validity_end_time: rfc3339(cert.notAfter),
    };
    return { state, diagnostics };
  },
};
