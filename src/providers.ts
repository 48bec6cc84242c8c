import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';

/**
 * The hashicorp/local release the stack requires. The prebuilt binding (@cdktf/provider-local
 * 11.1.1) was generated for 2.6.1; the stack pins 2.9.0, a later release of the same major version
 * whose schema covers everything the binding writes, because 2.9.0 is the release this repository
 * can build from its Go module and so the one every test runs (see toolchain/providers.ts).
 */
export const LOCAL_PROVIDER_VERSION = '2.9.0';

/**
 * Adds the tls and local providers to the stack unless the caller already configured them. The
 * provisioning resources are Terraform's built-in `terraform_data`: no null provider is needed.
 */
export function ensureProviders(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  const has = (type: string) => stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === type);
  if (!has('tls')) new TlsProvider(stack, 'tls');
  if (!has('local')) {
    new LocalProvider(stack, 'local');
    stack.addOverride('terraform.required_providers.local.version', LOCAL_PROVIDER_VERSION);
  }
}
