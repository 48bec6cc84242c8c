/** Schema pieces and behaviour shared by the tls certificate resources. */
import * as crypto from 'crypto';
import { ObjectValue, UNKNOWN, Value, isUnknown } from '../protocol/cty';
import { AttributeSchema, Diagnostic, NestedBlockSchema, PlanContext, atLeast, error, listValuesOneOf } from '../framework';
import { AltNames, Subject, SUPPORTED_USAGES, isValidIp } from './x509';

const subjectAttr = (name: string, dn: string, list = false): AttributeSchema => ({
  name,
  type: list ? ['list', 'string'] : 'string',
  optional: true,
  computed: true,
  description: `Distinguished name: \`${dn}\``,
});

export const subjectBlock: NestedBlockSchema = {
  name: 'subject',
  nesting: 'list',
  minItems: 0,
  maxItems: 1,
  replace: 'always',
  block: {
    description:
      'The subject for which a certificate is being requested. The acceptable arguments are all optional and their naming is based upon [Issuer Distinguished Names (RFC5280)](https://tools.ietf.org/html/rfc5280#section-4.1.2.4) section.',
    attributes: [
      subjectAttr('organization', 'O'),
      subjectAttr('common_name', 'CN'),
      subjectAttr('organizational_unit', 'OU'),
      subjectAttr('street_address', 'STREET', true),
      subjectAttr('locality', 'L'),
      subjectAttr('province', 'ST'),
      subjectAttr('country', 'C'),
      subjectAttr('postal_code', 'PC'),
      subjectAttr('serial_number', 'SERIALNUMBER'),
      subjectAttr('email_address', 'E'),
    ],
  },
};

export const nameListAttr = (name: string, what: string): AttributeSchema => ({
  name,
  type: ['list', 'string'],
  optional: true,
  replace: 'always',
  description: `List of ${what} for which a certificate is being requested (i.e. certificate subjects).`,
});

export const computedString = (name: string, description: string, sensitive = false): AttributeSchema => ({
  name,
  type: 'string',
  computed: true,
  useStateForUnknown: true,
  sensitive,
  description,
});

/** Attributes common to tls_self_signed_cert and tls_locally_signed_cert. */
export function certificateAttributes(): AttributeSchema[] {
  return [
    {
      name: 'validity_period_hours',
      type: 'number',
      required: true,
      replace: 'always',
      validate: atLeast(0),
      description: 'Number of hours, after initial issuing, that the certificate will remain valid for.',
    },
    {
      name: 'allowed_uses',
      type: ['list', 'string'],
      required: true,
      replace: 'always',
      validate: listValuesOneOf(SUPPORTED_USAGES),
      description: `List of key usages allowed for the issued certificate. Accepted values: \`${SUPPORTED_USAGES.join('`, `')}\`.`,
    },
    {
      name: 'early_renewal_hours',
      type: 'number',
      optional: true,
      computed: true,
      default: 0,
      validate: atLeast(0),
      description:
        'The resource will consider the certificate to have expired the given number of hours before its actual expiry time. (default: `0`)',
    },
    {
      name: 'is_ca_certificate',
      type: 'bool',
      optional: true,
      computed: true,
      default: false,
      replace: 'always',
      description: 'Is the generated certificate representing a Certificate Authority (CA) (default: `false`).',
    },
    {
      name: 'set_subject_key_id',
      type: 'bool',
      optional: true,
      computed: true,
      default: false,
      replace: 'always',
      description: 'Should the generated certificate include a subject key identifier (default: `false`).',
    },
    computedString('cert_pem', 'Certificate data in PEM (RFC 1421) format.'),
    {
      name: 'ready_for_renewal',
      type: 'bool',
      computed: true,
      default: false,
      description:
        'Is the certificate either expired (i.e. beyond the `validity_period_hours`) or ready for an early renewal (i.e. within the `early_renewal_hours`)?',
    },
    computedString('validity_start_time', 'The time after which the certificate is valid, expressed as an RFC3339 timestamp.'),
    computedString('validity_end_time', 'The time until which the certificate is invalid, expressed as an RFC3339 timestamp.'),
    computedString('id', 'Unique identifier for this resource: the certificate serial number.'),
  ];
}

