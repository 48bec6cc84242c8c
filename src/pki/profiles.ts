import type { ResolvedMember } from '../config/resolved';
import { isIpAddress } from '../config/rules';

/** What a certificate says about itself: kubeadm's profiles for the external-etcd PKI. */
export interface CertProfile {
  readonly commonName: string;
  readonly dnsNames: string[];
  readonly ipAddresses: string[];
  /** Names as the tls provider spells them (`allowed_uses`). */
  readonly allowedUses: string[];
}

export const CA_COMMON_NAME = 'etcd-ca';
export const HEALTHCHECK_CLIENT_CN = 'kube-etcd-healthcheck-client';
export const APISERVER_ETCD_CLIENT_CN = 'kube-apiserver-etcd-client';

export const CA_PROFILE: CertProfile = {
  commonName: CA_COMMON_NAME,
  dnsNames: [CA_COMMON_NAME],
  ipAddresses: [],
  allowedUses: ['cert_signing', 'digital_signature', 'key_encipherment'],
};

const LEAF_USES = ['digital_signature', 'key_encipherment'];

/** Server and peer certs share kubeadm's SANs: the member's name and address, plus loopback. */
function memberSans(member: ResolvedMember): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = [member.name, 'localhost', ...member.extraSans.filter((s) => !isIpAddress(s))];
  const ipAddresses = [member.address, '127.0.0.1', '::1', ...member.extraSans.filter(isIpAddress)];
  return { dnsNames: [...new Set(dnsNames)], ipAddresses: [...new Set(ipAddresses)] };
}

/** Server cert: server auth and client auth (etcd's proxy/gateway paths dial with it). */
export function serverProfile(member: ResolvedMember): CertProfile {
  return { commonName: member.name, ...memberSans(member), allowedUses: [...LEAF_USES, 'server_auth', 'client_auth'] };
}

/**
 * Peer cert: both auths, or cluster formation fails under --peer-client-cert-auth. kubeadm's SANs,
 * whose `localhost` (PEER_CERT_NAME) is what `server.peerPlane: peers-only` requires of a
 * certificate on the peer port: client certificates have no SANs.
 */
export function peerProfile(member: ResolvedMember): CertProfile {
  return { commonName: member.name, ...memberSans(member), allowedUses: [...LEAF_USES, 'server_auth', 'client_auth'] };
}

export const HEALTHCHECK_CLIENT_PROFILE: CertProfile = {
  commonName: HEALTHCHECK_CLIENT_CN,
  dnsNames: [],
  ipAddresses: [],
  allowedUses: [...LEAF_USES, 'client_auth'],
};

export const APISERVER_ETCD_CLIENT_PROFILE: CertProfile = {
  commonName: APISERVER_ETCD_CLIENT_CN,
  dnsNames: [],
  ipAddresses: [],
  allowedUses: [...LEAF_USES, 'client_auth'],
};
