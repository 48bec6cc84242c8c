import { Construct } from 'constructs';
import { Annotations, Fn, TerraformLocal, TerraformVariable } from 'cdktf';
import type { ResolvedCluster } from './config/resolved';
import type { EtcdClusterProps } from './config/types';
import { validateClusterSpec } from './config/validate';
import { HostScriptsAsset } from './files/host-scripts';
import { sharedBundleTexts } from './files/bundle-texts';
import { MemberBundle } from './files/member-bundle';
import { EtcdHealthCheck } from './health/health-check';
import { ClusterIdentity } from './identity/cluster-identity';
import { clientEndpoints, kubeadmClusterConfiguration } from './outputs/kubeadm-config';
import { EtcdPki } from './pki/etcd-pki';
import { named, setResourcePrefix } from './private/names';
import type { TerraformData } from './private/terraform-data';
import { ensureProviders } from './providers';
import { EtcdBootstrap } from './provisioning/bootstrap';
import { EtcdMemberProvisioner } from './provisioning/member-provisioner';
import { MemberJoin } from './provisioning/member-join';
import { MemberRemoval } from './provisioning/member-removal';
import { ClusterMembership } from './provisioning/membership';
import { keyExpression } from './provisioning/ssh-connection';

/** The per-member parts of a cluster, for composition. */
export interface EtcdMemberParts {
  /** Absent for a member marked `remove: true`. */
  readonly bundle?: MemberBundle;
  /** Absent for a member marked `remove: true`. */
  readonly provisioner?: EtcdMemberProvisioner;
  /** Absent for a member marked `remove: true`. */
  readonly join?: MemberJoin;
  /** Present only for a member marked `remove: true`. */
  readonly removal?: MemberRemoval;
}

/**
 * A TLS-secured external etcd cluster for kubeadm on existing Linux hosts: the etcd CA and
 * kubeadm's certificates, one PKI tree per host, SSH provisioning of etcd as a systemd service,
 * a bootstrap recorded once in Terraform state, learner joins, removals that work for dead hosts,
 * leaving on deletion and destroy, and a final health gate. Props are validated at synth: a bad
 * value throws a `SpecValidationError` naming it and the rule, before any resource exists.
 * Resource names start with the construct id (`etcd_member_e1` for id `etcd`).
 */
export class EtcdCluster extends Construct {
  /** The validated props with every default applied. */
  readonly cluster: ResolvedCluster;
  readonly identity: ClusterIdentity;
  readonly pki: EtcdPki;
  readonly members: Readonly<Record<string, EtcdMemberParts>>;
  readonly bootstrap: EtcdBootstrap;
  readonly membership: ClusterMembership;
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
      // A fixed name, whatever the construct id: pipelines set TF_VAR_ssh_private_key.
      variable.overrideLogicalId('ssh_private_key');
      this.sshPrivateKeyVariable = variable;
    }
    const privateKey = keyExpression(this.cluster, this.sshPrivateKeyVariable?.stringValue);
    const cluster = this.cluster;
    // A local, not a literal: a precondition must refer to something of the configuration.
    const localTarball = cluster.etcd.localTarball
      ? named(new TerraformLocal(this, 'local_tarball', Fn.pathexpand(cluster.etcd.localTarball)), 'local_tarball').asString
      : undefined;
    const active = cluster.members.filter((m) => !m.remove);

    this.identity = new ClusterIdentity(this, 'identity', { cluster });
    this.pki = new EtcdPki(this, 'pki', { cluster });
    const members: Record<string, EtcdMemberParts> = {};
    const provisioners: TerraformData[] = [];
    const shared = sharedBundleTexts(cluster);
    const scripts = new HostScriptsAsset(this, 'host-scripts');
    for (const member of active) {
      const scopeOf = new Construct(this, `member-${member.name}`);
      const bundle = new MemberBundle(scopeOf, 'bundle', { cluster, member, pki: this.pki, identity: this.identity.refs, shared });
      const provisioner = new EtcdMemberProvisioner(scopeOf, 'provisioner', { cluster, member, pki: this.pki, bundle, scripts, privateKey, localTarball });
      members[member.name] = { bundle, provisioner };
      provisioners.push(provisioner.resource);
    }
    this.bootstrap = new EtcdBootstrap(this, 'bootstrap', { founders: active, after: provisioners });
    const gates: TerraformData[] = [];
    for (const member of cluster.members) {
      const scopeOf = (this.node.tryFindChild(`member-${member.name}`) as Construct | undefined) ?? new Construct(this, `member-${member.name}`);
      if (member.remove) {
        const removal = new MemberRemoval(scopeOf, 'removal', { cluster, member, peer: active[0], privateKey });
        members[member.name] = { removal };
        gates.push(removal.resource);
      } else {
        const provisioner = members[member.name].provisioner as EtcdMemberProvisioner;
        const join = new MemberJoin(scopeOf, 'join', { cluster, member, provisioner: provisioner.resource, bootstrap: this.bootstrap, privateKey });
        members[member.name] = { ...members[member.name], join };
        // Re-provisioning replaces the provisioner only (its join step runs once per identity).
        gates.push(provisioner.resource, join.resource);
      }
    }
    this.members = members;
    const removals = Object.values(members).flatMap((parts) => (parts.removal ? [parts.removal.resource] : []));
    const joins = Object.values(members).flatMap((parts) => (parts.join ? [parts.join.resource] : []));
    // Everything of a member is destroyed only after its membership instance: when leaving fails
    // (an unreachable host), nothing of that member is gone.
    this.membership = new ClusterMembership(this, 'membership', { cluster, scripts, after: [...provisioners, ...joins, ...removals] });
    this.healthCheck = new EtcdHealthCheck(this, 'health', { cluster, gates, after: [this.membership.resource], privateKey });
    this.clientEndpoints = clientEndpoints(cluster);
    this.kubeadmClusterConfiguration = kubeadmClusterConfiguration(cluster);
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
