import { CloudBackend, LocalBackend, NamedCloudWorkspace, PgBackend, RemoteBackend, S3Backend, TerraformStack } from 'cdktf';
import type { ResolvedBackendSpec } from './config/types';

/** Configures the stack's backend. The local path stays relative: the JSON runs from anywhere. */
export function configureBackend(stack: TerraformStack, backend: ResolvedBackendSpec): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: backend.path });
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
        encrypt: backend.encrypt,
        ...(backend.endpoint && { endpoints: { s3: backend.endpoint }, usePathStyle: true, skipCredentialsValidation: true, skipRegionValidation: true }),
      });
      // cdktf 0.21 predates S3 native locking (Terraform 1.10); the raw setting carries it.
      stack.addOverride('terraform.backend.s3.use_lockfile', backend.useLockfile);
      return;
    case 'pg':
      // No conn_str: it holds credentials; Terraform takes PG_CONN_STR from the environment.
      new PgBackend(stack, { connStr: '', schemaName: backend.schemaName }).addOverride('conn_str', undefined);
      return;
  }
}
