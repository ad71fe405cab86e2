import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { countAt, numberAt } from './fields.js';
import { isGenerationObserved } from './generation.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/** apps/ReplicaSet: failing to create pods (quota, admission) is Degraded, too few available is Progressing. */
export function replicaSetHealth(obj: KubeObject): HealthAssessment {
  if (!isGenerationObserved(obj)) return { status: 'Progressing', message: 'waiting for rollout to be observed' };

  const failure = findCondition(statusConditions(obj), 'ReplicaFailure');
  if (failure?.status === 'True') return { status: 'Degraded', message: describeCondition(failure, 'ReplicaFailure') };

  const desired = numberAt(obj, 'spec', 'replicas') ?? 1;
  const available = countAt(obj, 'status', 'availableReplicas');
  if (available < desired) return { status: 'Progressing', message: `waiting for replicas: ${available} of ${desired} available` };
  return { status: 'Healthy' };
}
