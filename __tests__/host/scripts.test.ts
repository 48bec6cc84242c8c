/**
 * The host side as shell: the scripts are real files, shellcheck-clean as files (following their
 * `source` of lib.sh); the generated parameter files and every inline command Terraform runs are
 * clean too, for specs that stress quoting (IPv6, custom paths, a mirror URL with a query string).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ClusterSpec } from '../../src/config/types';
import { readFileSync } from 'node:fs';
import { REMOTE_WORK } from '../../src/host/layout';
import { HOST_SCRIPTS, HOST_SCRIPTS_DIR, MEMBER_SCRIPTS } from '../../src/host/scripts';
import { sha256Hex } from '../../src/private/sha256';
import { shellcheck, shellcheckAvailable } from '../helpers/shellcheck';
import { bundleTexts, synthSpec, withSpec } from '../helpers/synth';

/** The cluster identity's id as Terraform fills it in (a UUID). */
const SAMPLE_CLUSTER_ID = 'f3a0c9e2-6b1d-4c55-9e0a-1d2b3c4d5e6f';

/**
 * What the host receives: the identity's expression resolved as Terraform does, then Terraform's
 * template escaping undone.
 */
const asReceived = (text: string): string =>
  text
    .replace(/(?<!\$)\$\{terraform_data\.[a-z0-9_]+_cluster\.id\}/g, SAMPLE_CLUSTER_ID)
    // a join step's operation, as Terraform picks it (found or ensure-member: plain words)
    .replace(/(?<!\$)\$\{try\(terraform_data\.[a-z0-9_]+_bootstrap\.output\.plan, ""\) == plantimestamp\(\) \? "found" : "ensure-member"\}/g, 'found')
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');

/**
 * Every command a provisioner runs; a membership instance's destroy-time command (run on its host
 * by ssh-step.sh) comes from its own input.
 */
function inlineCommands(
  resource: {
    provisioner?: Array<Record<string, { inline?: string[]; command?: string; environment?: Record<string, string> }>>;
    for_each?: Record<string, { connection?: { command?: string } }>;
  },
  locals: Record<string, string>,
): string[] {
  const out: string[] = [];
  for (const p of resource.provisioner ?? []) {
    // A command held in a local (the members' host scripts) runs as the local's text.
    out.push(...(p['remote-exec']?.inline ?? []).map((c) => locals[/^\$\{local\.([a-z0-9_]+)\}$/.exec(c)?.[1] ?? ''] ?? c));
    const local = p['local-exec'];
    if (local?.command) out.push(local.command);
    if (local?.environment?.ETCD_SSH_COMMAND === '${self.input.command}') {
      for (const i of Object.values(resource.for_each ?? {})) if (i.connection?.command) out.push(i.connection.command);
    }
  }
  return out;
}

/**
 * The stack's locals (every synthesized stack holds the host scripts' one), a host script read
 * with `filebase64()` from the stack's asset standing as its base64.
 */
