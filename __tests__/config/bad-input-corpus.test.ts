import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthFromEnvironment } from '../../src/cli/synth';
import { CLUSTER_SPEC_FIELD, Field, ObjectField } from '../../src/config/schema';

// A corpus of malformed and hostile specs: each must fail the synth with a message naming the
// field, and leave no JSON behind. Part is generated (every string field × hostile payloads, so a
// new field is covered automatically), part is hand-written.

const VALID_BASE = {
  members: [
    {
      name: 'e1',
      address: '10.1.1.93',
      sshHost: '10.1.1.93',
      extraSans: ['etcd.example.com'],
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ',
    },
    { name: 'e2', address: '10.1.1.92', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' },
    { name: 'e3', address: '10.1.1.91', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' },
  ],
  ssh: {
    user: 'root',
    privateKeyFile: '~/.ssh/id',
    timeout: '5m',
    bastion: {
      host: 'jump.example.com',
      user: 'ops',
      privateKeyFile: '~/.ssh/j',
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ',
    },
  },
  etcd: {
    version: '3.6.9',
    downloadUrl: 'https://mirror.example.com/etcd-v{version}.tgz',
    sha256: 'a'.repeat(64),
    clusterToken: 't1',
    dataDir: '/var/lib/etcd',
    binDir: '/usr/local/bin',
    unitName: 'etcd',
    metricsUrls: ['http://127.0.0.1:2381', 'https://{address}:2382', 'http://[::1]:2383'],
  },
  server: {
    cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    extraArgs: ['--max-txn-ops=256'],
    autoCompactionRetention: '1h',
    corruptCheckTime: '5m',
  },
  pki: { localDir: 'hosts' },
  paths: { pkiDir: '/etc/kubernetes/pki', stateDir: '/var/lib/etcd-deploy' },
};
const BACKENDS: Record<string, Record<string, string>> = {
  local: { type: 'local', path: 'state/etcd.tfstate' },
  cloud: { type: 'cloud', organization: 'acme', workspace: 'etcd', hostname: 'app.terraform.io' },
  remote: { type: 'remote', organization: 'acme', workspace: 'etcd', hostname: 'app.terraform.io' },
  s3: { type: 's3', bucket: 'tf-state', key: 'etcd/state', region: 'eu-west-1', endpoint: 'https://s3.example.com' },
  pg: { type: 'pg', schemaName: 'etcd_state' },
};

const PAYLOADS: Array<[string, string]> = [
  ['command substitution', '$(touch /tmp/pwned)'],
  ['backticks', 'x`id`'],
  ['command separator', 'x; rm -rf /'],
  ['newline', 'x\nreboot'],
  ['Terraform interpolation', '${file("/etc/shadow")}'],
];
const TRAVERSAL = '/var/lib/../../etc/shadow-dir';
const PATH_FIELDS = new Set(['etcd.dataDir', 'etcd.binDir', 'paths.pkiDir', 'paths.stateDir', 'pki.localDir']);

/** Every string field that has a rule, as [path in spec, setter]. */
function stringFields(field: ObjectField, path: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, f] of Object.entries(field.fields)) {
    const here = [...path, key];
    const visit = (g: Field, p: string[]) => {
      if (g.kind === 'string' && (g.rule || g.enum) && key !== 'type') out.push(p);
      if (g.kind === 'object') out.push(...stringFields(g, p));
      if (g.kind === 'array') visit(g.items, [...p, '0']);
    };
    if (f.kind === 'union') {
      for (const [variant, v] of Object.entries(f.variants)) out.push(...stringFields(v, here).map((p) => [`@${variant}`, ...p]));
    } else visit(f, here);
  }
  return out;
}

