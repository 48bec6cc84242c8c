/**
 * A resource attribute as plain Terraform text, e.g. `${tls_private_key.etcd_ca_key.private_key_pem}`:
 * the text cdktf's attribute token (`key.privateKeyPem`) resolves to in the resource's own stack,
 * made without a token. Each read of a cdktf attribute makes a new token, which captures a full
 * stack trace and is looked up again at every resolve pass of the synth: the PKI wiring of a
 * 51-member cluster (with the certificates' sha256 triggers) made about 1,600 of them. Like the
 * token, the text is fixed when it is made (the resource's logical id as it is then). For
 * references inside the cluster's own stack only: what leaves the construct (outputs, public
 * getters) stays a cdktf token, which can cross stacks.
 */
import { TerraformResource } from 'cdktf';

export interface AttributeRef {
  /** `type.name.attribute`, for use inside an expression: `sha256(type.name.attribute)`. */
  readonly address: string;
  /** `${type.name.attribute}`: the attribute as a string value. */
  readonly expression: string;
}

/** `attribute` is Terraform's name of it (`private_key_pem`, not `privateKeyPem`). */
export function attributeRef(resource: TerraformResource, attribute: string): AttributeRef {
  const address = `${resource.terraformResourceType}.${resource.friendlyUniqueId}${resource.forEach ? '.*' : ''}.${attribute}`;
  return { address, expression: `\${${address}}` };
}
