import type { ResourceStatus } from '../../api/application.js';

/**
 * Bounds status.resources so that an app with thousands of objects stays far below etcd's
 * object size limit: out-of-sync, unhealthy and to-be-pruned entries are kept first.
 */
export function boundResources(resources: readonly ResourceStatus[], max: number): { resources: ResourceStatus[]; truncated: number } {
  if (resources.length <= max) return { resources: [...resources], truncated: 0 };
  const score = (r: ResourceStatus): number =>
    (r.status !== 'Synced' ? 0 : 2) + (r.requiresPruning === true ? 0 : 1) + (r.health === undefined || r.health.status === 'Healthy' ? 1 : 0);
  const kept = [...resources].sort((a, b) => score(a) - score(b)).slice(0, max);
  return { resources: kept, truncated: resources.length - max };
}
