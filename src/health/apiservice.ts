import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/**
 * apiregistration.k8s.io/APIService (v1 and v1beta1): Healthy once its Available condition is
 * True. Any other Available status is Progressing, not Degraded: the backing service (often
 * deployed by the same app) may still be starting.
 */
export function apiServiceHealth(obj: KubeObject): HealthAssessment {
  const available = findCondition(statusConditions(obj), 'Available');
  if (available === undefined) return { status: 'Progressing', message: 'waiting for the API service to become available' };
  if (available.status === 'True') return { status: 'Healthy' };
  return { status: 'Progressing', message: describeCondition(available, 'the API service is not available yet') };
}
