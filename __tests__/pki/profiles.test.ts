import { synthSpec, withSpec, ref } from '../helpers/synth';
import { PEER_CERT_NAME } from '../../src/config/etcd-flags';

// kubeadm's certificate profiles for external etcd (shared/design/ETCD-FACTS.md).
describe('certificate profiles', () => {
  const tf = synthSpec();
  const signed = tf.resource.tls_locally_signed_cert;
  const csr = tf.resource.tls_cert_request;

  test('the CA: CN etcd-ca, SAN etcd-ca, CA=true, cert signing, 10 years, renewed a year ahead', () => {
    const ca = tf.resource.tls_self_signed_cert.etcd_ca;
    expect(ca.subject).toEqual([{ common_name: 'etcd-ca' }]);
    expect(ca.dns_names).toEqual(['etcd-ca']);
    expect(ca.is_ca_certificate).toBe(true);
    expect(ca.allowed_uses.sort()).toEqual(['cert_signing', 'digital_signature', 'key_encipherment']);
    expect(ca.validity_period_hours).toBe(87600);
    expect(ca.early_renewal_hours).toBe(8760);
    expect(ca.private_key_pem).toBe('${tls_private_key.etcd_ca_key.private_key_pem}');
  });

  test.each([
    ['e1', '10.1.1.93'],
    ['e2', '10.1.1.92'],
    ['e3', '10.1.1.91'],
  ])('server and peer certs of %s: CN = name, SANs name/localhost + address/127.0.0.1/::1, server+client auth', (name, address) => {
    for (const kind of ['server', 'peer']) {
      const request = csr[`etcd_${name}_${kind}_csr`];
      expect(request.subject).toEqual([{ common_name: name }]);
      // kubeadm's SANs, the same for server and peer (localhost: what peers-only requires, next test).
      expect(request.dns_names).toEqual([name, 'localhost']);
      expect(request.ip_addresses).toEqual([address, '127.0.0.1', '::1']);
      expect(request.private_key_pem).toBe(`\${tls_private_key.etcd_${name}_${kind}_key.private_key_pem}`);
      const cert = signed[`etcd_${name}_${kind}`];
      expect(cert.allowed_uses.sort()).toEqual(['client_auth', 'digital_signature', 'key_encipherment', 'server_auth']);
      expect(cert.validity_period_hours).toBe(8760);
      expect(cert.early_renewal_hours).toBe(1440);
      expect(ref(cert.cert_request_pem)).toBe(`tls_cert_request.etcd_${name}_${kind}_csr.cert_request_pem`);
      expect(ref(cert.ca_cert_pem)).toBe('tls_self_signed_cert.etcd_ca.cert_pem');
      expect(ref(cert.ca_private_key_pem)).toBe('tls_private_key.etcd_ca_key.private_key_pem');
    }
  });

  test.each([
    ['etcd_e1_healthcheck_client', 'kube-etcd-healthcheck-client'],
    ['etcd_e2_healthcheck_client', 'kube-etcd-healthcheck-client'],
    ['etcd_apiserver_etcd_client', 'kube-apiserver-etcd-client'],
  ])('client cert %s: CN %s, no O, no SANs, client auth only', (id, cn) => {
    expect(csr[`${id}_csr`].subject).toEqual([{ common_name: cn }]);
    expect(csr[`${id}_csr`].dns_names).toBeUndefined();
    expect(csr[`${id}_csr`].ip_addresses).toBeUndefined();
    expect(signed[id].allowed_uses.sort()).toEqual(['client_auth', 'digital_signature', 'key_encipherment']);
    expect(signed[id].validity_period_hours).toBe(8760);
  });

  test('the name peers-only requires is in every member certificate and in no client certificate; switching the mode renews nothing', () => {
    expect(PEER_CERT_NAME).toBe('localhost');
    const requests = tf.resource.tls_cert_request as Record<string, { dns_names?: string[] }>;
    const carrying = Object.keys(requests).filter((id) => (requests[id].dns_names ?? []).includes(PEER_CERT_NAME));
    expect(carrying.sort()).toEqual(['e1', 'e2', 'e3'].flatMap((m) => [`etcd_${m}_peer_csr`, `etcd_${m}_server_csr`]));
    expect(synthSpec(withSpec({ server: { peerPlane: 'any-ca-cert' } })).resource.tls_cert_request).toEqual(tf.resource.tls_cert_request);
  });

  test('one CA, per member server/peer/healthcheck, one apiserver client: 10 leaves, 11 keys for 3 members', () => {
    expect(Object.keys(signed)).toHaveLength(10);
    expect(Object.keys(tf.resource.tls_private_key)).toHaveLength(11);
  });

  test('extra SANs are split into DNS names and IPs, on server and peer only', () => {
    const spec = withSpec({ members: [{ name: 'e1', address: '10.1.1.93', extraSans: ['etcd.example.com', '192.0.2.10'] }] });
    const t = synthSpec(spec);
    expect(t.resource.tls_cert_request.etcd_e1_server_csr.dns_names).toEqual(['e1', 'localhost', 'etcd.example.com']);
    expect(t.resource.tls_cert_request.etcd_e1_peer_csr.ip_addresses).toEqual(['10.1.1.93', '127.0.0.1', '::1', '192.0.2.10']);
    expect(t.resource.tls_cert_request.etcd_e1_healthcheck_client_csr.dns_names).toBeUndefined();
  });

  test.each([
    ['RSA-2048', { algorithm: 'RSA', rsa_bits: 2048 }],
    ['RSA-3072', { algorithm: 'RSA', rsa_bits: 3072 }],
    ['RSA-4096', { algorithm: 'RSA', rsa_bits: 4096 }],
    ['ECDSA-P256', { algorithm: 'ECDSA', ecdsa_curve: 'P256' }],
    ['ECDSA-P384', { algorithm: 'ECDSA', ecdsa_curve: 'P384' }],
  ] as const)('key algorithm %s applies to the CA and every leaf', (keyAlgorithm, expected) => {
    const t = synthSpec(withSpec({ pki: { keyAlgorithm } }));
    const keys = Object.values(t.resource.tls_private_key);
    expect(keys).toHaveLength(11);
    for (const key of keys) {
      const { ['//']: _meta, ...args } = key;
      expect(args).toEqual(expected);
    }
  });

  test('validity and early renewal are configurable', () => {
    const t = synthSpec(withSpec({ pki: { certValidityHours: 2000, certEarlyRenewalHours: 100, caValidityHours: 20000, caEarlyRenewalHours: 1000 } }));
    expect(t.resource.tls_locally_signed_cert.etcd_e1_server.validity_period_hours).toBe(2000);
    expect(t.resource.tls_locally_signed_cert.etcd_e1_server.early_renewal_hours).toBe(100);
    expect(t.resource.tls_self_signed_cert.etcd_ca.validity_period_hours).toBe(20000);
    expect(t.resource.tls_self_signed_cert.etcd_ca.early_renewal_hours).toBe(1000);
  });
});
