import { bundleTexts, synthSpec, withSpec } from '../helpers/synth';

type Files = Record<string, { type: string; mode: string; dirMode: string; content: string }>;

/** Every local file of one member, keyed by path inside its bundle. */
function bundleOf(tf: ReturnType<typeof synthSpec>, member: string): Files {
  const out: Files = {};
  const prefix = `\${path.module}/hosts/${member}/`;
  for (const type of ['local_file', 'local_sensitive_file']) {
    for (const f of Object.values(tf.resource[type] ?? {})) {
      if (f.filename.startsWith(prefix)) {
        out[f.filename.slice(prefix.length)] = { type, mode: f.file_permission, dirMode: f.directory_permission, content: f.content };
      }
    }
  }
  return out;
}

const KUBEADM_TREE = {
  'pki/apiserver-etcd-client.crt': ['local_file', '0644'],
  'pki/apiserver-etcd-client.key': ['local_sensitive_file', '0600'],
  'pki/etcd/ca.crt': ['local_file', '0644'],
  'pki/etcd/healthcheck-client.crt': ['local_file', '0644'],
  'pki/etcd/healthcheck-client.key': ['local_sensitive_file', '0600'],
  'pki/etcd/peer.crt': ['local_file', '0644'],
  'pki/etcd/peer.key': ['local_sensitive_file', '0600'],
  'pki/etcd/server.crt': ['local_file', '0644'],
  'pki/etcd/server.key': ['local_sensitive_file', '0600'],
};

