// Names of the lab scenarios, in the order the report lists them.
export const SCENARIOS = {
  deploy3: 'deploy 3',
  deploy3tofu: 'deploy 3 (OpenTofu)',
  floor3: 'floor 3',
  floor3serial: 'floor 3, one host at a time',
  deploy5: 'deploy 5',
  floor5: 'floor 5',
  deploy3p1: 'deploy 3 -parallelism=1',
  replan3: 're-plan 3',
  pkiPlan: 're-plan of its PKI alone',
  emptyPlan: 'empty plan (same providers)',
  pkiFirst3: 'PKI alone: first apply, 3 members',
  pkiFirst5: 'PKI alone: first apply, 5 members',
  pkiFirst3p1: 'PKI alone: first apply, 3 members, -parallelism=1',
  pkiChange1: 'PKI alone: the one-member change',
  pkiRenewal: 'PKI alone: the renewal',
  restartFloor: 'restart floor (1 member)',
  change1: 'one-member change',
  renewal: 'rolling renewal 3',
  upgrade: 'rolling upgrade 3',
} as const;

/** The etcd release a cluster is deployed at before the rolling upgrade (etcd's 3.5 → 3.6 path). */
export const UPGRADE_FROM = '3.5.33';