function withValue(pathWithVariant: string[], value: unknown): { spec: any; field: string } {
  const spec = JSON.parse(JSON.stringify(VALID_BASE));
  let path = pathWithVariant;
  if (path[0].startsWith('@')) {
    spec.backend = { ...BACKENDS[path[0].slice(1)] };
    path = path.slice(1);
  }
  let node = spec;
  // An absent array is made as an array (its items are the path's numeric keys).
  path.slice(0, -1).forEach((key, i) => (node = node[key] ??= /^\d+$/.test(path[i + 1]) ? [] : {}));
  node[path[path.length - 1]] = value;
  return {
    spec,
    field: path
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
      .join('')
      .slice(1)
      .replace(/\.\[/g, '['),
  };
}

const generated: Array<[string, unknown, string]> = [];
for (const path of stringFields(CLUSTER_SPEC_FIELD)) {
  for (const [label, payload] of PAYLOADS) {
    const { spec, field } = withValue(path, payload);
    generated.push([`${label} in ${field}`, spec, field]);
  }
  const { field } = withValue(path, '');
  if (PATH_FIELDS.has(field)) {
    const t = withValue(path, field === 'pki.localDir' ? '../../outside' : TRAVERSAL);
    generated.push([`path traversal in ${field}`, t.spec, field]);
  }
}

const m = (i: number, patch: object) => ({ ...VALID_BASE, members: VALID_BASE.members.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
const handWritten: Array<[string, unknown, string]> = [
  ['members is an object', { members: { e1: '10.0.0.1' } }, 'members'],
  ['member is a string', { members: ['e1=10.0.0.1'] }, 'members[0]'],
  ['address is a number', m(0, { address: 167837953 }), 'members[0].address'],
  ['address with CIDR suffix', m(0, { address: '10.1.1.93/24' }), 'members[0].address'],
  ['address with port', m(1, { address: '10.1.1.92:2380' }), 'members[1].address'],
  ['duplicate address', m(2, { address: '10.1.1.93' }), 'members[2].address'],
  ['multicast address', m(2, { address: '239.1.1.1' }), 'members[2].address'],
  ['IPv6 loopback', m(2, { address: '::1' }), 'members[2].address'],
  ['duplicate name', m(1, { name: 'e1' }), 'members[1].name'],
  ['unknown member key', m(0, { ip: '10.0.0.9' }), 'members[0].ip'],
  ['unknown top-level key', { ...VALID_BASE, member: [] }, 'member'],
  ['version with v', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, version: 'v3.6.9' } }, 'etcd.version'],
  ['version 4', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, version: '4.0.0' } }, 'etcd.version'],
  ['version 3.3', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, version: '3.3.27' } }, 'etcd.version'],
  ['upper-case sha256', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, sha256: 'A'.repeat(64) } }, 'etcd.sha256'],
  ['sha512 instead of sha256', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, sha256: 'a'.repeat(128) } }, 'etcd.sha256'],
  ['mirror without checksum', { ...VALID_BASE, etcd: { version: '3.6.14', downloadUrl: 'https://m.example.com/e.tgz' } }, 'etcd.sha256'],
  ['ftp URL', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, downloadUrl: 'ftp://m.example.com/e.tgz' } }, 'etcd.downloadUrl'],
  ['port as string', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, clientPort: '2379' } }, 'etcd.clientPort'],
  ['port zero', { ...VALID_BASE, ssh: { ...VALID_BASE.ssh, port: 0 } }, 'ssh.port'],
  ['fractional hours', { ...VALID_BASE, pki: { certValidityHours: 8760.5 } }, 'pki.certValidityHours'],
  ['boolean as string', { ...VALID_BASE, backend: { ...BACKENDS.s3, encrypt: 'yes' } }, 'backend.encrypt'],
  ['null member list', { members: null }, 'members'],
  ['peer plane not a mode', { ...VALID_BASE, server: { ...VALID_BASE.server, peerPlane: 'none' } }, 'server.peerPlane'],
  ['sandbox as a string', { ...VALID_BASE, server: { ...VALID_BASE.server, sandbox: 'off' } }, 'server.sandbox'],
  ['sandbox hides the data dir under /root', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, dataDir: '/root/etcd' } }, 'etcd.dataDir'],
  ['metrics URL as a string', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: 'http://127.0.0.1:2381' } }, 'etcd.metricsUrls'],
  ['metrics URL list empty', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: [] } }, 'etcd.metricsUrls'],
  ['metrics URL without port', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://127.0.0.1'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL with a DNS name', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://localhost:2381'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL with a path', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://127.0.0.1:2381/metrics'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL over unix socket', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['unix:///run/etcd.sock'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL IPv6 unbracketed', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://::1:2381'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL IPv6 zone', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://[fe80::1%25eth0]:2381'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL port 70000', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://127.0.0.1:70000'] } }, 'etcd.metricsUrls[0]'],
  ['metrics URL user info', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://u@127.0.0.1:2381'] } }, 'etcd.metricsUrls[0]'],
  [
    'metrics URL duplicate',
    { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://127.0.0.1:2381', 'https://127.0.0.1:2381'] } },
    'etcd.metricsUrls[1]',
  ],
  ['metrics URL on the client port', { ...VALID_BASE, etcd: { ...VALID_BASE.etcd, metricsUrls: ['http://127.0.0.1:2379'] } }, 'etcd.metricsUrls[0]'],
  ['empty member list', { members: [] }, 'members'],
];

const CORPUS = [...handWritten, ...generated];

describe('bad input corpus', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcd-corpus-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the base spec of the generated cases is itself valid (so each case fails for its one change)', () => {
    for (const backend of Object.values(BACKENDS)) {
      const file = join(dir, 'base.json');
      writeFileSync(file, JSON.stringify({ ...VALID_BASE, backend }));
      const r = synthFromEnvironment({ ETCD_CLUSTER_SPEC: file }, join(dir, 'ok-out'));
      expect(r.stderr).toEqual([]);
      expect(r.exitCode).toBe(0);
    }
  });

  test(`the corpus is large (${CORPUS.length} specs)`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CORPUS)('%s is rejected at synth, naming the field, writing nothing', (name, spec, field) => {
    const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.json`);
    const outdir = join(dir, `out-${name.replace(/[^a-z0-9]+/gi, '_')}`);
    writeFileSync(file, JSON.stringify(spec));
    const r = synthFromEnvironment({ ETCD_CLUSTER_SPEC: file }, outdir);
    expect(r.exitCode).toBe(1);
    const message = r.stderr.join('\n');
    expect(message).toMatch(new RegExp(`^  - ${field.replace(/[.[\]]/g, '\\$&')}: `, 'm'));
    expect(existsSync(outdir)).toBe(false);
  });
});