describe('per-host bundles', () => {
  const tf = synthSpec();

  test.each(['e1', 'e2', 'e3'])("%s gets exactly kubeadm's layout, keys 0600 in sensitive files, dirs 0700", (member) => {
    const files = bundleOf(tf, member);
    expect(Object.fromEntries(Object.entries(files).map(([p, f]) => [p, [f.type, f.mode]]))).toEqual(KUBEADM_TREE);
    for (const f of Object.values(files)) expect(f.dirMode).toBe('0700');
  });

  test('private keys only ever land in local_sensitive_file', () => {
    for (const f of Object.values(tf.resource.local_file)) expect(f.content).not.toMatch(/private_key_pem/);
    for (const f of Object.values(tf.resource.local_sensitive_file)) expect(f.content).toMatch(/^\$\{tls_private_key\.[a-z0-9_]+\.private_key_pem\}$/);
  });

  test('each member gets its own server, peer and healthcheck keys; the CA cert is shared', () => {
    expect(bundleOf(tf, 'e1')['pki/etcd/server.key'].content).toBe('${tls_private_key.etcd_e1_server_key.private_key_pem}');
    expect(bundleOf(tf, 'e2')['pki/etcd/peer.key'].content).toBe('${tls_private_key.etcd_e2_peer_key.private_key_pem}');
    expect(bundleOf(tf, 'e3')['pki/etcd/healthcheck-client.key'].content).toBe('${tls_private_key.etcd_e3_healthcheck_client_key.private_key_pem}');
    for (const m of ['e1', 'e2', 'e3']) expect(bundleOf(tf, m)['pki/etcd/ca.crt'].content).toBe('${tls_self_signed_cert.etcd_ca.cert_pem}');
  });

  test('by default the CA key goes to no host, and the manifest retires a stale one', () => {
    const all = [...Object.values(tf.resource.local_file), ...Object.values(tf.resource.local_sensitive_file)];
    expect(all.filter((f) => f.content === '${tls_private_key.etcd_ca_key.private_key_pem}')).toEqual([]);
    expect(bundleTexts(tf, 'e1')['manifest.tsv'].split('\n')).toContain('retire\t-\t/etc/kubernetes/pki/etcd/ca.key\t-\t-');
  });

  test("the host scripts are no member's local files and no upload of their own: every member's last script writes them from the stack's one local", () => {
    for (const m of ['e1', 'e2', 'e3']) {
      const provisioners = tf.resource.terraform_data[`etcd_member_${m}`].provisioner as Array<Record<string, { source?: string; inline?: string[] }>>;
      expect(provisioners.flatMap((p) => (p.file?.source ? [p.file.source] : []))).toEqual([`\${path.module}/hosts/${m}/`]);
      expect(provisioners[provisioners.length - 1]['remote-exec']?.inline?.slice(0, 2)).toEqual(['set -e && umask 077', '${local.etcd_host_scripts}']);
    }
    expect(Object.keys((tf as unknown as { locals: Record<string, string> }).locals)).toEqual(['etcd_host_scripts']);
    for (const f of Object.values(tf.resource.local_file)) expect(f.filename).not.toMatch(/\.sh$/);
  });

  test('the generated files travel in the last script of the provisioner, written into staging before provision.sh runs; none is a local file', () => {
    for (const m of ['e1', 'e2', 'e3']) {
      expect(Object.keys(bundleTexts(tf, m))).toEqual(['etcd.service', 'params.env', 'manifest.tsv', 'membership.env']);
      const provisioners = tf.resource.terraform_data[`etcd_member_${m}`].provisioner as Array<Record<string, { inline?: string[] }>>;
      const last = provisioners[provisioners.length - 1]['remote-exec']?.inline ?? [];
      expect(last[0]).toBe('set -e && umask 077');
      expect(last.slice(2, -1).every((c) => c.startsWith('cat >.etcd-kubeadm-cdktf/staging/'))).toBe(true);
      expect(last[last.length - 1]).toBe('bash .etcd-kubeadm-cdktf/staging/provision.sh');
    }
    const local = Object.values(tf.resource.local_file).map((f) => f.filename as string);
    expect(local.filter((f) => !/\/hosts\/e[1-3]\/pki\//.test(f))).toEqual([]);
  });

  test("params.env carries the member's own values; membership.env the spec's members", () => {
    const params = bundleTexts(tf, 'e2')['params.env'];
    expect(params).toContain('MEMBER_NAME=e2');
    expect(params).toContain('PEER_URL=https://10.1.1.92:2380');
    expect(bundleTexts(tf, 'e2')['membership.env']).toBe(bundleTexts(tf, 'e1')['membership.env']);
  });

  test('caKeyOnHosts "first" puts etcd/ca.key (0600) on the first member only, like kubeadm', () => {
    const t = synthSpec(withSpec({ pki: { caKeyOnHosts: 'first' } }));
    expect(bundleOf(t, 'e1')['pki/etcd/ca.key']).toMatchObject({
      type: 'local_sensitive_file',
      mode: '0600',
      content: '${tls_private_key.etcd_ca_key.private_key_pem}',
    });
    expect(bundleOf(t, 'e2')['pki/etcd/ca.key']).toBeUndefined();
    expect(bundleOf(t, 'e3')['pki/etcd/ca.key']).toBeUndefined();
  });

  test('caKeyOnHosts "all" puts it on every member', () => {
    const t = synthSpec(withSpec({ pki: { caKeyOnHosts: 'all' } }));
    for (const m of ['e1', 'e2', 'e3']) expect(bundleOf(t, m)['pki/etcd/ca.key']?.mode).toBe('0600');
  });

  test('localDir moves the trees; paths stay relative to the stack', () => {
    const t = synthSpec(withSpec({ pki: { localDir: 'out/etcd-pki' } }));
    const names = Object.values(t.resource.local_file).map((f) => f.filename);
    expect(names.every((n) => n.startsWith('${path.module}/out/etcd-pki/'))).toBe(true);
  });

  test('a custom pkiDir is where the manifest places files', () => {
    const t = synthSpec(withSpec({ paths: { pkiDir: '/srv/k8s/pki' } }));
    const manifest = bundleTexts(t, 'e2')['manifest.tsv'].split('\n');
    expect(manifest).toContain('place\tpki/etcd/server.key\t/srv/k8s/pki/etcd/server.key\t0600\trestart');
    expect(bundleTexts(t, 'e2')['etcd.service']).toContain('--cert-file=/srv/k8s/pki/etcd/server.crt');
  });

  test('scheduled snapshots add the service and timer to the bundle and the manifest; off, the manifest retires them', () => {
    const on = bundleTexts(synthSpec(withSpec({ snapshots: { enabled: true } })), 'e1');
    expect(Object.keys(on)).toEqual(expect.arrayContaining(['etcd-snapshot.service', 'etcd-snapshot.timer']));
    expect(on['manifest.tsv']).toContain('place\tetcd-snapshot.timer\t/etc/systemd/system/etcd-snapshot.timer\t0644\t-');
    expect(bundleTexts(tf, 'e1')['manifest.tsv']).toContain('retire\t-\t/etc/systemd/system/etcd-snapshot.timer\t-\t-');
  });

  test('how etcd takes each changed file: its server and peer certificates at its next connections, the CA, keys and unit with a restart', () => {
    const etcdColumn = Object.fromEntries(
      bundleTexts(tf, 'e2')
        ['manifest.tsv'].split('\n')
        .filter((l) => l.startsWith('place\t'))
        .map((l) => l.split('\t'))
        .map(([, staged, , , reads]) => [staged, reads]),
    );
    expect(etcdColumn).toMatchObject({
      'pki/etcd/server.crt': 'reload',
      'pki/etcd/peer.crt': 'reload',
      'pki/etcd/ca.crt': 'restart',
      'pki/etcd/server.key': 'restart',
      'pki/etcd/peer.key': 'restart',
      'etcd.service': 'restart',
      'pki/etcd/healthcheck-client.crt': '-',
      'pki/apiserver-etcd-client.crt': '-',
      'params.env': '-',
    });
  });
});
