/**
 * How host steps run for each login user: as root directly, as any other user through `sudo -n`;
 * every script Terraform uploads lands in the user's private work dir (or, for the one command
 * that makes it, the home directory), never in Terraform's default /tmp.
 */
import { REMOTE_WORK } from '../../src/host/layout';
import { synthSpec, withSpec } from '../helpers/synth';

type Connection = { script_path?: string; user?: string };
type Provisioner = Record<string, { inline?: string[]; connection?: Connection; when?: string; environment?: Record<string, string> }>;
type DataResource = { connection?: Connection; provisioner?: Provisioner[]; for_each?: Record<string, { connection: { command: string; user: string } }> };

function resources(user: string, remove = false): Record<string, DataResource> {
  const spec = withSpec({ ssh: { user } });
  const members = remove ? spec.members.map((m) => (m.name === 'e3' ? { ...m, remove: true } : m)) : spec.members;
  return synthSpec({ ...spec, members }).resource.terraform_data as Record<string, DataResource>;
}

/** [resource, command] of every remote command, the destroy-time ones read from their instances' input. */
function remoteCommands(data: Record<string, DataResource>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, r] of Object.entries(data)) {
    for (const p of r.provisioner ?? []) {
      for (const c of p['remote-exec']?.inline ?? []) out.push([name, c]);
      // The destroy-time step: ssh-step.sh runs each instance's command on its host.
      if (p['local-exec']?.environment?.ETCD_SSH_COMMAND === '${self.input.command}') {
        for (const [key, i] of Object.entries(r.for_each ?? {})) if (i.connection.command) out.push([`${name}["${key}"]`, i.connection.command]);
      }
    }
  }
  return out;
}

/** script_path of every connection a remote-exec uses (its own, else its resource's). */
function scriptPaths(data: Record<string, DataResource>): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (const [name, r] of Object.entries(data)) {
    for (const p of r.provisioner ?? []) {
      if (p['remote-exec']) out.push([name, (p['remote-exec'].connection ?? r.connection)?.script_path]);
    }
  }
  return out;
}

/**
 * What runs as the SSH user in its own work dir: the work and staging dirs, and the files written
 * there (the health gate's parameters; after `set -e && umask 077`, a member's host scripts, from
 * the stack's local, and its generated files).
 */
const asUser = (c: string): boolean =>
  c.startsWith('install -d') ||
  c.startsWith('umask 077 && cat >') ||
  c === 'set -e && umask 077' ||
  c === '${local.etcd_host_scripts}' ||
  c.startsWith('cat >.etcd-kubeadm-cdktf/staging/');

describe('login users', () => {
  test.each([false, true])('as root, host scripts run directly (removal in the spec: %s)', (remove) => {
    const commands = remoteCommands(resources('root', remove)).filter(([, c]) => /\.sh\b/.test(c) && !asUser(c));
    expect(commands.length).toBeGreaterThan(6);
    for (const [name, c] of commands)
      expect({ name, c, direct: /^bash \//.test(c) || /^bash \.etcd-kubeadm-cdktf\//.test(c) }).toEqual({ name, c, direct: true });
  });

  test.each([false, true])('as a sudo user, every host script runs through sudo -n, destroy-time steps included (removal in the spec: %s)', (remove) => {
    const data = resources('ubuntu', remove);
    const commands = remoteCommands(data).filter(([, c]) => c !== 'true' && !asUser(c));
    expect(commands.map(([name]) => name)).toEqual(
      expect.arrayContaining(['etcd_health_check', 'etcd_member_e1', 'etcd_member_e1_join', 'etcd_membership["e1"]']),
    );
    for (const [name, c] of commands) expect({ name, c, sudo: c.startsWith('sudo -n bash ') }).toEqual({ name, c, sudo: true });
    if (remove) expect(commands.filter(([name]) => name === 'etcd_member_e3_removal')).toHaveLength(2);
    // The work dir and staging are made as the user (it owns them), not through sudo.
    // (A member marked remove has no provisioner any more.)
    expect(remoteCommands(data).filter(([, c]) => c.startsWith('install -d -m 0700 .etcd-kubeadm-cdktf &&'))).toHaveLength(remove ? 2 : 3);
  });

  test.each(['root', 'ubuntu'])('as %s, no script goes to /tmp: the work dir, or the home dir for the command that makes it', (user) => {
    const data = resources(user, true);
    const paths = scriptPaths(data);
    expect(paths.length).toBeGreaterThanOrEqual(9);
    for (const [name, p] of paths) expect({ name, p, private: p === REMOTE_WORK.script || p === REMOTE_WORK.firstScript }).toEqual({ name, p, private: true });
    // Only the first step of a member's provisioning runs from the home directory (e3 is removed).
    expect(paths.filter(([, p]) => p === REMOTE_WORK.firstScript).map(([n]) => n)).toEqual(['etcd_member_e1', 'etcd_member_e2']);
    expect(JSON.stringify(data)).not.toContain('/tmp');
  });

  test('the bundle is uploaded into the staging dir of the work dir; the health params are written into the work dir', () => {
    const data = resources('ubuntu');
    const files = Object.values(data).flatMap((r) =>
      (r.provisioner ?? []).map((p) => (p as Record<string, { destination?: string }>).file?.destination).filter(Boolean),
    );
    // per member: the bundle (the host scripts are written by its last script)
    expect(files.sort()).toEqual(Array(3).fill(REMOTE_WORK.staging));
    // The health gate's parameters are written by its own inline script, into the work dir.
    expect(JSON.stringify(data.etcd_health_check.provisioner)).toContain(`cat >${REMOTE_WORK.healthParams} <<`);
  });

  test('changing the login user re-provisions members but never replaces a membership instance or the bootstrap', () => {
    const a = resources('root');
    const b = resources('ubuntu');
    const identities = (d: Record<string, DataResource>) =>
      Object.values((d.etcd_membership as unknown as { for_each: Record<string, { identity: unknown }> }).for_each).map((i) => i.identity);
    expect(identities(b)).toEqual(identities(a));
    expect(JSON.stringify((b.etcd_bootstrap as unknown as { input: unknown }).input)).toEqual(
      JSON.stringify((a.etcd_bootstrap as unknown as { input: unknown }).input),
    );
  });
});
