import { Construct } from 'constructs';
import { CertRequest } from '@cdktf/provider-tls/lib/cert-request';
import { LocallySignedCert } from '@cdktf/provider-tls/lib/locally-signed-cert';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { AttributeRef, attributeRef } from '../private/attribute-ref';
import { named } from '../private/names';
import { privateKeyArgs } from './key-algorithm';
import { APISERVER_ETCD_CLIENT_PROFILE, CA_PROFILE, CertProfile, HEALTHCHECK_CLIENT_PROFILE, peerProfile, serverProfile } from './profiles';

/** A key, its CSR and the certificate the CA signed for it. */
export interface LeafCertificate {
  readonly key: PrivateKey;
  readonly request: CertRequest;
  readonly cert: LocallySignedCert;
  readonly profile: CertProfile;
  /** `key.privateKeyPem` as plain text, for the cluster's own resources (see `EtcdPki`). */
  readonly keyPem: AttributeRef;
  /** `cert.certPem` as plain text, for the cluster's own resources (see `EtcdPki`). */
  readonly certPem: AttributeRef;
}

/** The certificates of one member. */
export interface MemberCertificates {
  readonly server: LeafCertificate;
  readonly peer: LeafCertificate;
  readonly healthcheckClient: LeafCertificate;
}

export interface EtcdPkiProps {
  /** The validated cluster: members, key algorithm, validities. */
  readonly cluster: ResolvedCluster;
}

/**
 * The etcd CA and every leaf certificate, with kubeadm's profiles. Resources are named for plans:
 * `<cluster>_ca`, `<cluster>_<member>_server`, `<cluster>_<member>_peer_key`, …
 * The resources of the cluster refer to each other's PEM attributes as plain text (`caKeyPem`,
 * `keyPem`, …; see attribute-ref.ts), not through cdktf's attribute tokens.
 */
export class EtcdPki extends Construct {
  readonly caKey: PrivateKey;
  readonly caCert: SelfSignedCert;
  /** `caKey.privateKeyPem` as plain text. */
  readonly caKeyPem: AttributeRef;
  /** `caCert.certPem` as plain text. */
  readonly caCertPem: AttributeRef;
  readonly members: Readonly<Record<string, MemberCertificates>>;
  /** The client certificate kube-apiserver uses (also placed on every host, kubeadm's layout). */
  readonly apiserverEtcdClient: LeafCertificate;
  private readonly cluster: ResolvedCluster;

  constructor(scope: Construct, id: string, props: EtcdPkiProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.caKey = this.newKey('ca_key');
    this.caKeyPem = attributeRef(this.caKey, 'private_key_pem');
    this.caCert = named(
      new SelfSignedCert(this, 'ca', {
        privateKeyPem: this.caKeyPem.expression,
        subject: [{ commonName: CA_PROFILE.commonName }],
        dnsNames: CA_PROFILE.dnsNames,
        isCaCertificate: true,
        setSubjectKeyId: true,
        allowedUses: CA_PROFILE.allowedUses,
        validityPeriodHours: this.cluster.pki.caValidityHours,
        earlyRenewalHours: this.cluster.pki.caEarlyRenewalHours,
      }),
      'ca',
    );
    this.caCertPem = attributeRef(this.caCert, 'cert_pem');
    const members: Record<string, MemberCertificates> = {};
    // Members marked `remove: true` need no certificates any more: theirs are dropped.
    for (const member of this.cluster.members.filter((m) => !m.remove)) members[member.name] = this.memberCertificates(member);
    this.members = members;
    this.apiserverEtcdClient = this.leaf('apiserver_etcd_client', APISERVER_ETCD_CLIENT_PROFILE);
  }

  private memberCertificates(member: ResolvedMember): MemberCertificates {
    return {
      server: this.leaf(`${member.name}_server`, serverProfile(member)),
      peer: this.leaf(`${member.name}_peer`, peerProfile(member)),
      healthcheckClient: this.leaf(`${member.name}_healthcheck_client`, HEALTHCHECK_CLIENT_PROFILE),
    };
  }

  private newKey(name: string): PrivateKey {
    return named(new PrivateKey(this, name, privateKeyArgs(this.cluster.pki.keyAlgorithm)), name);
  }

  private leaf(name: string, profile: CertProfile): LeafCertificate {
    const key = this.newKey(`${name}_key`);
    const keyPem = attributeRef(key, 'private_key_pem');
    const request = named(
      new CertRequest(this, `${name}_csr`, {
        privateKeyPem: keyPem.expression,
        subject: [{ commonName: profile.commonName }],
        dnsNames: profile.dnsNames.length > 0 ? profile.dnsNames : undefined,
        ipAddresses: profile.ipAddresses.length > 0 ? profile.ipAddresses : undefined,
      }),
      `${name}_csr`,
    );
    const cert = named(
      new LocallySignedCert(this, name, {
        certRequestPem: attributeRef(request, 'cert_request_pem').expression,
        caPrivateKeyPem: this.caKeyPem.expression,
        caCertPem: this.caCertPem.expression,
        allowedUses: profile.allowedUses,
        validityPeriodHours: this.cluster.pki.certValidityHours,
        earlyRenewalHours: this.cluster.pki.certEarlyRenewalHours,
        setSubjectKeyId: true,
      }),
      name,
    );
    return { key, request, cert, profile, keyPem, certPem: attributeRef(cert, 'cert_pem') };
  }
}
