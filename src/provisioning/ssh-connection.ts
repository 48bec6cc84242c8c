import { Fn, SSHProvisionerConnection } from 'cdktf';
import type { ResolvedCluster, ResolvedMember } from '../config/resolved';

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