/**
 * The provider's ReadyForRenewal attribute modifier followed by the resource's ModifyPlan
 * (modifyPlanIfCertificateReadyForRenewal): a certificate whose early-renewal time has passed
 * plans ready_for_renewal as unknown and requires replacement through that attribute.
 */
export function planRenewal(ctx: PlanContext, now = new Date()): void {
  const { planned } = ctx;
  const validity = planned.validity_period_hours;
  const early = planned.early_renewal_hours;
  if (typeof validity === 'number') {
    if (validity === 0) planned.ready_for_renewal = true;
    else if (typeof early === 'number' && early >= validity) planned.ready_for_renewal = true;
  }
  const end = planned.validity_end_time;
  if (typeof end !== 'string') return;
  const endTime = Date.parse(end);
  if (Number.isNaN(endTime)) {
    ctx.diagnostics.push(error(`Failed to parse data from string: ${end}`, 'invalid RFC3339 timestamp'));
    return;
  }
  const earlyHours = typeof early === 'number' ? early : 0;
  if (endTime - earlyHours * 3600_000 - now.getTime() <= 0) {
    planned.ready_for_renewal = UNKNOWN;
    ctx.requiresReplace.push(['ready_for_renewal']);
  }
}

/** modifyStateIfCertificateReadyForRenewal, run on refresh. */
export function readRenewal(state: ObjectValue, now = new Date()): ObjectValue {
  const end = state.validity_end_time;
  if (typeof end !== 'string') return state;
  const early = typeof state.early_renewal_hours === 'number' ? state.early_renewal_hours : 0;
  if (Date.parse(end) - early * 3600_000 - now.getTime() <= 0) return { ...state, ready_for_renewal: true };
  return state;
}

export function stringList(v: Value): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function subjectFrom(v: Value): Subject | null {
  if (!Array.isArray(v) || v.length === 0 || v[0] === null || isUnknown(v[0])) return null;
  const o = v[0] as ObjectValue;
  const s = (k: string): string | null => (typeof o[k] === 'string' ? (o[k] as string) : null);
  return {
    common_name: s('common_name'),
    organization: s('organization'),
    organizational_unit: s('organizational_unit'),
    street_address: Array.isArray(o.street_address) ? stringList(o.street_address) : null,
    locality: s('locality'),
    province: s('province'),
    country: s('country'),
    postal_code: s('postal_code'),
    serial_number: s('serial_number'),
    email_address: s('email_address'),
  };
}

export function altNamesFrom(planned: ObjectValue): { alt: AltNames; diagnostics: Diagnostic[] } {
  const alt: AltNames = { dnsNames: stringList(planned.dns_names), ipAddresses: [], uris: [] };
  const diagnostics: Diagnostic[] = [];
  for (const ip of stringList(planned.ip_addresses)) {
    if (!isValidIp(ip)) diagnostics.push(error('Invalid IP address', `Failed to parse ${JSON.stringify(ip)}`));
    else alt.ipAddresses.push(ip);
  }
  for (const uri of stringList(planned.uris)) {
    try {
      new URL(uri);
      alt.uris.push(uri);
    } catch (e) {
      // Go's url.Parse accepts relative references too; keep them as given.
      if (/\s/.test(uri)) diagnostics.push(error('Invalid URI', `Failed to parse ${JSON.stringify(uri)}: ${(e as Error).message}`));
      else alt.uris.push(uri);
    }
  }
  return { alt, diagnostics };
}

export const keyAlgorithmName = (k: crypto.KeyObject): string =>
  k.asymmetricKeyType === 'rsa' ? 'RSA' : k.asymmetricKeyType === 'ec' ? 'ECDSA' : 'ED25519';
