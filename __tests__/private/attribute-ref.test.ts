import { App, DefaultTokenResolver, StringConcat, TerraformIterator, TerraformStack, Tokenization } from 'cdktf';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { attributeRef } from '../../src/private/attribute-ref';

/** What cdktf's own attribute token resolves to in the resource's stack. */
const resolved = (stack: TerraformStack, token: string): unknown =>
  Tokenization.resolve(token, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });

describe('attribute references without tokens', () => {
  const stack = new TerraformStack(new App(), 's');

  test('are the text the attribute token resolves to, with and without a logical id override', () => {
    const key = new PrivateKey(stack, 'ca-key', { algorithm: 'ED25519' });
    key.overrideLogicalId('etcd_ca_key');
    const named = attributeRef(key, 'private_key_pem');
    expect(named.expression).toBe('${tls_private_key.etcd_ca_key.private_key_pem}');
    expect(named.expression).toBe(resolved(stack, key.privateKeyPem));
    expect(named.address).toBe('tls_private_key.etcd_ca_key.private_key_pem');

    const plain = new PrivateKey(stack, 'other', { algorithm: 'ED25519' });
    expect(attributeRef(plain, 'public_key_openssh').expression).toBe(resolved(stack, plain.publicKeyOpenssh));
  });

  test('of a for_each resource address all its instances, as the token does', () => {
    const keys = new PrivateKey(stack, 'keys', { forEach: TerraformIterator.fromList(['a', 'b']), algorithm: 'ED25519' });
    expect(attributeRef(keys, 'private_key_pem').expression).toBe(resolved(stack, keys.privateKeyPem));
  });
});
