// The public API of etcd-kubeadm-cdktf: the constructs, their props, and the spec's tools.
// Internals are exported as types only (reachable through the constructs' attributes).
export { EtcdCluster } from './etcd-cluster';
export type { EtcdMemberParts } from './etcd-cluster';
export { EtcdStack } from './etcd-stack';
export type { EtcdStackProps } from './etcd-stack';
export type * from './config/types';
export type { ResolvedCluster, ResolvedMember } from './config/resolved';
export { DEFAULT_CLUSTER_SPEC } from './config/default-spec';
export { DEFAULT_ETCD_VERSION, PINNED_RELEASES } from './config/releases';
export { loadClusterSpec, SPEC_ENV_VAR } from './config/load';
export { SpecValidationError, validateClusterSpec } from './config/validate';
export type { SpecIssue } from './config/structure';
export { clusterSpecJsonSchema } from './config/json-schema';
export type { EtcdPki, LeafCertificate, MemberCertificates } from './pki/etcd-pki';
export type { MemberBundle } from './files/member-bundle';
export type { EtcdMemberProvisioner } from './provisioning/member-provisioner';
export type { MemberRemoval } from './provisioning/member-removal';
export type { MemberJoin } from './provisioning/member-join';
export type { EtcdBootstrap } from './provisioning/bootstrap';
export type { ClusterMembership } from './provisioning/membership';
export type { ClusterIdentity } from './identity/cluster-identity';
export type { EtcdHealthCheck } from './health/health-check';
export type { TerraformData } from './private/terraform-data';
export type { AttributeRef } from './private/attribute-ref';
