import { DEFAULT_CLUSTER_SPEC } from '../../src/config/default-spec';
import { SpecValidationError, validateClusterSpec } from '../../src/config/validate';

const three = DEFAULT_CLUSTER_SPEC.members;
const spec = (patch: Record<string, unknown>) => ({ ...DEFAULT_CLUSTER_SPEC, ...patch });
const member = (i: number, patch: Record<string, unknown>) => spec({ members: three.map((m, j) => (j === i ? { ...m, ...patch } : m)) });

function issuesOf(input: unknown): string[] {
  try {
    validateClusterSpec(input);
  } catch (e) {
    if (e instanceof SpecValidationError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

// Each row: a bad spec, the path that must be named, and a fragment of the rule.
const BAD: Array<[string, unknown, string, RegExp]> = [
  ['not an object', 'members: []', '(spec)', /must be an object/],
  ['no members key', {}, 'members', /is required/],
  ['empty member list', spec({ members: [] }), 'members', /at least 1 entry/],
  ['misspelled top-level key', spec({ etdc: {} }), 'etdc', /unknown key \(did you mean "etcd"\?\)/],
  ['misspelled member key', member(0, { adress: '10.0.0.1' }), 'members[0].adress', /did you mean "address"/],
  ['misspelled nested key', spec({ pki: { keyAlgoritm: 'RSA-2048' } }), 'pki.keyAlgoritm', /did you mean "keyAlgorithm"/],
  ['upper-case member name', member(1, { name: 'E2' }), 'members[1].name', /DNS-1123 label/],
  ['member name with underscore', member(1, { name: 'e_2' }), 'members[1].name', /DNS-1123 label/],
  ['member name too long', member(1, { name: 'a'.repeat(64) }), 'members[1].name', /at most 63/],
  ['member name with shell metacharacters', member(0, { name: 'e1;reboot' }), 'members[0].name', /DNS-1123 label/],
  ['duplicate member name', member(2, { name: 'e1' }), 'members[2].name', /already used by members\[0\]/],
  ['address not an IP', member(0, { address: 'etcd-1.example.com' }), 'members[0].address', /IPv4 or IPv6/],
  ['IPv4 out of range', member(0, { address: '10.1.1.256' }), 'members[0].address', /IPv4 or IPv6/],
  ['IPv6 with zone', member(0, { address: 'fe80::1%eth0' }), 'members[0].address', /no zone index/],
  ['duplicate address', member(1, { address: '10.1.1.93' }), 'members[1].address', /already used by members\[0\]/],
  [
    'duplicate IPv6 in another spelling',
    spec({
      members: [
        { name: 'a', address: 'fd00::1' },
        { name: 'b', address: 'fd00:0:0::1' },
      ],
    }),
    'members[1].address',
    /already used/,
  ],
  ['loopback address', member(2, { address: '127.0.0.5' }), 'members[2].address', /loopback/],
  ['unspecified address', member(2, { address: '0.0.0.0' }), 'members[2].address', /unspecified/],
  ['address of the wrong type', member(0, { address: 10 }), 'members[0].address', /must be a string, got a number/],
  ['duplicate SSH host', member(1, { sshHost: '10.1.1.93' }), 'members[1].sshHost', /already the SSH host of members\[0\]/],
  ['bad host key', member(0, { hostKey: 'ssh-ed25519 AAAA; rm -rf /' }), 'members[0].hostKey', /SSH public key/],
  ['bad extra SAN', member(0, { extraSans: ['ok.example.com', 'bad name'] }), 'members[0].extraSans[1]', /IP address or a DNS name/],
  ['bad ssh user', spec({ ssh: { user: 'root$(id)' } }), 'ssh.user', /POSIX user/],
  ['ssh port out of range', spec({ ssh: { port: 70000 } }), 'ssh.port', /between 1 and 65535/],
  ['ssh port not an integer', spec({ ssh: { port: '22' } }), 'ssh.port', /must be an integer/],
  ['key file with a quote', spec({ ssh: { privateKeyFile: '~/.ssh/id"); exit' } }), 'ssh.privateKeyFile', /file path/],
  ['bad SSH timeout', spec({ ssh: { timeout: 'five minutes' } }), 'ssh.timeout', /duration/],
  ['bastion without host', spec({ ssh: { bastion: { user: 'jump' } } }), 'ssh.bastion.host', /is required/],
  ['version with v prefix', spec({ etcd: { version: 'v3.6.14' } }), 'etcd.version', /no leading "v"/],
  ['version 2.x', spec({ etcd: { version: '2.3.8', sha256: 'a'.repeat(64) } }), 'etcd.version', /3\.4 or later/],
  ['unpinned version without sha256', spec({ etcd: { version: '3.6.9' } }), 'etcd.sha256', /is required for etcd 3\.6\.9/],
  ['mirror without sha256', spec({ etcd: { downloadUrl: 'https://mirror.example.com/etcd.tar.gz' } }), 'etcd.sha256', /required when etcd.downloadUrl is set/],
  ['sha256 of the wrong length', spec({ etcd: { version: '3.6.9', sha256: 'abc' } }), 'etcd.sha256', /64 lower-case hexadecimal/],
  ['sha256 that contradicts the pin', spec({ etcd: { sha256: 'b'.repeat(64) } }), 'etcd.sha256', /does not match the published sha256/],
  [
    'URL with a command substitution',
    spec({ etcd: { downloadUrl: 'https://x.example.com/$(id).tgz', sha256: 'a'.repeat(64) } }),
    'etcd.downloadUrl',
    /http\(s\) URL/,
  ],
  [
    'URL with an unknown placeholder',
    spec({ etcd: { downloadUrl: 'https://x.example.com/{os}.tgz', sha256: 'a'.repeat(64) } }),
    'etcd.downloadUrl',
    /\{version\}/,
  ],
  ['unknown arch', spec({ etcd: { arch: 'riscv64' } }), 'etcd.arch', /not one of "amd64", "arm64"/],
  ['clashing ports', spec({ etcd: { peerPort: 2379 } }), 'etcd.peerPort', /already etcd.clientPort/],
  ['relative data dir', spec({ etcd: { dataDir: 'var/lib/etcd' } }), 'etcd.dataDir', /absolute path/],
  ['data dir with traversal', spec({ etcd: { dataDir: '/var/lib/../etc' } }), 'etcd.dataDir', /without "\." or "\.\." segments/],
  ['data dir with a space', spec({ etcd: { dataDir: '/var/lib/my etcd' } }), 'etcd.dataDir', /no spaces or shell metacharacters/],
  ['data dir that is a system dir', spec({ etcd: { dataDir: '/var/lib' } }), 'etcd.dataDir', /system directory/],
  ['data dir inside the PKI dir', spec({ etcd: { dataDir: '/etc/kubernetes/pki/data' } }), 'etcd.dataDir', /overlaps paths.pkiDir/],
  ['a system dir spelled with a double slash', spec({ etcd: { dataDir: '//etc' } }), 'etcd.dataDir', /"\/etc" is a system directory/],
  ['a system dir with a trailing slash', spec({ paths: { stateDir: '/var/lib/' } }), 'paths.stateDir', /"\/var\/lib" is a system directory/],
  ['bin dir equal to the data dir', spec({ etcd: { binDir: '/var/lib/etcd' } }), 'etcd.binDir', /overlaps etcd.dataDir/],
  ['bin dir inside the state dir', spec({ etcd: { binDir: '/var/lib/etcd-deploy/bin' } }), 'etcd.binDir', /overlaps paths.stateDir/],
  ['bin dir that is a system dir', spec({ etcd: { binDir: '/etc' } }), 'etcd.binDir', /system directory/],
  ['snapshot dir inside the data dir', spec({ snapshots: { dir: '/var/lib/etcd/snapshots' } }), 'snapshots.dir', /overlaps etcd.dataDir/],
  ['unit name of sshd', spec({ etcd: { unitName: 'ssh' } }), 'etcd.unitName', /"ssh" is a system unit/],
  ['unit name of a systemd unit', spec({ etcd: { unitName: 'systemd-journald' } }), 'etcd.unitName', /system unit/],
  ['unit name of kubelet', spec({ etcd: { unitName: 'kubelet' } }), 'etcd.unitName', /system unit/],
  ['bad unit name', spec({ etcd: { unitName: 'etcd.service' } }), 'etcd.unitName', /systemd unit base name/],
  ['bad token', spec({ etcd: { clusterToken: 'a b' } }), 'etcd.clusterToken', /letters, digits/],
  ['unknown key algorithm', spec({ pki: { keyAlgorithm: 'DSA-1024' } }), 'pki.keyAlgorithm', /not one of/],
  ['leaf outlives CA', spec({ pki: { certValidityHours: 100000 } }), 'pki.certValidityHours', /must not outlive its CA/],
  ['early renewal covering the whole validity', spec({ pki: { certEarlyRenewalHours: 8760 } }), 'pki.certEarlyRenewalHours', /every apply would renew/],
  ['CA key placement unknown', spec({ pki: { caKeyOnHosts: 'some' } }), 'pki.caKeyOnHosts', /not one of "none", "first", "all"/],
  ['local dir escaping the stack', spec({ pki: { localDir: '../secrets' } }), 'pki.localDir', /relative path/],
  ['absolute local dir', spec({ pki: { localDir: '/tmp/pki' } }), 'pki.localDir', /relative path/],
  ['relative PKI dir on hosts', spec({ paths: { pkiDir: 'pki' } }), 'paths.pkiDir', /absolute path/],
  [
    'health interval above deadline',
    spec({ health: { timeoutSeconds: 10, intervalSeconds: 30 } }),
    'health.intervalSeconds',
    /less than health.timeoutSeconds/,
  ],
  ['unknown backend type', spec({ backend: { type: 'consul' } }), 'backend.type', /not one of "local", "cloud", "remote", "s3"/],
  ['cloud backend without workspace', spec({ backend: { type: 'cloud', organization: 'acme' } }), 'backend.workspace', /is required/],
  ['absolute local state path', spec({ backend: { type: 'local', path: '/var/state.tfstate' } }), 'backend.path', /relative file path/],
];

describe('spec validation', () => {
  test.each(BAD)('%s is rejected, naming the value and the rule', (_case, input, path, rule) => {
    const issues = issuesOf(input);
    const hit = issues.find((i) => i.startsWith(`${path}: `));
    expect({ issues, hit: hit !== undefined }).toMatchObject({ hit: true });
    expect(hit).toMatch(rule);
  });

  test('the message lists every problem at once', () => {
    const issues = issuesOf(
      spec({
        members: [
          { name: 'A', address: 'x' },
          { name: 'b', address: '10.0.0.2', port: 1 },
        ],
      }),
    );
    expect(issues).toEqual([
      'members[0].name: "A" must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'members[0].address: "x" must be an IPv4 or IPv6 address (no zone index)',
      'members[1].port: unknown key; allowed keys here: name, address, sshHost, hostKey, extraSans, remove',
    ]);
  });

  test('an even member count is allowed with a warning', () => {
    const r = validateClusterSpec(spec({ members: three.slice(0, 2) }));
    expect(r.warnings.filter((w) => !w.startsWith('host key'))).toEqual([
      expect.stringMatching(/2 members: an even member count tolerates no more failures than 1 members/),
    ]);
  });

  test('the default spec resolves with kubeadm defaults and the pinned release', () => {
    const r = validateClusterSpec(DEFAULT_CLUSTER_SPEC);
    expect(r.etcd).toMatchObject({
      version: '3.6.14',
      arch: 'amd64',
      sha256: 'ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5',
      downloadUrl: 'https://github.com/etcd-io/etcd/releases/download/v3.6.14/etcd-v3.6.14-linux-amd64.tar.gz',
    });
    expect(r.paths.pkiDir).toBe('/etc/kubernetes/pki');
    expect(r.warnings).toEqual([expect.stringMatching(/^host key not pinned for e1, e2, e3 /)]);
  });

  test('a mirror URL gets {version} and {arch} substituted', () => {
    const r = validateClusterSpec(
      spec({
        etcd: {
          version: '3.6.9',
          arch: 'arm64',
          downloadUrl: 'http://mirror.internal/etcd/v{version}/etcd-v{version}-linux-{arch}.tar.gz',
          sha256: 'c'.repeat(64),
        },
      }),
    );
    expect(r.etcd.downloadUrl).toBe('http://mirror.internal/etcd/v3.6.9/etcd-v3.6.9-linux-arm64.tar.gz');
  });
});

describe('membership changes in the spec', () => {
  const five = [1, 2, 3, 4, 5].map((i) => ({ name: `e${i}`, address: `10.1.1.${90 + i}` }));
  test('removing 2 of 5 in one apply is allowed (3 remain, a majority of 5)', () => {
    const r = validateClusterSpec({ members: five.map((m, i) => (i >= 3 ? { ...m, remove: true } : m)) });
    expect(r.members.filter((m) => m.remove).map((m) => m.name)).toEqual(['e4', 'e5']);
  });
  test('removing 3 of 5 in one apply is refused', () => {
    expect(issuesOf({ members: five.map((m, i) => (i >= 2 ? { ...m, remove: true } : m)) })).toEqual([
      'members: removing 3 of 5 members in one apply would leave 2, below a majority (3) of the current members: remove fewer per apply',
    ]);
  });
  test('any member may be the one removed, the first too (the health check runs on the first member that stays)', () => {
    expect(issuesOf({ members: five.map((m, i) => (i === 0 ? { ...m, remove: true } : m)) })).toEqual([]);
  });
  test('the even-count warning counts the members that remain', () => {
    expect(validateClusterSpec({ members: five.map((m, i) => (i === 4 ? { ...m, remove: true } : m)) }).warnings).toEqual([
      expect.stringMatching(/^4 members: an even member count/),
      expect.stringMatching(/^host key not pinned for e1, e2, e3, e4 /),
    ]);
  });
});

describe('host keys', () => {
  const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ';
  const members = [1, 2, 3].map((i) => ({ name: `e${i}`, address: `10.1.1.${90 + i}`, hostKey: KEY }));
  test('all pinned: no warning', () => {
    expect(validateClusterSpec({ members }).warnings).toEqual([]);
  });
  test('a member without hostKey is named, with what it risks and where to get the key; a removed one is not', () => {
    const w = validateClusterSpec({
      members: [members[0], { name: 'e2', address: '10.1.1.92' }, members[2], { name: 'e4', address: '10.1.1.94', remove: true }],
    }).warnings;
    expect(w).toEqual([
      'host key not pinned for e2 (members[].hostKey): Terraform will accept any host that answers at that SSH address and send it the member\'s private keys; collect the keys with ssh-keyscan (README, "Host keys")',
    ]);
  });
  test('a bastion without hostKey is named', () => {
    const w = validateClusterSpec({ members, ssh: { bastion: { host: 'jump.example.com' } } }).warnings;
    expect(w).toEqual([expect.stringMatching(/^host key not pinned for the bastion jump\.example\.com \(ssh\.bastion\.hostKey\)/)]);
    expect(validateClusterSpec({ members, ssh: { bastion: { host: 'jump.example.com', hostKey: KEY } } }).warnings).toEqual([]);
  });
});

describe('server settings', () => {
  const members = [{ name: 'e1', address: '10.1.1.93' }];
  const issues = (server: object, etcd?: object) => issuesOf({ members, server, ...(etcd ? { etcd } : {}) });
  test("defaults are etcd's", () => {
    expect(validateClusterSpec({ members }).server).toEqual({
      tlsMinVersion: 'TLS1.2',
      cipherSuites: [],
      heartbeatIntervalMs: 100,
      electionTimeoutMs: 1000,
      quotaBackendBytes: 2147483648,
      autoCompactionMode: 'periodic',
      autoCompactionRetention: '0',
      initialCorruptCheck: false,
      corruptCheckTime: '0s',
      logLevel: 'info',
      peerPlane: 'peers-only',
      sandbox: true,
      extraArgs: [],
    });
  });
  test('the election timeout is at least 5 heartbeats (etcd refuses to start otherwise)', () => {
    expect(issues({ heartbeatIntervalMs: 250, electionTimeoutMs: 1000 })).toEqual([
      'server.electionTimeoutMs: 1000 must be at least 5 × server.heartbeatIntervalMs (1250): etcd refuses to start otherwise',
    ]);
    expect(issues({ heartbeatIntervalMs: 250, electionTimeoutMs: 1250 })).toEqual([]);
  });
  test('TLS 1.3 takes no cipher suites; unknown or weak suites are refused', () => {
    expect(issues({ tlsMinVersion: 'TLS1.3', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] })).toEqual([
      'server.cipherSuites: must be empty with server.tlsMinVersion TLS1.3: TLS 1.3 suites are not configurable, and etcd refuses both',
    ]);
    expect(issues({ cipherSuites: ['TLS_RSA_WITH_AES_128_CBC_SHA'] })[0]).toMatch(
      /^server\.cipherSuites\[0\]: "TLS_RSA_WITH_AES_128_CBC_SHA" is not one of "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"/,
    );
    expect(issues({ tlsMinVersion: 'TLS1.1' })[0]).toMatch(/^server\.tlsMinVersion: "TLS1\.1" is not one of "TLS1\.2", "TLS1\.3"/);
  });
  test('TLS settings need etcd 3.5 or later', () => {
    expect(issues({ tlsMinVersion: 'TLS1.3' }, { version: '3.4.23', sha256: 'a'.repeat(64) })).toEqual([
      'server.tlsMinVersion: needs etcd 3.5 or later (etcd.version is 3.4.23)',
    ]);
  });
  test('revision-mode compaction takes a revision count', () => {
    expect(issues({ autoCompactionMode: 'revision', autoCompactionRetention: '1h' })).toEqual([
      'server.autoCompactionRetention: "1h" must be a revision count in revision mode',
    ]);
    expect(issues({ autoCompactionMode: 'revision', autoCompactionRetention: '10000' })).toEqual([]);
  });
  test('extraArgs: flag syntax, no managed flag, no flag twice', () => {
    expect(issues({ extraArgs: ['--max-txn-ops=256', '--experimental-peer-skip-client-san-verification'] })).toEqual([]);
    expect(issues({ extraArgs: ['--data-dir=/tmp/x', '--initial-cluster-state=new', 'max-txn-ops=1', '--max-txn-ops=1', '--max-txn-ops=2'] })).toEqual([
      expect.stringMatching(/^server\.extraArgs\[2\]: "max-txn-ops=1" must be an etcd flag/),
      'server.extraArgs[0]: "--data-dir=/tmp/x": --data-dir is set by this tool; use the spec field for it, or leave it',
      'server.extraArgs[1]: "--initial-cluster-state=new": --initial-cluster-state is set by this tool; use the spec field for it, or leave it',
      'server.extraArgs[4]: "--max-txn-ops=2": --max-txn-ops is already given in server.extraArgs[3]',
    ]);
  });
});

describe('hardening settings', () => {
  const members = [
    { name: 'e1', address: '10.1.1.93', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' },
    { name: 'e2', address: '10.1.1.92', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' },
    { name: 'e3', address: 'fd00::3', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ' },
  ];
  const withEtcd = (etcd: object, server: object = {}) => ({ members, etcd, server });
  const urls = (...metricsUrls: string[]) => withEtcd({ metricsUrls });

  test('metricsUrls defaults to the loopback URL on etcd.metricsPort (one source for the port)', () => {
    expect(validateClusterSpec({ members }).etcd.metricsUrls).toEqual(['http://127.0.0.1:2381']);
    expect(validateClusterSpec(withEtcd({ metricsPort: 9379 })).etcd.metricsUrls).toEqual(['http://127.0.0.1:9379']);
    expect(issuesOf(withEtcd({ metricsPort: 9379, metricsUrls: ['http://127.0.0.1:9379'] }))).toEqual([
      'etcd.metricsPort: only sets the port of the default metrics URL: with etcd.metricsUrls given, give the ports in the URLs and leave etcd.metricsPort out',
    ]);
  });

  test('metricsUrls: http or https, an IP literal (IPv6 bracketed), 0.0.0.0/[::] or {address}, a port, nothing else', () => {
    expect(issuesOf(urls('http://127.0.0.1:2381', 'https://{address}:2382', 'http://[::1]:2383', 'http://0.0.0.0:9100', 'https://[2001:db8::1]:9101'))).toEqual(
      [],
    );
    for (const bad of [
      'http://127.0.0.1',
      'ftp://127.0.0.1:2381',
      'http://localhost:2381',
      'http://::1:2381',
      'http://[fe80::1%eth0]:2381',
      'http://127.0.0.1:2381/metrics',
      'http://127.0.0.1:0',
      'http://127.0.0.1:65536',
      'http://256.0.0.1:2381',
      'http://{name}:2381',
      'HTTP://127.0.0.1:2381',
    ]) {
      expect(issuesOf(urls(bad))).toEqual([expect.stringMatching(/^etcd\.metricsUrls\[0\]: ".*" must be a listen URL "http\(s\):\/\/HOST:PORT"/)]);
    }
    expect(issuesOf(urls())).toEqual(['etcd.metricsUrls: must have at least 1 entry, got 0']);
  });

  test('metricsUrls: no socket twice on a member, none on the client or peer port, no one member address for all', () => {
    expect(issuesOf(urls('http://127.0.0.1:2381', 'https://127.0.0.1:2381'))).toEqual([
      'etcd.metricsUrls[1]: "https://127.0.0.1:2381" binds the same socket on e1 as etcd.metricsUrls[0] ("http://127.0.0.1:2381"): each URL needs its own address and port',
    ]);
    expect(issuesOf(urls('http://0.0.0.0:2381', 'http://127.0.0.1:2381'))).toEqual([
      expect.stringMatching(/^etcd\.metricsUrls\[1\]: .* binds the same socket/),
    ]);
    expect(issuesOf(urls('http://[::]:2381', 'http://127.0.0.1:2381'))).toEqual([expect.stringMatching(/^etcd\.metricsUrls\[1\]: .* binds the same socket/)]);
    expect(issuesOf(urls('http://0.0.0.0:2381', 'http://[::1]:2381'))).toEqual([]); // 0.0.0.0 is IPv4 only
    // e3's address written out (non-canonically): one finding per URL, the member-address one.
    expect(issuesOf(urls('http://{address}:2381', 'http://[fd00:0::3]:2381'))).toEqual([
      expect.stringMatching(/^etcd\.metricsUrls\[1\]: .* is e3's address, and every member listens on these URLs: the others cannot bind it; use \{address\}/),
    ]);
    expect(issuesOf({ members: [members[2]], etcd: { metricsUrls: ['http://{address}:2381', 'http://[fd00:0::3]:2381'] } })).toEqual([
      expect.stringMatching(/^etcd\.metricsUrls\[1\]: "http:\/\/\[fd00:0::3\]:2381" binds the same socket on e3 as etcd\.metricsUrls\[0\]/),
    ]);
    expect(issuesOf(urls('http://127.0.0.1:2379'))).toEqual([
      'etcd.metricsUrls[0]: port 2379 is already etcd.clientPort: the metrics listener needs a port of its own',
    ]);
    expect(issuesOf(withEtcd({ metricsPort: 2380 }))).toEqual([
      'etcd.metricsPort: port 2380 is already etcd.peerPort: the metrics listener needs a port of its own',
    ]);
    expect(issuesOf(urls('http://10.1.1.92:2381'))).toEqual([
      'etcd.metricsUrls[0]: "http://10.1.1.92:2381" is e2\'s address, and every member listens on these URLs: the others cannot bind it; use {address} for each member\'s own address',
    ]);
    expect(issuesOf({ members: [members[0]], etcd: { metricsUrls: ['http://10.1.1.93:2381'] } })).toEqual([]); // one member: its own address is fine
  });

  test('a plain-HTTP metrics URL beyond loopback is a synth warning naming it; loopback and https are not', () => {
    expect(validateClusterSpec(urls('http://127.0.0.1:2381', 'http://[::1]:2382', 'https://{address}:2383', 'https://0.0.0.0:2384')).warnings).toEqual([]);
    expect(validateClusterSpec(urls('http://127.0.0.1:2381', 'http://{address}:2382', 'http://[::]:2383')).warnings).toEqual([
      'metrics served over plain HTTP beyond loopback (http://{address}:2382, http://[::]:2383; etcd.metricsUrls): anyone who can reach them reads /metrics and /health without a certificate; firewall the port to your scrapers, or use https (a client certificate from the etcd CA is then required)',
    ]);
  });

  test('peerPlane: peers-only or any-ca-cert; --peer-cert-allowed-cn only beside any-ca-cert (etcd refuses both names)', () => {
    expect(issuesOf(withEtcd({}, { peerPlane: 'open' }))).toEqual([
      expect.stringMatching(/^server\.peerPlane: "open" is not one of "peers-only", "any-ca-cert"/),
    ]);
    expect(issuesOf(withEtcd({}, { extraArgs: ['--peer-cert-allowed-cn=e1'] }))).toEqual([
      'server.extraArgs[0]: "--peer-cert-allowed-cn=e1": etcd refuses --peer-cert-allowed-cn beside --peer-cert-allowed-hostname, which server.peerPlane peers-only sets; use one of them',
    ]);
    expect(issuesOf(withEtcd({}, { peerPlane: 'any-ca-cert', extraArgs: ['--peer-cert-allowed-cn=e1'] }))).toEqual([]);
    expect(issuesOf(withEtcd({}, { extraArgs: ['--peer-cert-allowed-hostname=x'] }))).toEqual([
      'server.extraArgs[0]: "--peer-cert-allowed-hostname=x": --peer-cert-allowed-hostname is set by this tool; use the spec field for it, or leave it',
    ]);
  });

  test('sandbox: etcd directories it would hide are refused (unless the sandbox is off); --wal-dir must be a plain path', () => {
    expect(issuesOf(withEtcd({ dataDir: '/root/etcd', binDir: '/home/ops/bin' }))).toEqual([
      'etcd.dataDir: "/root/etcd" is under /root, which server.sandbox hides from etcd (ProtectHome, PrivateTmp): choose another directory, or set server.sandbox to false',
      'etcd.binDir: "/home/ops/bin" is under /home, which server.sandbox hides from etcd (ProtectHome, PrivateTmp): choose another directory, or set server.sandbox to false',
    ]);
    expect(issuesOf({ members, paths: { pkiDir: '/tmp/pki' } })).toEqual([expect.stringMatching(/^paths\.pkiDir: "\/tmp\/pki" is under \/tmp/)]);
    expect(issuesOf(withEtcd({ dataDir: '/root/etcd' }, { sandbox: false }))).toEqual([]);
    expect(issuesOf(withEtcd({}, { extraArgs: ['--wal-dir=/var/tmp/wal'] }))).toEqual([
      expect.stringMatching(/^server\.extraArgs\[0\]: "\/var\/tmp\/wal" is under \/var\/tmp/),
    ]);
    expect(issuesOf(withEtcd({}, { extraArgs: ['--wal-dir=wal'] }))).toEqual([
      expect.stringMatching(/^server\.extraArgs\[0\]: "--wal-dir=wal": the wal dir must be an absolute path/),
    ]);
    expect(issuesOf(withEtcd({}, { extraArgs: ['--wal-dir=/srv/etcd-wal'] }))).toEqual([]);
    expect(issuesOf(withEtcd({}, { sandbox: 'no' }))).toEqual(['server.sandbox: must be true or false, got a string "no"']);
  });
});
