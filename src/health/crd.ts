import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/** apiextensions.k8s.io/CustomResourceDefinition: served once Established, broken when its names clash. */
export function customResourceDefinitionHealth(obj: KubeObject): HealthAssessment {
  const conditions = statusConditions(obj);
  const namesAccepted = findCondition(conditions, 'NamesAccepted');
  if (namesAccepted?.status === 'False') {
    return { status: 'Degraded', message: describeCondition(namesAccepted, 'names not accepted') };
  }
  if (findCondition(conditions, 'Established')?.status !== 'True') {
    return { status: 'Progressing', message: 'waiting for the CRD to be established' };
  }
  // Only older (v1beta1-era) definitions can carry a non-structural schema; such a CRD is served,
  // but its objects are not pruned or validated as the author expects.
  const nonStructural = findCondition(conditions, 'NonStructuralSchema');
  if (nonStructural?.status === 'True') {
    return { status: 'Degraded', message: describeCondition(nonStructural, 'schema is not structural') };
  }
  return { status: 'Healthy' };
}
