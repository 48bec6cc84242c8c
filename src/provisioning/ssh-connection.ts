import { Fn, SSHProvisionerConnection } from 'cdktf';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';
import { REMOTE_WORK } from '../host/layout';
import { shellCommand } from '../private/shell-quote';
import { terraformLiteral } from '../private/terraform-literal';

/**
 * How Terraform reaches a member. `privateKey` is a Terraform expression (a key file read on the
 * applying machine, or the `ssh_private_key` variable); undefined means the SSH agent.
 */
export function sshConnection(cluster: ResolvedCluster, member: ResolvedMember, host: string, privateKey: string | undefined): SSHProvisionerConnection {
  const { ssh } = cluster;
  const bastion = ssh.bastion;
  return {
    type: 'ssh',
    host,
    user: ssh.user,
    port: ssh.port,
    timeout: ssh.timeout,
    privateKey,
    hostKey: member.hostKey,
    scriptPath: REMOTE_WORK.script,
    ...(bastion && {
      bastionHost: bastion.host,
      bastionUser: bastion.user,
      bastionPort: bastion.port,
      bastionHostKey: bastion.hostKey,
      bastionPrivateKey: bastion.privateKeyFile ? Fn.file(Fn.pathexpand(bastion.privateKeyFile)) : privateKey,
    }),
  };
}

/** The key for connections that may reference variables (create-time provisioners). */
export function keyExpression(cluster: ResolvedCluster, variableRef: string | undefined): string | undefined {
  return cluster.ssh.privateKeyFile ? Fn.file(Fn.pathexpand(cluster.ssh.privateKeyFile)) : variableRef;
}

/** A connection as a raw `connection` block (for provisioners written as overrides). */
export function connectionBlock(conn: SSHProvisionerConnection): Record<string, unknown> {
  const block: Record<string, unknown> = {
    type: 'ssh',
    host: conn.host,
    user: conn.user,
    port: conn.port,
    timeout: conn.timeout,
    private_key: conn.privateKey,
    host_key: conn.hostKey,
    script_path: conn.scriptPath,
    bastion_host: conn.bastionHost,
    bastion_user: conn.bastionUser,
    bastion_port: conn.bastionPort,
    bastion_host_key: conn.bastionHostKey,
    bastion_private_key: conn.bastionPrivateKey,
  };
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined));
}

/**
 * A host script run as root, as one inline command: directly when Terraform logs in as root,
 * otherwise through `sudo -n` (passwordless sudo, as cloud images give their default user; `-n`
 * fails at once instead of waiting for a password nobody types). Escaped as a Terraform template.
 */
export function asRoot(cluster: ResolvedCluster, argv: readonly string[]): string {
  const become = cluster.ssh.user === 'root' ? [] : ['sudo', '-n'];
  return terraformLiteral(shellCommand([...become, 'bash', ...argv]));
}
