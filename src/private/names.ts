/**
 * Logical names of the Terraform resources, from one helper: `<cluster id>_<parts…>`, e.g.
 * `etcd_e2_peer` or `etcd_member_e2`. Readable in plans, stable across refactorings of the
 * construct tree (cdktf's own names would follow the construct paths and carry hashes).
 */
import { IConstruct } from 'constructs';
import { TerraformElement } from 'cdktf';

const PREFIX = Symbol.for('etcd-kubeadm-cdktf.resource-prefix');

interface Prefixed {
  [PREFIX]?: string;
}

/** Marks `scope` (an EtcdCluster) as the owner of the resources below it, named after `id`. */
export function setResourcePrefix(scope: IConstruct, id: string): void {
  (scope as Prefixed)[PREFIX] = id.replace(/[^A-Za-z0-9_]/g, '_');
}

/** `<prefix>_<parts…>` for a construct below an EtcdCluster; parts keep letters, digits, `_` and `-`. */
export function resourceName(scope: IConstruct, ...parts: string[]): string {
  // The nearest marked scope, `scope` itself first: walked up, not collected (once per resource).
  let owner: IConstruct | undefined = scope;
  while (owner && (owner as Prefixed)[PREFIX] === undefined) owner = owner.node.scope;
  if (!owner) throw new Error(`${scope.node.path}: resources are named by an enclosing EtcdCluster`);
  return [(owner as Prefixed)[PREFIX] as string, ...parts.map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '_'))].join('_');
}

/** Gives a resource (or variable) its logical name and returns it. */
export function named<T extends TerraformElement>(element: T, ...parts: string[]): T {
  element.overrideLogicalId(resourceName(element, ...parts));
  return element;
}
