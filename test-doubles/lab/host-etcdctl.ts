// etcdctl run on a lab host, as the member's own tooling would: the bench's probes and the e2e
// scenarios that cannot use the stack's outputs (a targeted apply writes none) share it.

const PKI = '/etc/kubernetes/pki/etcd';

/** etcdctl on the host with its healthcheck-client certificate, through its own client URL. */
export const hostEtcdctl = (address: string): string =>
  `/usr/local/bin/etcdctl --endpoints=https://${address}:2379 --cacert=${PKI}/ca.crt --cert=${PKI}/healthcheck-client.crt --key=${PKI}/healthcheck-client.key --dial-timeout=2s --command-timeout=3s`;
