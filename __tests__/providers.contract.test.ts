/**
 * What the stack relies on from HashiCorp's tls and local providers (and Terraform's built-in
 * terraform_data), checked against the real ones (built from their Go modules, installed from the
 * filesystem mirror) with plain terraform: validate catches schema mistakes; apply makes keys in
 * the encodings etcd reads, certificates with kubeadm's extensions and files with exact modes;
 * refresh notices local drift; plans replace a terraform_data whose trigger changed and a
 * certificate inside its early-renewal window. If a provider release changed any of this, the stack's design would need to change too.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureProviderMirror, PROVIDER_BUILDS } from '../toolchain/providers';

jest.setTimeout(300_000);

let env: NodeJS.ProcessEnv;
const workDirs: string[] = [];

beforeAll(async () => {
  const mirror = await ensureProviderMirror();
  env = { ...process.env, ...mirror.env, TF_IN_AUTOMATION: '1' };
  delete env.TF_LOG;
});

afterAll(() => {
  for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tf(dir: string, ...args: string[]): { status: number | null; out: string } {
  const res = spawnSync('terraform', [...args, '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  // Terraform wraps diagnostics at 78 columns: flatten whitespace so messages match whole.
  return { status: res.status, out: `${res.stdout}\n${res.stderr}`.replace(/\s+/g, ' ') };
}

function ok(dir: string, ...args: string[]): string {
  const res = tf(dir, ...args);
  if (res.status !== 0) throw new Error(`terraform ${args.join(' ')} failed:\n${res.out}`);
  return res.out;
}

function workDir(config: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'provider-contract-'));
  workDirs.push(dir);
  writeConfig(dir, config);
  return dir;
}

function writeConfig(dir: string, config: object): void {
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
}

const requiredProviders = {
  terraform: {
    required_providers: Object.fromEntries(PROVIDER_BUILDS.map((p) => [p.name, { source: `hashicorp/${p.name}`, version: p.version }])),
  },
};

/** A small PKI: an ECDSA P-256 CA signing an RSA server cert, and an RSA CA signing an ECDSA P-256 client cert. */
function pkiConfig(opts: { trigger: string; renewing?: boolean }): object {
  const ca = (name: string, key: string) => ({
    private_key_pem: `\${tls_private_key.${key}.private_key_pem}`,
    is_ca_certificate: true,
    set_subject_key_id: true,
    validity_period_hours: 87600,
    allowed_uses: ['cert_signing', 'crl_signing', 'digital_signature'],
    subject: { common_name: name, organization: 'etcd' },
  });
  const leaf = (csr: string, caName: string, caKey: string, uses: string[]) => ({
    cert_request_pem: `\${tls_cert_request.${csr}.cert_request_pem}`,
    ca_private_key_pem: `\${tls_private_key.${caKey}.private_key_pem}`,
    ca_cert_pem: `\${tls_self_signed_cert.${caName}.cert_pem}`,
    validity_period_hours: 8760,
    allowed_uses: uses,
  });
  return {
    ...requiredProviders,
    provider: { tls: { proxy: { from_env: false } } },
    resource: {
      tls_private_key: {
        ca_ec: { algorithm: 'ECDSA', ecdsa_curve: 'P256' },
        ca_rsa: { algorithm: 'RSA', rsa_bits: 2048 },
        server: { algorithm: 'RSA' },
        client: { algorithm: 'ECDSA', ecdsa_curve: 'P256' },
        ssh: { algorithm: 'ED25519' },
      },
      tls_self_signed_cert: {
        ca_ec: ca('etcd-ca-ec', 'ca_ec'),
        ca_rsa: ca('etcd-ca-rsa', 'ca_rsa'),
        ...(opts.renewing
          ? {
              renewing: {
                private_key_pem: '${tls_private_key.ssh.private_key_pem}',
                validity_period_hours: 1,
                early_renewal_hours: 2,
                allowed_uses: ['digital_signature'],
                subject: { common_name: 'renew-me' },
              },
            }
          : {}),
      },
      tls_cert_request: {
        server: {
          private_key_pem: '${tls_private_key.server.private_key_pem}',
          dns_names: ['etcd-0.example.internal', 'localhost'],
          ip_addresses: ['10.0.0.10', '127.0.0.1'],
          subject: { common_name: 'etcd-0', organization: 'etcd' },
        },
        client: {
          private_key_pem: '${tls_private_key.client.private_key_pem}',
          subject: { common_name: 'kube-apiserver-etcd-client', organization: 'system:masters' },
        },
      },
      tls_locally_signed_cert: {
        server: leaf('server', 'ca_ec', 'ca_ec', ['digital_signature', 'key_encipherment', 'server_auth', 'client_auth']),
        client: leaf('client', 'ca_rsa', 'ca_rsa', ['digital_signature', 'client_auth']),
      },
      local_file: {
        server_crt: {
          content: '${tls_locally_signed_cert.server.cert_pem}',
          filename: '${path.module}/out/pki/server.crt',
          file_permission: '0644',
          directory_permission: '0700',
        },
      },
      local_sensitive_file: {
        server_key: {
          content: '${tls_private_key.server.private_key_pem}',
          filename: '${path.module}/out/pki/server.key',
          file_permission: '0600',
          directory_permission: '0700',
        },
      },
      terraform_data: { deploy: { triggers_replace: { cert: '${tls_locally_signed_cert.server.id}', rev: opts.trigger } } },
    },
  };
}

