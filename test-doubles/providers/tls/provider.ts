/** The stand-in hashicorp/tls 4.1.0 provider: its configuration schema and resources. */
import { ObjectValue, isUnknown } from '../protocol/cty';
import { Diagnostic, ProviderDefinition, error } from '../framework';
import { certRequestResource } from './cert-request';
import { locallySignedCertResource } from './locally-signed-cert';
import { privateKeyResource } from './private-key';
import { selfSignedCertResource } from './self-signed-cert';

const PROXY_SCHEMES = ['http', 'https', 'socks5'];

function validateProxy(config: ObjectValue): Diagnostic[] {
  const proxies = Array.isArray(config.proxy) ? (config.proxy as ObjectValue[]) : [];
  const diags: Diagnostic[] = [];
  proxies.forEach((p, i) => {
    const at = (name: string): (string | number)[] => ['proxy', i, name];
    const set = (name: string): boolean => p[name] !== null && p[name] !== undefined;
    if (typeof p.url === 'string') {
      let scheme = '';
      try {
        scheme = new URL(p.url).protocol.replace(/:$/, '');
      } catch {
        diags.push(error('Invalid Attribute Value', `Value must be a valid URL with scheme (${PROXY_SCHEMES.join(', ')}), got: ${p.url}`, at('url')));
      }
      if (scheme && !PROXY_SCHEMES.includes(scheme)) {
        diags.push(error('Invalid Attribute Value', `URL must have a scheme of ${PROXY_SCHEMES.join(', ')}, got: ${scheme}`, at('url')));
      }
    }
    if (set('url') && set('from_env') && !isUnknown(p.from_env)) {
      diags.push(error('Invalid Attribute Combination', 'Attribute "proxy[0].from_env" cannot be specified when "proxy[0].url" is specified', at('from_env')));
    }
    if (set('username') && !set('url')) {
      diags.push(error('Invalid Attribute Combination', 'Attribute "proxy[0].url" must be specified when "proxy[0].username" is specified', at('username')));
    }
    if (set('password') && !set('username')) {
      diags.push(error('Invalid Attribute Combination', 'Attribute "proxy[0].username" must be specified when "proxy[0].password" is specified', at('password')));
    }
  });
  return diags;
}

export const tlsProvider: ProviderDefinition = {
  name: 'registry.terraform.io/hashicorp/tls',
  version: '4.1.0',
  schema: {
    attributes: [],
    blocks: [
      {
        name: 'proxy',
        nesting: 'list',
        minItems: 0,
        maxItems: 1,
        block: {
          description: 'Proxy used by resources and data sources that connect to external endpoints.',
          attributes: [
            { name: 'url', type: 'string', optional: true, description: 'URL used to connect to the Proxy. Accepted schemes are: `http`, `https`, `socks5`. ' },
            { name: 'username', type: 'string', optional: true, description: 'Username (or Token) used for Basic authentication against the Proxy.' },
            { name: 'password', type: 'string', optional: true, sensitive: true, description: 'Password used for Basic authentication against the Proxy.' },
            {
              name: 'from_env',
              type: 'bool',
              optional: true,
              description: 'When `true` the provider will discover the proxy configuration from environment variables. (default: `true`).',
            },
          ],
        },
      },
    ],
  },
  resources: [privateKeyResource, selfSignedCertResource, certRequestResource, locallySignedCertResource],
  validateConfig: validateProxy,
};
