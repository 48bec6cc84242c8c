/**
 * Defaults come from the descriptor, in one place: every field with a literal default resolves to
 * it when left out, derived defaults follow what they derive from, and values given are kept and
 * recorded as given.
 */
import { DEFAULT_ETCD_VERSION, pinnedSha256, upstreamTarballUrl } from '../../src/config/releases';
import { resolveSpec } from '../../src/config/resolve';
import { CLUSTER_SPEC_FIELD, Field, ObjectField } from '../../src/config/schema';
import type { ResolvedClusterSpec } from '../../src/config/types';

const minimal = { members: [{ name: 'e1', address: '10.0.0.1' }] };

/** Every [path, literal default] of the descriptor, below objects that resolve when absent. */
function literalDefaults(field: ObjectField, path: string): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, child] of Object.entries(field.fields) as Array<[string, Field]>) {
    const at = path ? `${path}.${key}` : key;
    if (child.kind === 'object' && child.resolveWhenAbsent) out.push(...literalDefaults(child, at));
    else if (
      (child.kind === 'string' || child.kind === 'integer' || child.kind === 'boolean') &&
      child.default !== undefined &&
      typeof child.default !== 'object'
    )
      out.push([at, child.default]);
  }
  return out;
}

const get = (value: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);

describe('resolving a spec', () => {
  const { value, provided } = resolveSpec<ResolvedClusterSpec>(minimal);
  const defaults = literalDefaults(CLUSTER_SPEC_FIELD, '');

  test('applies every literal default of the descriptor', () => {
    expect(defaults.length).toBeGreaterThan(24);
    expect(defaults.filter(([path, dflt]) => get(value, path) !== dflt)).toEqual([]);
  });

  test('derived defaults: the release, its URL and its pinned checksum; the SSH host; the backend', () => {
    expect(value.etcd.version).toBe(DEFAULT_ETCD_VERSION);
    expect(value.etcd.downloadUrl).toBe(upstreamTarballUrl(DEFAULT_ETCD_VERSION, 'amd64'));
    expect(value.etcd.sha256).toBe(pinnedSha256(DEFAULT_ETCD_VERSION, 'amd64'));
    expect(value.members[0]).toEqual({ name: 'e1', address: '10.0.0.1', sshHost: '10.0.0.1', extraSans: [], remove: false });
    expect(value.backend).toEqual({ type: 'local', path: '../../../terraform.etcd.tfstate' });
    expect(value.ssh.bastion).toBeUndefined();
  });

  test('a bastion takes the SSH user and key file unless it has its own', () => {
    const r = resolveSpec<ResolvedClusterSpec>({ ...minimal, ssh: { user: 'ops', privateKeyFile: '~/.ssh/k', bastion: { host: 'jump' } } }).value;
    expect(r.ssh.bastion).toEqual({ host: 'jump', user: 'ops', port: 22, privateKeyFile: '~/.ssh/k' });
    const own = resolveSpec<ResolvedClusterSpec>({ ...minimal, ssh: { user: 'ops', bastion: { host: 'jump', user: 'j' } } }).value;
    expect(own.ssh.bastion?.user).toBe('j');
  });

  test('a mirror URL gets its placeholders replaced; the given values are recorded as given', () => {
    const r = resolveSpec<ResolvedClusterSpec>({
      ...minimal,
      etcd: { version: '3.5.33', arch: 'arm64', downloadUrl: 'https://m.example.com/{version}/etcd-{arch}.tgz', sha256: 'a'.repeat(64) },
    });
    expect(r.value.etcd.downloadUrl).toBe('https://m.example.com/3.5.33/etcd-arm64.tgz');
    expect([...r.provided].sort()).toEqual([
      'etcd',
      'etcd.arch',
      'etcd.downloadUrl',
      'etcd.sha256',
      'etcd.version',
      'members',
      'members[0].address',
      'members[0].name',
    ]);
    expect(provided.has('etcd.sha256')).toBe(false);
  });
});
