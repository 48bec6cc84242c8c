import { CloudBackend, LocalBackend, NamedCloudWorkspace, RemoteBackend, S3Backend, TerraformStack } from 'cdktf';
import { BackendSpec } from './spec/types';
import { DEFAULTS } from './spec/defaults';

/** Configures the stack's backend. The local path stays relative: the JSON runs from anywhere. */
export function configureBackend(stack: TerraformStack, backend: BackendSpec): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: backend.path ?? DEFAULTS.localBackendPath });
      return;
    case 'cloud':
      new CloudBackend(stack, { organization: backend.organization, hostname: backend.hostname, workspaces: new NamedCloudWorkspace(backend.workspace) });
      return;
    case 'remote':
      new RemoteBackend(stack, { organization: backend.organization, hostname: backend.hostname, workspaces: { name: backend.workspace } });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: backend.encrypt ?? true,
        ...(backend.endpoint && { endpoints: { s3: backend.endpoint }, usePathStyle: true, skipCredentialsValidation: true, skipRegionValidation: true }),
      });
      // cdktf 0.21 predates S3 native locking (Terraform 1.10); the raw setting carries it.
      stack.addOverride('terraform.backend.s3.use_lockfile', backend.useLockfile ?? true);
      return;
  }
}
