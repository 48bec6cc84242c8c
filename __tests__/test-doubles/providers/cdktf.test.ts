/**
 * cdktf's own matchers (which run `terraform init`, `validate` and `plan` in the synth
 * directory) pass against the stand-in providers once TF_CLI_CONFIG_FILE points at the mirror.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { Resource as NullResource } from '@cdktf/provider-null/lib/resource';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { ensureProviderMirror } from '../../../test-doubles/providers/mirror';
// Brings cdktf's jest matcher typings (toBeValidTerraform, toPlanSuccessfully) into scope.
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
jest.setTimeout(60_000);

class TinyPkiStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new TlsProvider(this, 'tls');
    new LocalProvider(this, 'local');
    new NullProvider(this, 'null');
    const key = new PrivateKey(this, 'ca-key', { algorithm: 'ECDSA', ecdsaCurve: 'P256' });
    const ca = new SelfSignedCert(this, 'ca', {
      privateKeyPem: key.privateKeyPem,
      isCaCertificate: true,
      validityPeriodHours: 24,
      allowedUses: ['cert_signing', 'crl_signing'],
      subject: [{ commonName: 'etcd-ca' }],
    });
    new SensitiveFile(this, 'ca-key-file', { content: key.privateKeyPem, filename: '/tmp/never-applied/ca.key', filePermission: '0600' });
    new NullResource(this, 'deploy', { triggers: { ca: ca.certPem } });
  }
}

const saved = { ...process.env };

beforeAll(async () => {
  Object.assign(process.env, (await ensureProviderMirror()).env);
});

afterAll(() => {
  process.env = saved;
});

it('is valid Terraform and plans successfully', () => {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stand-in-providers-cdktf-'));
  const stack = new TinyPkiStack(Testing.app({ outdir: appDir }), 'tiny-pki');
  const synthDir = Testing.fullSynth(stack);
  try {
    expect(synthDir).toBeValidTerraform();
    expect(synthDir).toPlanSuccessfully();
  } finally {
    fs.rmSync(synthDir, { recursive: true, force: true });
    fs.rmSync(appDir, { recursive: true, force: true });
  }
});
