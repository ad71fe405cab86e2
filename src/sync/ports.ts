import type { HealthStatus } from '../api/health.js';
import type { KubeObject, ResourceKey } from '../api/object.js';
import type { ApplyMode, PlanStep } from './plan.js';

/** What the executor needs to change the cluster (implemented over the API server by the controller). */
export interface Applier {
  /** Writes the whole object (server-side apply, replace or re-create); returns it as stored and whether it was new. */
  apply(obj: KubeObject, mode: ApplyMode): Promise<{ stored: KubeObject; created: boolean }>;
  /**
   * Creates a hook for this sync (a new object each time; generateName gets a fresh name) and
   * returns it as stored. Deleting an earlier one in the way (BeforeHookCreation) is done before.
   */
  createHook(step: PlanStep): Promise<KubeObject>;
  /** Deletes the object; 'gone' when it was already gone. */
  delete(key: ResourceKey, obj: KubeObject): Promise<'deleted' | 'gone'>;
}

/** Current health of an object in the cluster (Missing when it does not exist). */
export type HealthProbe = (key: ResourceKey) => Promise<HealthStatus>;
