import type { ResourceStatus } from '../../api/application.js';

/** Lower first: out-of-sync, to-be-pruned and unhealthy entries matter most. */
const importance = (r: ResourceStatus): number =>
  (r.status !== 'Synced' ? 0 : 2) + (r.requiresPruning === true ? 0 : 1) + (r.health === undefined || r.health.status === 'Healthy' ? 1 : 0);

/** The entries, most important first; entries of equal importance keep their order. */
export function byImportance(resources: readonly ResourceStatus[]): ResourceStatus[] {
  return [...resources].sort((a, b) => importance(a) - importance(b));
}

/**
 * Bounds status.resources so that an app with thousands of objects stays far below etcd's
 * object size limit: out-of-sync, unhealthy and to-be-pruned entries are kept first.
 */
export function boundResources(resources: readonly ResourceStatus[], max: number): { resources: ResourceStatus[]; truncated: number } {
  if (resources.length <= max) return { resources: [...resources], truncated: 0 };
  return { resources: byImportance(resources).slice(0, max), truncated: resources.length - max };
}
