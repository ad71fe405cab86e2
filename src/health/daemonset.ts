import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { countAt, stringAt } from './fields.js';
import { isGenerationObserved } from './generation.js';

/** apps/DaemonSet, read the way `kubectl rollout status` reads it. */
export function daemonSetHealth(obj: KubeObject): HealthAssessment {
  if (!isGenerationObserved(obj)) return { status: 'Progressing', message: 'waiting for rollout to be observed' };

  const desired = countAt(obj, 'status', 'desiredNumberScheduled');
  const updated = countAt(obj, 'status', 'updatedNumberScheduled');
  const available = countAt(obj, 'status', 'numberAvailable');
  // OnDelete: pods move to the new template only when someone deletes them.
  if (stringAt(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return { status: 'Healthy', message: `${updated} of ${desired} pods updated; updates apply when pods are deleted` };
  }
  if (updated < desired) return { status: 'Progressing', message: `waiting for rollout: ${updated} of ${desired} pods updated` };
  if (available < desired) {
    return { status: 'Progressing', message: `waiting for rollout: ${available} of ${desired} updated pods are available` };
  }
  return { status: 'Healthy' };
}
