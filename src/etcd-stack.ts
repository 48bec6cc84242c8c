import { Construct } from 'constructs';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { configureBackend } from './backend';
import type { ClusterSpec } from './config/types';
import { EtcdCluster } from './etcd-cluster';

/** Props of `EtcdStack`: the whole spec file (the cluster plus its backend). */
export type EtcdStackProps = ClusterSpec;

/** The deployable stack: backend, the cluster and its outputs. */
export class EtcdStack extends TerraformStack {
  readonly cluster: EtcdCluster;

  constructor(scope: Construct, id: string, props: EtcdStackProps) {
    super(scope, id);
    // The cluster validates the whole spec (backend included) once; the stack uses its result.
    this.cluster = new EtcdCluster(this, 'etcd', props);
    configureBackend(this, this.cluster.cluster.backend);

    new TerraformOutput(this, 'client_endpoints', { value: this.cluster.clientEndpoints, description: 'etcd client URLs (mTLS)' });
    new TerraformOutput(this, 'ca_certificate', {
      value: this.cluster.caCertPem,
      description: 'etcd CA certificate (PEM): /etc/kubernetes/pki/etcd/ca.crt on control-plane nodes',
    });
    new TerraformOutput(this, 'apiserver_etcd_client_certificate', {
      value: this.cluster.apiserverEtcdClientCertPem,
      description: 'kube-apiserver client certificate (PEM)',
    });
    new TerraformOutput(this, 'apiserver_etcd_client_key', {
      value: this.cluster.apiserverEtcdClientKeyPem,
      sensitive: true,
      description: 'kube-apiserver client key (PEM)',
    });
    new TerraformOutput(this, 'kubeadm_cluster_configuration', {
      value: this.cluster.kubeadmClusterConfiguration,
      description: 'kubeadm ClusterConfiguration snippet for etcd.external',
    });
  }

  /**
   * Before any stack is synthesized, cdktf resolves every element of every stack once, only to find
   * references between stacks (each one adds an output to one stack and a remote state to the
   * other), then resolves them all again to write them: for a 51-member cluster that first pass is
   * about a third of the synth. When the app holds no other stack there is nothing to find, so the
   * pass is skipped (the backend is still ensured); with other stacks in the app, cdktf's own
   * preparation runs unchanged. The written stack is the same either way (tested).
   */
  override prepareStack(): void {
    const root = this.node.root;
    const alone = App.isApp(root) && root.node.findAll().filter((c) => TerraformStack.isStack(c)).length === 1;
    if (alone) this.ensureBackendExists();
    else super.prepareStack();
  }
}
