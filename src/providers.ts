import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LocalProvider } from '@cdktf/provider-local/lib/provider';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';

/** Adds the tls, local and null providers to the stack unless the caller already configured them. */
export function ensureProviders(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  const has = (type: string) => stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === type);
  if (!has('tls')) new TlsProvider(stack, 'tls');
  if (!has('local')) new LocalProvider(stack, 'local');
  if (!has('null')) new NullProvider(stack, 'null');
}