const localsOf = (tf: object): Record<string, string> =>
  Object.fromEntries(
    Object.entries((tf as { locals?: Record<string, string> }).locals ?? {}).map(([k, v]) => [
      k,
      v.replace(/\$\{filebase64\("assets\/[^"]+\/([a-z-]+\.sh)"\)\}/g, (_m, name: string) => readFileSync(join(HOST_SCRIPTS_DIR, name)).toString('base64')),
    ]),
  );

const SPECS: Array<[string, ClusterSpec]> = [
  ['the default cluster', withSpec({})],
  [
    'IPv6 members, custom paths and ports, CA key on all hosts',
    withSpec({
      members: [
        { name: 'a', address: 'fd00::a' },
        { name: 'b', address: 'fd00::b' },
        { name: 'c', address: 'fd00::c' },
      ],
      etcd: { clientPort: 12379, peerPort: 12380, metricsPort: 12381, dataDir: '/data/etcd', binDir: '/opt/etcd/bin', unitName: 'etcd-main' },
      paths: { pkiDir: '/srv/pki', stateDir: '/srv/etcd-deploy' },
      pki: { caKeyOnHosts: 'all' },
      snapshots: { enabled: true, onCalendar: '*-*-* 02:00:00' },
    }),
  ],
  [
    'a mirror URL with a query string',
    withSpec({ etcd: { version: '3.6.9', downloadUrl: 'https://mirror.example.com/e.tgz?sig=a&v={version}', sha256: 'd'.repeat(64) } }),
  ],
];

const runCheck = shellcheckAvailable();
(runCheck ? describe : describe.skip)('shellcheck', () => {
  test.each(HOST_SCRIPTS.map((s) => [s]))('%s is clean as a file', (script) => {
    let out = '';
    try {
      execFileSync('shellcheck', ['-x', '--severity', 'style', script], { cwd: HOST_SCRIPTS_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      out = String((e as { stdout?: Buffer }).stdout ?? e);
    }
    expect(out).toBe('');
  });

  test.each(SPECS)('%s: the generated parameter files and every inline command are clean', (_name, spec) => {
    const tf = synthSpec(spec);
    const texts: Array<[string, string, string]> = [];
    for (const member of Object.keys(tf.resource.terraform_data).flatMap((id) => /^etcd_member_([a-z0-9-]+)$/.exec(id)?.[1] ?? [])) {
      for (const [file, text] of Object.entries(bundleTexts(tf, member))) {
        if (/^(params|membership)\.env$/.test(file)) texts.push([`${member} ${file}`, asReceived(text), 'bash']);
      }
    }
    for (const [id, r] of Object.entries(tf.resource.terraform_data)) {
      const inline = inlineCommands(r, localsOf(tf));
      if (inline.length > 0) texts.push([`${id} inline`, `#!/bin/sh\n${asReceived(inline.join('\n'))}\n`, 'sh']);
    }
    // each member's params and membership files, its provisioner and join step; the membership records and the health check
    expect(texts.length).toBeGreaterThanOrEqual(3 * 2 + 3 * 2 + 2);
    const findings = texts.map(([id, text, shell]) => [id, shellcheck(text, shell)]).filter(([, out]) => out !== '');
    expect(findings).toEqual([]);
  });
});

test('no shell body lives in the stack: Terraform only runs the host scripts, as root (and makes the work and staging dirs for the first upload, writes the scripts from their files and the health gate its parameters)', () => {
  const inline: string[] = [];
  for (const [, spec] of SPECS) {
    const tf = synthSpec(spec);
    const locals = (tf as { locals?: Record<string, string> }).locals ?? {};
    for (const r of Object.values(tf.resource.terraform_data)) inline.push(...inlineCommands(r as Parameters<typeof inlineCommands>[0], locals));
  }
  // The first contact: the work dir and a clean staging dir, then Terraform's emptied scripts swept.
  const staging =
    /^install -d -m 0700 (\S+) && rm -rf -- \1\/staging && install -d -m 0700 \1\/staging && find \. \1 -maxdepth 1 -type f '\(' -name '\S+-\*\.sh' -o -name '\S+-\*\.sh' '\)' -empty -mmin \+1 -delete$/;
  // A script (through sudo for users other than root; ssh-step.sh where terraform runs) and plain
  // arguments (an operation, member name, URLs, the health params).
  const runScript = /^(sudo -n )?bash \S+\.sh( [A-Za-z0-9:/.[\]-]+)*$/;
  // A join step: Terraform's condition picks the operation, found in the apply that records the
  // cluster's bootstrap and ensure-member in any other.
  const joinStep =
    /^(sudo -n )?bash \S+\/etcd-ops\.sh \$\{try\(terraform_data\.etcd_bootstrap\.output\.plan, ""\) == plantimestamp\(\) \? "found" : "ensure-member"\}$/;
  // The health gate's parameters: comments and quoted assignments in a quoted heredoc (no expansion).
  const healthParams =
    /^umask 077 && cat >\S+\/health\.env <<'ETCD_HEALTH_PARAMS_END'\n(?:(?:#[^\n]*|[A-Z_]+=(?:'[^'\n]*'|[A-Za-z0-9_./:,+@%=-]+))\n)+ETCD_HEALTH_PARAMS_END$/;
  // A member's generated files, each in a quoted heredoc (no expansion) into its staging dir, after
  // `set -e && umask 077`; params.env and membership.env are shellchecked above.
  const bundleFile =
    /^cat >\S+\/staging\/(etcd\.service|etcd-snapshot\.(service|timer)|params\.env|membership\.env|manifest\.tsv) <<'ETCD_BUNDLE_FILE_END'\n[^]*\nETCD_BUNDLE_FILE_END$/;
  const strict = /^set -e && umask 077$/;
  // The scripts the members run, written into staging: exactly the files, each decoded from the
  // stack's asset read as base64, then checked on the host against their sha256 at synth.
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const staged = (name: string) => esc(`${REMOTE_WORK.staging}/${name}`);
  const scriptsWriter = new RegExp(
    '^' +
      MEMBER_SCRIPTS.map((name) => `printf '%s' '\\$\\{filebase64\\("assets/[A-Za-z0-9_/-]+/${esc(name)}"\\)\\}' \\| base64 -d >${staged(name)}\\n`).join('') +
      "sha256sum --check --quiet --strict <<'ETCD_HOST_SCRIPT_SUMS' \\|\\| \\{ echo '[^\\n]*' >&2; exit 1; \\}\\n" +
      MEMBER_SCRIPTS.map((name) => `${sha256Hex(readFileSync(join(HOST_SCRIPTS_DIR, name), 'utf8'))}  ${staged(name)}\\n`).join('') +
      'ETCD_HOST_SCRIPT_SUMS$',
  );
  expect(inline.length).toBeGreaterThan(20);
  expect(inline.filter((c) => ![scriptsWriter, staging, runScript, joinStep, healthParams, bundleFile, strict].some((r) => r.test(c)))).toEqual([]);
  expect(inline.filter((c) => scriptsWriter.test(c)).length).toBe(3 * SPECS.length);
  expect(inline.filter((c) => healthParams.test(c)).length).toBe(SPECS.length);
  expect(inline.filter((c) => joinStep.test(c)).length).toBe(3 * SPECS.length);
});

test('the scripts directory holds exactly the host scripts the package ships', () => {
  const onDisk = execFileSync('ls', [HOST_SCRIPTS_DIR], { encoding: 'utf8' }).trim().split('\n');
  expect(onDisk.filter((f) => f.endsWith('.sh')).sort()).toEqual([...HOST_SCRIPTS].sort());
  expect(join(HOST_SCRIPTS_DIR, '..')).toMatch(/src\/host$/);
});
