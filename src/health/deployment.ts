import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { booleanAt, countAt, numberAt } from './fields.js';
import { isGenerationObserved } from './generation.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/** apps/Deployment, read the way `kubectl rollout status` reads it. */
export function deploymentHealth(obj: KubeObject): HealthAssessment {
  if (booleanAt(obj, 'spec', 'paused') === true) return { status: 'Suspended', message: 'deployment is paused' };
  if (!isGenerationObserved(obj)) return { status: 'Progressing', message: 'waiting for rollout to be observed' };

  const progressing = findCondition(statusConditions(obj), 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { status: 'Degraded', message: describeCondition(progressing, 'ProgressDeadlineExceeded') };
  }

  const desired = numberAt(obj, 'spec', 'replicas') ?? 1;
  const replicas = countAt(obj, 'status', 'replicas');
  const updated = countAt(obj, 'status', 'updatedReplicas');
  const available = countAt(obj, 'status', 'availableReplicas');
  if (updated < desired) {
    return { status: 'Progressing', message: `waiting for rollout: ${updated} of ${desired} replicas updated` };
  }
  if (replicas > updated) {
    return { status: 'Progressing', message: `waiting for rollout: ${replicas - updated} old replicas pending termination` };
  }
  if (available < updated) {
    return { status: 'Progressing', message: `waiting for rollout: ${available} of ${updated} updated replicas are available` };
  }
  return { status: 'Healthy' };
}
