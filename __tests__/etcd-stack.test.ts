import { DEFAULT_CLUSTER_SPEC } from '../src/config/default-spec';
import { fullSynthText, synthSpec } from './helpers/synth';

describe('the default stack', () => {
  test('holds exactly the resources of a 3-member cluster, named for plans', () => {
    const tf = synthSpec();
    const names = Object.fromEntries(Object.entries(tf.resource).map(([type, rs]) => [type, Object.keys(rs).sort()]));
    const perMember = (m: string, parts: string[]) => parts.map((p) => `etcd_${m}_${p}`);
    const members = ['e1', 'e2', 'e3'];
    expect(names.tls_private_key).toEqual(
      ['etcd_apiserver_etcd_client_key', 'etcd_ca_key', ...members.flatMap((m) => perMember(m, ['healthcheck_client_key', 'peer_key', 'server_key']))].sort(),
    );
    expect(names.tls_self_signed_cert).toEqual(['etcd_ca']);
    expect(names.tls_cert_request).toEqual(
      ['etcd_apiserver_etcd_client_csr', ...members.flatMap((m) => perMember(m, ['healthcheck_client_csr', 'peer_csr', 'server_csr']))].sort(),
    );
    expect(names.tls_locally_signed_cert).toEqual(
      ['etcd_apiserver_etcd_client', ...members.flatMap((m) => perMember(m, ['healthcheck_client', 'peer', 'server']))].sort(),
    );
    expect(names.local_sensitive_file).toHaveLength(3 * 4);
    expect(names.local_file).toHaveLength(3 * 12);
    expect(names.terraform_data).toEqual(['etcd_health_check', ...members.flatMap((m) => [`etcd_member_${m}`, `etcd_member_${m}_decommission`])].sort());
    expect(Object.keys(tf.resource).sort()).toEqual([
      'local_file',
      'local_sensitive_file',
      'terraform_data',
      'tls_cert_request',
      'tls_locally_signed_cert',
      'tls_private_key',
      'tls_self_signed_cert',
    ]);
    expect(tf.terraform.required_providers).toEqual({
      local: { source: 'hashicorp/local', version: '2.9.0' },
      tls: { source: 'hashicorp/tls', version: '4.1.0' },
    });
  });

  test('outputs: endpoints, CA, apiserver client cert and (sensitive) key, kubeadm snippet', () => {
    const out = synthSpec().output;
    expect(out.client_endpoints.value).toEqual(['https://10.1.1.93:2379', 'https://10.1.1.92:2379', 'https://10.1.1.91:2379']);
    expect(out.ca_certificate.value).toBe('${tls_self_signed_cert.etcd_ca.cert_pem}');
    expect(out.apiserver_etcd_client_certificate.value).toBe('${tls_locally_signed_cert.etcd_apiserver_etcd_client.cert_pem}');
    expect(out.apiserver_etcd_client_key).toMatchObject({ value: '${tls_private_key.etcd_apiserver_etcd_client_key.private_key_pem}', sensitive: true });
    expect(out.kubeadm_cluster_configuration.value).toBe(
      [
        'apiVersion: kubeadm.k8s.io/v1beta4',
        'kind: ClusterConfiguration',
        'etcd:',
        '  external:',
        '    endpoints:',
        '      - https://10.1.1.93:2379',
        '      - https://10.1.1.92:2379',
        '      - https://10.1.1.91:2379',
        '    caFile: /etc/kubernetes/pki/etcd/ca.crt',
        '    certFile: /etc/kubernetes/pki/apiserver-etcd-client.crt',
        '    keyFile: /etc/kubernetes/pki/apiserver-etcd-client.key',
        '',
      ].join('\n'),
    );
  });

  test('portable: no absolute path of this machine, relative local state', () => {
    const text = fullSynthText();
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/"\/(work|root|home|tmp)\//);
    expect(JSON.parse(text).terraform.backend).toEqual({ local: { path: '../../../terraform.etcd.tfstate' } });
  });

  test('the SSH key is a sensitive, optional variable unless a key file is given', () => {
    const tf = synthSpec();
    expect(tf.variable?.ssh_private_key).toMatchObject({ sensitive: true, nullable: true, default: null });
    expect(tf.resource.terraform_data.etcd_member_e1.connection.private_key).toBe('${var.ssh_private_key}');
    const withFile = synthSpec({ ...DEFAULT_CLUSTER_SPEC, ssh: { privateKeyFile: '~/.ssh/etcd_ed25519' } });
    expect(withFile.variable).toBeUndefined();
    expect(withFile.resource.terraform_data.etcd_member_e1.connection.private_key).toBe('${file(pathexpand("~/.ssh/etcd_ed25519"))}');
  });

  test('a bastion reaches every member and the health check', () => {
    const tf = synthSpec({ ...DEFAULT_CLUSTER_SPEC, ssh: { bastion: { host: 'jump.example.com', user: 'ops' } } });
    for (const id of ['etcd_member_e2', 'etcd_health_check']) {
      expect(tf.resource.terraform_data[id].connection).toMatchObject({ bastion_host: 'jump.example.com', bastion_user: 'ops', bastion_port: 22 });
    }
  });

  test.each([
    [{ type: 'cloud', organization: 'acme', workspace: 'etcd-prod' }, { cloud: { organization: 'acme', workspaces: { name: 'etcd-prod' } } }],
    [{ type: 'remote', organization: 'acme', workspace: 'etcd-prod' }, { backend: { remote: { organization: 'acme', workspaces: { name: 'etcd-prod' } } } }],
    [
      { type: 's3', bucket: 'tf-state', key: 'etcd/terraform.tfstate', region: 'eu-west-1' },
      { backend: { s3: { bucket: 'tf-state', key: 'etcd/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } } },
    ],
  ] as const)('backend %j', (backend, expected) => {
    const tf = JSON.parse(fullSynthText({ ...DEFAULT_CLUSTER_SPEC, backend: backend as never })).terraform;
    expect(tf).toMatchObject(expected);
  });

  test('leaving the spec, or destroy, makes the member leave the cluster under the lock; no data is deleted', () => {
    const d = synthSpec().resource.terraform_data.etcd_member_e1_decommission;
    expect(d.triggers_replace).toEqual({ host: '10.1.1.93', user: 'root', port: '22', unit: 'etcd.service' });
    expect(d.provisioner).toEqual([{ 'remote-exec': { when: 'destroy', inline: ['bash /var/lib/etcd-deploy/etcd-ops.sh leave'] } }]);
    expect(JSON.stringify(d)).not.toMatch(/rm -rf/);
  });
});
