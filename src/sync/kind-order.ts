import { compareCodeUnits } from '../api/text.js';

/**
 * The order in which kinds are applied within a wave: what others depend on goes first (namespaces, then policy,
 * identity, config and storage, CRDs and RBAC, then workloads, then what routes to them). Argo CD uses the same table.
 */
export const kindOrderTable: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const rankByKind = new Map(kindOrderTable.map((kind, index) => [kind, index]));

/** Position of a kind in the table; kinds not in it share the position after the last known kind. */
export function kindRank(kind: string): number {
  return rankByKind.get(kind) ?? kindOrderTable.length;
}

/** Known kinds by table position, then unknown kinds (custom resources, typically) by name. */
export function compareKindOrder(a: string, b: string): number {
  const byRank = kindRank(a) - kindRank(b);
  if (byRank !== 0) return byRank;
  return compareStrings(a, b);
}

/** Code-unit order, the same in every locale. */
export const compareStrings = compareCodeUnits;