function state(dir: string): Record<string, any> {
  const s = JSON.parse(
    ok(dir, 'show', '-json')
      .split('\n')
      .find((l) => l.startsWith('{'))!,
  );
  const out: Record<string, any> = {};
  for (const r of s.values.root_module.resources) out[r.address] = r.values;
  return out;
}

function planChanges(dir: string): Record<string, { actions: string[]; replace_paths?: unknown }> {
  ok(dir, 'plan', '-out=tfplan', '-input=false');
  const plan = JSON.parse(
    ok(dir, 'show', '-json', 'tfplan')
      .split('\n')
      .find((l) => l.startsWith('{'))!,
  );
  const out: Record<string, { actions: string[]; replace_paths?: unknown }> = {};
  for (const rc of plan.resource_changes ?? []) {
    if (rc.change.actions.join() !== 'no-op')
      out[rc.address] = { actions: rc.change.actions, replace_paths: rc.action_reason ? rc.change.replace_paths : rc.change.replace_paths };
  }
  return out;
}

/** openssl's own reading of a certificate, independent of the code under test. */
function opensslText(pem: string): string {
  const res = spawnSync('openssl', ['x509', '-noout', '-text'], { input: pem, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return res.stdout;
}

/** The value line(s) under an "X509v3 ..." heading, and whether it is marked critical. */
function ext(text: string, name: string): { critical: boolean; value: string } | undefined {
  const m = new RegExp(`X509v3 ${name}:( critical)?\\s*\\n\\s*(.*)`).exec(text);
  return m ? { critical: !!m[1], value: m[2].trim() } : undefined;
}

describe('terraform validate against the real provider schemas', () => {
  it('rejects a misspelled argument and a missing required argument', () => {
    const dir = workDir({
      ...requiredProviders,
      resource: {
        tls_private_key: { k: { algorithm: 'RSA' } },
        tls_self_signed_cert: {
          typo: { private_key_pem: '${tls_private_key.k.private_key_pem}', validity_period_hour: 12, allowed_uses: [] },
        },
        tls_locally_signed_cert: {
          missing: { cert_request_pem: 'x', ca_private_key_pem: 'y', validity_period_hours: 1, allowed_uses: [] },
        },
      },
    });
    ok(dir, 'init', '-input=false');
    const res = tf(dir, 'validate');
    expect(res.status).toBe(1);
    // JSON syntax words it as an extraneous property (HCL: "An argument named ... is not expected here").
    expect(res.out).toContain('No argument or block type is named "validity_period_hour". Did you mean "validity_period_hours"?');
    expect(res.out).toContain('Missing required argument');
    expect(res.out).toContain('The argument "ca_cert_pem" is required, but no definition was found.');
  });

  it('rejects values the providers validate: unknown key usage, bad algorithm, two content sources', () => {
    const dir = workDir({
      ...requiredProviders,
      resource: {
        tls_private_key: { k: { algorithm: 'DSA' } },
        local_file: { f: { content: 'a', content_base64: 'Yg==', filename: '/tmp/never-written' } },
        tls_self_signed_cert: {
          c: { private_key_pem: 'x', validity_period_hours: 1, allowed_uses: ['server_auth', 'nuclear_launch'] },
        },
      },
    });
    ok(dir, 'init', '-input=false');
    const res = tf(dir, 'validate');
    expect(res.status).toBe(1);
    expect(res.out).toContain('Invalid Attribute Value Match');
    expect(res.out).toMatch(/allowed_uses\[1\] value must be one of/);
    expect(res.out).toContain('got: "DSA"');
    expect(res.out).toMatch(
      /Invalid Attribute Combination with local_file\.f, .* 2 attributes specified when one \(and only one\) of \[[a-z_,]+\] is required/,
    );
  });
});

describe('terraform apply with the real providers', () => {
  let dir: string;
  let values: Record<string, any>;

  beforeAll(() => {
    dir = workDir(pkiConfig({ trigger: 'one' }));
    ok(dir, 'init', '-input=false');
    expect(ok(dir, 'validate')).toContain('Success! The configuration is valid.');
    ok(dir, 'apply', '-auto-approve', '-input=false');
    values = state(dir);
  });

  afterAll(() => {
    if (dir) tf(dir, 'destroy', '-auto-approve', '-input=false');
  });

  it('generates keys in the encodings the real provider uses', () => {
    expect(values['tls_private_key.server'].private_key_pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(values['tls_private_key.client'].private_key_pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(values['tls_private_key.ssh'].private_key_pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(values['tls_private_key.client'].private_key_pem_pkcs8).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(values['tls_private_key.client'].public_key_openssh).toMatch(/^ecdsa-sha2-nistp256 [A-Za-z0-9+/=]+\n$/);
    expect(values['tls_private_key.ssh'].public_key_openssh).toMatch(/^ssh-ed25519 /);
    expect(values['tls_private_key.server'].public_key_fingerprint_sha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(values['tls_private_key.server'].private_key_openssh).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    const key = crypto.createPrivateKey(values['tls_private_key.server'].private_key_pem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const spki = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
    expect(values['tls_private_key.server'].id).toBe(crypto.createHash('sha1').update(spki).digest('hex'));
  });

  it('issues CA certificates: CA flag, key usage, subject key id', () => {
    for (const name of ['ca_ec', 'ca_rsa']) {
      const pem = values[`tls_self_signed_cert.${name}`].cert_pem;
      const ca = new crypto.X509Certificate(pem);
      expect(ca.subject).toBe(`O=etcd\nCN=etcd-${name.replace('_', '-')}`);
      expect(ca.issuer).toBe(ca.subject);
      expect(ca.ca).toBe(true);
      expect(ca.verify(ca.publicKey)).toBe(true);
      const text = opensslText(pem);
      expect(ext(text, 'Basic Constraints')).toEqual({ critical: true, value: 'CA:TRUE' });
      expect(ext(text, 'Key Usage')).toEqual({ critical: true, value: 'Digital Signature, Certificate Sign, CRL Sign' });
      expect(ext(text, 'Subject Key Identifier')?.value).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
      expect(values[`tls_self_signed_cert.${name}`].ready_for_renewal).toBe(false);
    }
  });

  it.each([
    ['server', 'ca_ec', 'RSA', 'ECDSA'],
    ['client', 'ca_rsa', 'ECDSA', 'RSA'],
  ])('signs the %s CSR with %s: subject, SANs, usages, validity, chain', (leafName, caName, leafAlg, caAlg) => {
    const leafState = values[`tls_locally_signed_cert.${leafName}`];
    const caPem = values[`tls_self_signed_cert.${caName}`].cert_pem;
    const leaf = new crypto.X509Certificate(leafState.cert_pem);
    const ca = new crypto.X509Certificate(caPem);
    expect(leafState.ca_key_algorithm).toBe(caAlg);
    expect(values[`tls_cert_request.${leafName}`].key_algorithm).toBe(leafAlg);

    expect(leaf.issuer).toBe(ca.subject);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(BigInt(`0x${leaf.serialNumber}`).toString(10)).toBe(leafState.id);
    expect(Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)).toBe(8760 * 3600_000);
    expect(Date.parse(leafState.validity_end_time) - Date.parse(leafState.validity_start_time)).toBe(8760 * 3600_000);

    const text = opensslText(leafState.cert_pem);
    const caText = opensslText(caPem);
    expect(ext(text, 'Authority Key Identifier')?.value).toBe(ext(caText, 'Subject Key Identifier')?.value);
    expect(ext(text, 'Basic Constraints')).toEqual({ critical: true, value: 'CA:FALSE' });
    if (leafName === 'server') {
      expect(leaf.subject).toBe('O=etcd\nCN=etcd-0');
      expect(leaf.subjectAltName).toBe('DNS:etcd-0.example.internal, DNS:localhost, IP Address:10.0.0.10, IP Address:127.0.0.1');
      expect(ext(text, 'Key Usage')).toEqual({ critical: true, value: 'Digital Signature, Key Encipherment' });
      expect(ext(text, 'Extended Key Usage')).toEqual({ critical: false, value: 'TLS Web Server Authentication, TLS Web Client Authentication' });
      expect(leaf.publicKey.equals(crypto.createPublicKey(values['tls_private_key.server'].private_key_pem))).toBe(true);
    } else {
      expect(leaf.subject).toBe('O=system:masters\nCN=kube-apiserver-etcd-client');
      expect(leaf.subjectAltName).toBeUndefined();
      expect(ext(text, 'Key Usage')).toEqual({ critical: true, value: 'Digital Signature' });
      expect(ext(text, 'Extended Key Usage')).toEqual({ critical: false, value: 'TLS Web Client Authentication' });
    }
  });

  it('passes openssl verification of both chains', () => {
    for (const [leaf, ca] of [
      ['server', 'ca_ec'],
      ['client', 'ca_rsa'],
    ]) {
      fs.writeFileSync(path.join(dir, `${ca}.pem`), values[`tls_self_signed_cert.${ca}`].cert_pem);
      fs.writeFileSync(path.join(dir, `${leaf}.pem`), values[`tls_locally_signed_cert.${leaf}`].cert_pem);
      const res = spawnSync('openssl', ['verify', '-CAfile', `${ca}.pem`, `${leaf}.pem`], { cwd: dir, encoding: 'utf8' });
      expect(res.stdout.trim()).toBe(`${leaf}.pem: OK`);
    }
  });

  it('writes local files with exact modes and the real checksums', () => {
    const pki = path.join(dir, 'out', 'pki');
    expect(fs.statSync(pki).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(pki, 'server.crt')).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(pki, 'server.key')).mode & 0o777).toBe(0o600);
    const crt = fs.readFileSync(path.join(pki, 'server.crt'));
    expect(crt.toString()).toBe(values['tls_locally_signed_cert.server'].cert_pem);
    expect(values['local_file.server_crt'].id).toBe(crypto.createHash('sha1').update(crt).digest('hex'));
    expect(values['local_file.server_crt'].content_base64sha256).toBe(crypto.createHash('sha256').update(crt).digest('base64'));
    expect(values['terraform_data.deploy'].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('re-creates a deleted and an edited file, then plans no changes', () => {
    const pki = path.join(dir, 'out', 'pki');
    fs.rmSync(path.join(pki, 'server.key'));
    fs.writeFileSync(path.join(pki, 'server.crt'), 'tampered\n');
    expect(planChanges(dir)).toEqual({
      'local_file.server_crt': { actions: ['create'] },
      'local_sensitive_file.server_key': { actions: ['create'] },
    });
    ok(dir, 'apply', '-auto-approve', '-input=false');
    expect(fs.readFileSync(path.join(pki, 'server.crt'), 'utf8')).toBe(values['tls_locally_signed_cert.server'].cert_pem);
    expect(fs.statSync(path.join(pki, 'server.key')).mode & 0o777).toBe(0o600);
    expect(tf(dir, 'plan', '-detailed-exitcode', '-input=false').status).toBe(0);
  });

  it('replaces terraform_data when a trigger changes, and a certificate inside its early-renewal window', () => {
    writeConfig(dir, pkiConfig({ trigger: 'two', renewing: true }));
    const changes = planChanges(dir);
    expect(changes['terraform_data.deploy']).toEqual({ actions: ['delete', 'create'], replace_paths: [['triggers_replace']] });
    expect(changes['tls_self_signed_cert.renewing']).toEqual({ actions: ['create'] });
    expect(Object.keys(changes).sort()).toEqual(['terraform_data.deploy', 'tls_self_signed_cert.renewing']);
    ok(dir, 'apply', '-auto-approve', '-input=false');
    expect(state(dir)['tls_self_signed_cert.renewing'].ready_for_renewal).toBe(true);
    expect(planChanges(dir)).toEqual({
      'tls_self_signed_cert.renewing': { actions: ['delete', 'create'], replace_paths: [['ready_for_renewal']] },
    });
  });

  it('removes the files on destroy', () => {
    ok(dir, 'destroy', '-auto-approve', '-input=false');
    expect(fs.existsSync(path.join(dir, 'out', 'pki', 'server.crt'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'out', 'pki', 'server.key'))).toBe(false);
  });
});
