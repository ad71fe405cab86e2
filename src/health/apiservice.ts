import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/** apiregistration.k8s.io/APIService: by its Available condition. */
export function apiServiceHealth(obj: KubeObject): HealthAssessment {
  const available = findCondition(statusConditions(obj), 'Available');
  switch (available?.status) {
    case 'True':
      return { status: 'Healthy' };
    case 'False':
      return { status: 'Degraded', message: describeCondition(available, 'API service is not available') };
    default:
      return { status: 'Progressing', message: 'waiting for the API service to become available' };
  }
}
