import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { named, resourceName, setResourcePrefix } from '../../src/private/names';
import { TerraformData } from '../../src/private/terraform-data';

describe('resource names', () => {
  const stack = new TerraformStack(new App(), 's');
  const cluster = new Construct(stack, 'etcd-prod');
  setResourcePrefix(cluster, 'etcd-prod');
  const deep = new Construct(new Construct(cluster, 'member-e2'), 'bundle');

  test('come from the enclosing cluster: its id made a Terraform name, then the parts', () => {
    expect(resourceName(deep, 'e2', 'peer')).toBe('etcd_prod_e2_peer');
    expect(resourceName(deep, 'etcd-2', 'file', 'pki_etcd_ca_crt')).toBe('etcd_prod_etcd-2_file_pki_etcd_ca_crt');
  });

  test('named() sets the logical id of the resource', () => {
    const r = named(new TerraformData(deep, 'x'), 'member', 'e2');
    expect(r.friendlyUniqueId).toBe('etcd_prod_member_e2');
  });

  test('outside a cluster there is no name to give', () => {
    expect(() => resourceName(new Construct(stack, 'stray'), 'x')).toThrow(/named by an enclosing EtcdCluster/);
  });
});
