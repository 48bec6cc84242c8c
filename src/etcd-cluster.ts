import { Construct } from 'constructs';
import { Annotations, TerraformVariable } from 'cdktf';
import type { ResolvedCluster } from './config/resolved';
import type { EtcdClusterProps } from './config/types';
import { validateClusterSpec } from './config/validate';
import { MemberBundle } from './files/member-bundle';
import { EtcdHealthCheck } from './health/health-check';
import { clientEndpoints, kubeadmClusterConfiguration } from './outputs/kubeadm-config';
import { EtcdPki } from './pki/etcd-pki';
import { setResourcePrefix } from './private/names';
import type { TerraformData } from './private/terraform-data';
import { ensureProviders } from './providers';
import { EtcdMemberProvisioner } from './provisioning/member-provisioner';
import { MemberDecommission } from './provisioning/member-decommission';
import { MemberRemoval } from './provisioning/member-removal';
import { keyExpression } from './provisioning/ssh-connection';

/** The per-member parts of a cluster, for composition. */
export interface EtcdMemberParts {
  readonly bundle: MemberBundle;
  /** Absent for a member marked `remove: true`. */
  readonly provisioner?: EtcdMemberProvisioner;
  /** Present only for a member marked `remove: true`. */
  readonly removal?: MemberRemoval;
  readonly decommission: MemberDecommission;
}

/**
 * A TLS-secured external etcd cluster for kubeadm on existing Linux hosts: the etcd CA and
 * kubeadm's certificates, one PKI tree per host, SSH provisioning of etcd as a systemd service,
 * and a final health gate. Props are validated at synth: a bad value throws a
 * `SpecValidationError` naming it and the rule, before any resource exists. Resource names start
 * with the construct id (`etcd_member_e1` for id `etcd`).
 */
export class EtcdCluster extends Construct {
  /** The validated props with every default applied. */
  readonly cluster: ResolvedCluster;
  readonly pki: EtcdPki;
  readonly members: Readonly<Record<string, EtcdMemberParts>>;
  readonly healthCheck: EtcdHealthCheck;
  /** Declared when no `ssh.privateKeyFile` is given: set it, or leave it null to use the SSH agent. */
  readonly sshPrivateKeyVariable?: TerraformVariable;
  /** `https://ADDRESS:2379` of every member. */
  readonly clientEndpoints: string[];
  /** A kubeadm ClusterConfiguration with `etcd.external` for this cluster. */
  readonly kubeadmClusterConfiguration: string;

  constructor(scope: Construct, id: string, props: EtcdClusterProps) {
    super(scope, id);
    this.cluster = validateClusterSpec(props);
    setResourcePrefix(this, id);
    for (const warning of this.cluster.warnings) Annotations.of(this).addWarning(warning);
    ensureProviders(this);

    if (!this.cluster.ssh.privateKeyFile) {
      const variable = new TerraformVariable(this, 'ssh_private_key', {
        type: 'string',
        sensitive: true,
        nullable: true,
        description: 'SSH private key (PEM/OpenSSH) for the etcd hosts. Leave null to use the SSH agent.',
      });
      // An explicit null default keeps the variable optional (cdktf cannot express it directly).
      variable.addOverride('default', null);
      variable.overrideLogicalId('ssh_private_key');
      this.sshPrivateKeyVariable = variable;
    }
    const privateKey = keyExpression(this.cluster, this.sshPrivateKeyVariable?.stringValue);

    this.pki = new EtcdPki(this, 'pki', { cluster: this.cluster });
    const members: Record<string, EtcdMemberParts> = {};
    const gates: TerraformData[] = [];
    for (const member of this.cluster.members) {
      const scopeOf = new Construct(this, `member-${member.name}`);
      const bundle = new MemberBundle(scopeOf, 'bundle', { cluster: this.cluster, member, pki: this.pki });
      if (member.remove) {
        // Keeps bundle and decommission: destroying them now would stop etcd before the removal.
        const removal = new MemberRemoval(scopeOf, 'removal', { cluster: this.cluster, member, privateKey });
        const decommission = new MemberDecommission(scopeOf, 'decommission', { cluster: this.cluster, member, after: removal.resource });
        members[member.name] = { bundle, removal, decommission };
        gates.push(removal.resource);
      } else {
        const provisioner = new EtcdMemberProvisioner(scopeOf, 'provisioner', { cluster: this.cluster, member, pki: this.pki, bundle, privateKey });
        const decommission = new MemberDecommission(scopeOf, 'decommission', { cluster: this.cluster, member, after: provisioner.resource });
        members[member.name] = { bundle, provisioner, decommission };
        gates.push(provisioner.resource);
      }
    }
    this.members = members;
    this.healthCheck = new EtcdHealthCheck(this, 'health', { cluster: this.cluster, after: gates, privateKey });
    this.clientEndpoints = clientEndpoints(this.cluster);
    this.kubeadmClusterConfiguration = kubeadmClusterConfiguration(this.cluster);
  }

  /** PEM of the etcd CA certificate (a Terraform reference). */
  get caCertPem(): string {
    return this.pki.caCert.certPem;
  }
  /** PEM of the apiserver-etcd-client certificate. */
  get apiserverEtcdClientCertPem(): string {
    return this.pki.apiserverEtcdClient.cert.certPem;
  }
  /** PEM of the apiserver-etcd-client private key (sensitive). */
  get apiserverEtcdClientKeyPem(): string {
    return this.pki.apiserverEtcdClient.key.privateKeyPem;
  }
}
