import { ClusterSpec } from '../src/spec/types';
import { synthSpec, withSpec } from './helpers/synth';
import { shellcheck, shellcheckAvailable } from './helpers/shellcheck';

/** Undo Terraform's template escaping to get the text the host receives. */
const asReceived = (text: string) => text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

const SPECS: Array<[string, ClusterSpec]> = [
  ['the default cluster', withSpec({})],
  ['IPv6 members, custom paths and ports, CA key on all hosts', withSpec({
    members: [{ name: 'a', address: 'fd00::a' }, { name: 'b', address: 'fd00::b' }, { name: 'c', address: 'fd00::c' }],
    etcd: { clientPort: 12379, peerPort: 12380, metricsPort: 12381, dataDir: '/data/etcd', binDir: '/opt/etcd/bin', unitName: 'etcd-main' },
    paths: { pkiDir: '/srv/pki', stateDir: '/srv/etcd-deploy' },
    pki: { caKeyOnHosts: 'all' },
  })],
  ['a mirror URL with a query string', withSpec({ etcd: { version: '3.6.9', downloadUrl: 'https://mirror.example.com/e.tgz?sig=a&v={version}', sha256: 'd'.repeat(64) } })],
];

const runCheck = shellcheckAvailable();
(runCheck ? describe : describe.skip)('every generated shell script passes shellcheck', () => {
  test.each(SPECS)('%s', (_name, spec) => {
    const tf = synthSpec(spec);
    const scripts: Array<[string, string]> = [];
    for (const [id, f] of Object.entries(tf.resource.local_file)) {
      if (f.filename.endsWith('/provision.sh')) scripts.push([id, asReceived(f.content)]);
    }
    for (const [id, r] of Object.entries(tf.resource.terraform_data)) {
      for (const p of r.provisioner ?? []) {
        if (p.file?.content) scripts.push([`${id} file`, asReceived(p.file.content)]);
        if (p['remote-exec']?.inline) scripts.push([`${id} inline`, `#!/bin/sh\n${asReceived(p['remote-exec'].inline.join('\n'))}\n`]);
      }
    }
    expect(scripts.length).toBeGreaterThanOrEqual(3 * 3 + 2);
    const findings = scripts.map(([id, text]) => [id, shellcheck(text, text.startsWith('#!/bin/bash') ? 'bash' : 'sh')]).filter(([, out]) => out !== '');
    expect(findings).toEqual([]);
  });
});
