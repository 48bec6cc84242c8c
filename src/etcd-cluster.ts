import { Construct } from 'constructs';
import { Annotations, TerraformVariable } from 'cdktf';
import { TerraformData } from './private/terraform-data';
import { MemberBundle } from './files/member-bundle';
import { EtcdHealthCheck } from './health/health-check';
import { clientEndpoints, kubeadmClusterConfiguration } from './outputs/kubeadm-config';
import { EtcdPki } from './pki/etcd-pki';
import { ensureProviders } from './providers';
import { EtcdMemberProvisioner } from './provisioning/member-provisioner';
import { MemberDecommission } from './provisioning/member-decommission';
import { MemberRemoval } from './provisioning/member-removal';
import { keyExpression } from './provisioning/ssh-connection';
import { ResolvedCluster } from './spec/resolved';
import { EtcdClusterProps } from './spec/types';
import { validateClusterSpec } from './validation/validate';

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
 * `SpecValidationError` naming it and the rule, before any resource exists.
 */
export class EtcdCluster extends Construct {
  /** The validated props with defaults applied. */
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
    for (const warning of this.cluster.warnings) Annotations.of(this).addWarning(warning);
    ensureProviders(this);
    const prefix = id.replace(/[^A-Za-z0-9_]/g, '_');

    if (!this.cluster.ssh.privateKeyFile) {
      this.sshPrivateKeyVariable = new TerraformVariable(this, 'ssh_private_key', {
        type: 'string',
        sensitive: true,
        nullable: true,
        description: 'SSH private key (PEM/OpenSSH) for the etcd hosts. Leave null to use the SSH agent.',
      });
      // An explicit null default keeps the variable optional (cdktf cannot express it directly).
      this.sshPrivateKeyVariable.addOverride('default', null);
      this.sshPrivateKeyVariable.overrideLogicalId('ssh_private_key');
    }
    const privateKey = keyExpression(this.cluster, this.sshPrivateKeyVariable?.stringValue);

    this.pki = new EtcdPki(this, 'pki', this.cluster, prefix);
    const members: Record<string, EtcdMemberParts> = {};
    const gated: TerraformData[] = [];
    for (const member of this.cluster.members) {
      const scopeOf = new Construct(this, `member-${member.name}`);
      const bundle = new MemberBundle(scopeOf, 'bundle', this.cluster, member, this.pki, prefix);
      if (member.remove) {
        // Keeps bundle and decommission: destroying them now would stop etcd before the removal.
        const removal = new MemberRemoval(scopeOf, 'removal', this.cluster, member, privateKey, prefix);
        const decommission = new MemberDecommission(scopeOf, 'decommission', this.cluster, member, removal.resource, prefix);
        members[member.name] = { bundle, removal, decommission };
        gated.push(removal.resource);
      } else {
        const provisioner = new EtcdMemberProvisioner(scopeOf, 'provisioner', { cluster: this.cluster, member, pki: this.pki, bundle, privateKey, prefix });
        const decommission = new MemberDecommission(scopeOf, 'decommission', this.cluster, member, provisioner.resource, prefix);
        members[member.name] = { bundle, provisioner, decommission };
        gated.push(provisioner.resource);
      }
    }
    this.members = members;
    this.healthCheck = new EtcdHealthCheck(this, 'health', this.cluster, gated, privateKey, prefix);
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
