import { DEFAULT_CLUSTER_SPEC } from '../src/config/default-spec';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleTexts, fullSynthText, synthSpec, synthStackDir } from './helpers/synth';

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
    expect(names.local_file).toHaveLength(3 * 5);
    expect(names.terraform_data).toEqual(
      [
        'etcd_bootstrap',
        'etcd_cluster',
        'etcd_health_check',
        'etcd_membership',
        ...members.flatMap((m) => [`etcd_member_${m}`, `etcd_member_${m}_join`]),
      ].sort(),
    );
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
    // The connection string (credentials) stays out of the JSON: PG_CONN_STR where terraform runs.
    [{ type: 'pg' }, { backend: { pg: { schema_name: 'terraform_remote_state' } } }],
    [{ type: 'pg', schemaName: 'etcd_prod' }, { backend: { pg: { schema_name: 'etcd_prod' } } }],
  ] as const)('backend %j', (backend, expected) => {
    const tf = JSON.parse(fullSynthText({ ...DEFAULT_CLUSTER_SPEC, backend: backend as never })).terraform;
    expect(tf).toMatchObject(expected);
    if (backend.type === 'pg') expect({ backend: tf.backend }).toEqual(expected); // exactly: no conn_str
  });

  test('deleting an entry, or destroy, makes the member leave: one membership instance per member, its destroy-time step reads only self', () => {
    const m = synthSpec().resource.terraform_data.etcd_membership;
    expect(Object.keys(m.for_each)).toEqual(['e1', 'e2', 'e3']);
    expect(m.for_each.e2).toEqual({
      identity: { name: 'e2', address: '10.1.1.92' },
      connection: expect.objectContaining({
        command: 'bash /var/lib/etcd-deploy/etcd-ops.sh leave',
        host: '10.1.1.92',
        user: 'root',
        port: 22,
        removed: false,
      }),
    });
    // Only the identity replaces an instance (a replacement leaves, then joins again); how to
    // reach the host is input, updated in place without running anything.
    expect(m.triggers_replace).toBe('${each.value.identity}');
    expect(m.input).toBe('${each.value.connection}');
    // One destroy-time step on the applying machine: OpenSSH through ssh-step.sh (shipped in the
    // stack's assets, a relative path), everything it needs from the instance's own input.
    expect(m.provisioner).toHaveLength(1);
    const step = m.provisioner[0]['local-exec'];
    expect(step.when).toBe('destroy');
    expect(step.command).toMatch(/^bash assets\/etcd_host-scripts_[0-9A-F]+\/[0-9A-F]{32}\/ssh-step\.sh$/);
    expect(Object.values(step.environment).every((v) => /^\$\{self\.input\.[a-z_]+\}$/.test(v as string))).toBe(true);
    expect(Object.keys(step.environment).sort()).toEqual(
      [
        'BASTION_HOST',
        'BASTION_HOST_KEY',
        'BASTION_KEY_FILE',
        'BASTION_PORT',
        'BASTION_USER',
        'COMMAND',
        'HOST',
        'HOST_KEY',
        'KEY_FILE',
        'MEMBER',
        'NOTE',
        'PORT',
        'TIMEOUT',
        'USER',
      ].map((k) => `ETCD_SSH_${k}`),
    );
    // The script is in the synthesized stack where the command says, byte for byte.
    const stackDir = synthStackDir();
    const shipped = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).resource.terraform_data.etcd_membership.provisioner[0]['local-exec']
      .command;
    expect(readFileSync(join(stackDir, shipped.replace(/^bash /, '')), 'utf8')).toBe(
      readFileSync(join(__dirname, '..', 'src', 'host', 'scripts', 'ssh-step.sh'), 'utf8'),
    );
    // Everything of a member goes after its instance: when leaving fails, nothing of it is destroyed.
    expect(m.depends_on).toEqual(
      ['e1', 'e2', 'e3'].flatMap((n) => [`terraform_data.etcd_member_${n}`]).concat(['e1', 'e2', 'e3'].map((n) => `terraform_data.etcd_member_${n}_join`)),
    );
    expect(JSON.stringify(m)).not.toMatch(/rm -rf|var\.ssh_private_key/);
  });

  test('the destroy-time step never sees the key variable (plans would show it): a key file by its path, else TF_VAR_ssh_private_key or the agent where terraform runs', () => {
    const m = synthSpec({ ...DEFAULT_CLUSTER_SPEC, ssh: { privateKeyFile: '~/.ssh/etcd_ed25519' } }).resource.terraform_data.etcd_membership;
    expect(m.for_each.e1.connection.key_file).toBe('~/.ssh/etcd_ed25519');
    expect(m.provisioner[0]['local-exec'].environment.ETCD_SSH_KEY_FILE).toBe('${self.input.key_file}');
    const d = synthSpec().resource.terraform_data.etcd_membership;
    expect(d.for_each.e1.connection.key_file).toBe('');
    expect(JSON.stringify(d)).not.toMatch(/ssh_private_key/);
  });

  test("the bootstrap is recorded once, after every founder is installed, with the plan's timestamp; it runs nothing and never changes, and only in the apply that creates it do the join steps found the cluster", () => {
    const tf = synthSpec();
    const b = tf.resource.terraform_data.etcd_bootstrap;
    expect(b.input).toEqual({ founders: ['e1', 'e2', 'e3'], plan: '${plantimestamp()}' });
    expect(b.lifecycle).toEqual({ ignore_changes: ['input'] });
    expect(b.triggers_replace).toBeUndefined();
    expect(b.provisioner).toBeUndefined();
    expect(b.connection).toBeUndefined();
    expect(b.depends_on).toEqual(['terraform_data.etcd_member_e1', 'terraform_data.etcd_member_e2', 'terraform_data.etcd_member_e3']);
    // A record made before it held the timestamp has no plan: try() gives "", never a match.
    const founding = 'try(terraform_data.etcd_bootstrap.output.plan, "") == plantimestamp()';
    for (const m of ['e1', 'e2', 'e3']) {
      expect(tf.resource.terraform_data[`etcd_member_${m}_join`].provisioner).toEqual([
        { 'remote-exec': { inline: [`bash /var/lib/etcd-deploy/etcd-ops.sh \${${founding} ? "found" : "ensure-member"}`] } },
      ]);
    }
  });

  test('every member has a join step after the bootstrap, once per identity (not re-run when the member is re-provisioned)', () => {
    const j = synthSpec().resource.terraform_data.etcd_member_e2_join;
    // Only the member's name and address: nothing of its files, so a renewal or an upgrade replaces
    // the provisioner alone (a member without data joins from the provisioner: join-running).
    expect(j.triggers_replace).toEqual({ member: 'e2', address: '10.1.1.92' });
    expect(j.depends_on).toEqual(['terraform_data.etcd_bootstrap', 'terraform_data.etcd_member_e2']);
    expect(j.connection.host).toBe('10.1.1.92');
  });

  test('remove: true takes the member out from a member that stays, then retires its host if it answers (a dead host does not block)', () => {
    const spec = { ...DEFAULT_CLUSTER_SPEC, members: DEFAULT_CLUSTER_SPEC.members.map((m, i) => (i === 0 ? { ...m, remove: true } : m)) };
    const tf = synthSpec(spec);
    const data = tf.resource.terraform_data;
    expect(Object.keys(data).filter((n) => n.includes('e1'))).toEqual(['etcd_member_e1_removal']);
    const removal = data.etcd_member_e1_removal;
    expect(removal.triggers_replace).toEqual({ member: 'e1', address: '10.1.1.93' });
    const [onPeer, onHost] = removal.provisioner.map((p: { 'remote-exec': unknown }) => p['remote-exec']);
    expect(onPeer).toMatchObject({
      inline: ['bash /var/lib/etcd-deploy/etcd-ops.sh remove-member e1 https://10.1.1.93:2380 https://10.1.1.93:2379'],
      connection: { host: '10.1.1.92' },
    });
    expect(onHost).toMatchObject({
      inline: ['bash /var/lib/etcd-deploy/etcd-ops.sh retire'],
      connection: { host: '10.1.1.93', timeout: '20s' },
      on_failure: 'continue',
    });
    // Deleting the entry later runs nothing on any host.
    expect(data.etcd_membership.for_each.e1.connection).toMatchObject({ command: '', removed: true });
    // The first member that stays runs the health gate and gets the CA key when it goes to "first".
    expect(data.etcd_health_check.connection.host).toBe('10.1.1.92');
    expect(Object.keys({ ...tf.resource.local_file, ...tf.resource.local_sensitive_file }).filter((n) => n.startsWith('etcd_e1_'))).toEqual([]);
    const withCaKey = synthSpec({ ...spec, pki: { caKeyOnHosts: 'first' } });
    expect(Object.keys(withCaKey.resource.local_sensitive_file).filter((n) => n.endsWith('_pki_etcd_ca_key'))).toEqual(['etcd_e2_file_pki_etcd_ca_key']);
  });
});

describe('the cluster identity', () => {
  test('is one terraform_data created once; its id is the default cluster token, unique per cluster and kept in state', () => {
    const tf = synthSpec();
    expect(tf.resource.terraform_data.etcd_cluster).toEqual({ lifecycle: { ignore_changes: ['input'] }, input: { token: null } });
    const params = bundleTexts(tf, 'e1')['params.env'];
    expect(params).toContain('CLUSTER_TOKEN=${terraform_data.etcd_cluster.id}');
    expect(params).toContain('CLUSTER_ID=${terraform_data.etcd_cluster.id}');
    expect(JSON.stringify(tf)).not.toContain('etcd-cluster\\n');
  });

  test('a token set in the spec is used as given', () => {
    const tf = synthSpec({ ...DEFAULT_CLUSTER_SPEC, etcd: { clusterToken: 'prod-east' } });
    expect(bundleTexts(tf, 'e1')['params.env']).toContain('CLUSTER_TOKEN=prod-east');
    expect(tf.resource.terraform_data.etcd_cluster.input).toEqual({ token: 'prod-east' });
  });
});
