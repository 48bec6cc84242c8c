/** null_resource (hashicorp/null 3.2.4): does nothing; any change of triggers forces replacement. */
import * as crypto from 'crypto';
import { ProviderDefinition, ResourceDefinition } from '../framework';

/** Go's rand.Int(): a non-negative 63-bit integer, printed in decimal. */
function randomId(): string {
  return (crypto.randomBytes(8).readBigUInt64BE() >> 1n).toString(10);
}

export const nullResource: ResourceDefinition = {
  typeName: 'null_resource',
  version: 0,
  schema: {
    description:
      'The `null_resource` resource implements the standard resource lifecycle but takes no further action. On Terraform 1.4 and later, use the terraform_data resource type instead.',
    attributes: [
      {
        name: 'triggers',
        type: ['map', 'string'],
        optional: true,
        replace: 'ifValuesNotNull',
        description: 'A map of arbitrary strings that, when changed, will force the null resource to be replaced, re-running any associated provisioners.',
      },
      { name: 'id', type: 'string', computed: true, useStateForUnknown: true, description: 'This is set to a random value at create time.' },
    ],
  },
  create: (planned) => ({ state: { ...planned, id: randomId() } }),
};

export const nullProvider: ProviderDefinition = {
  name: 'registry.terraform.io/hashicorp/null',
  version: '3.2.4',
  schema: { attributes: [] },
  resources: [nullResource],
};
