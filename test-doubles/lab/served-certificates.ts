// What etcd on a lab host presents to a new TLS connection, beside the certificates on its disk:
// etcd reads its server and peer certificates again at every new connection, so after a renewal
// the two agree without a restart. Shared by the e2e scenarios (__tests__/e2e/support.ts re-exports
// it) and the benchmark.
import { Lab, LabHost } from './lab';

/** Certificate paths of the lab's stack (kubeadm's layout under /etc/kubernetes/pki). */
const CERTS = { client: '/etc/kubernetes/pki/etcd/server.crt', peer: '/etc/kubernetes/pki/etcd/peer.crt' };

/**
 * The sha256 fingerprints of what the host's etcd presents, seen from the controller, on its
 * client and peer ports, and of its server and peer certificates on disk, in that order.
 */
export async function servedCertificates(lab: Lab, host: LabHost | string): Promise<{ served: string[]; onDisk: string[] }> {
  const address = lab.hosts.find((h) => h === host || h.name === host)?.address;
  if (address === undefined) throw new Error(`no host ${String(host)} in lab ${lab.name}`);
  const at = address.includes(':') ? `[${address}]` : address;
  const served = await Promise.all(
    ['2379', '2380'].map(async (port) => {
      const fingerprint = `openssl s_client -connect ${at}:${port} </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256`;
      return (await lab.controllerExec(['bash', '-c', fingerprint], { timeoutMs: 20_000 })).stdout.trim();
    }),
  );
  const disk = await lab.sshExec(host, `for f in ${CERTS.client} ${CERTS.peer}; do openssl x509 -noout -fingerprint -sha256 -in "$f"; done`, {
    timeoutMs: 60_000,
  });
  if (disk.code !== 0) throw new Error(`reading the certificates on ${String(host)}: exit ${disk.code}: ${disk.stderr.trim()}`);
  return { served, onDisk: disk.stdout.trim().split('\n') };
}
