import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';
import { describeCondition, findCondition, parseConditions, statusConditions, type StatusCondition } from './status-conditions.js';

// autoscaling/v1 has no status.conditions: the API server carries the v2 conditions in this annotation.
const v1ConditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';

// The (type, reason) pairs by which the HPA controller says it cannot do its job, whatever the status.
const failureReasons: ReadonlyMap<string, readonly string[]> = new Map([
  ['AbleToScale', ['FailedGetScale', 'FailedUpdateScale']],
  [
    'ScalingActive',
    [
      'FailedGetResourceMetric',
      'FailedGetObjectMetric',
      'FailedGetPodsMetric',
      'FailedGetExternalMetric',
      'FailedComputeMetricsReplicas',
      'InvalidSelector',
    ],
  ],
]);

// Either of these True means the controller is scaling the target (limited by min/max or not).
const scalingConditionTypes: readonly string[] = ['AbleToScale', 'ScalingLimited'];

const waitingToAutoscale = { status: 'Progressing', message: 'waiting for the autoscaler to report that it can scale' } as const;

/**
 * autoscaling/HorizontalPodAutoscaler, v1 (conditions in an annotation) and v2, v2beta2, v2beta1
 * (status.conditions): Degraded when a condition names a failure to read the target or its
 * metrics, Healthy when it is able to scale, Progressing until its controller has said either.
 */
export function horizontalPodAutoscalerHealth(obj: KubeObject): HealthAssessment {
  const conditions = obj.apiVersion === 'autoscaling/v1' ? annotationConditions(obj) : statusConditions(obj);
  if (!Array.isArray(conditions)) return conditions;
  const failure = conditions.find((c) => failureReasons.get(c.type)?.includes(c.reason) === true);
  if (failure !== undefined) return { status: 'Degraded', message: describeCondition(failure, failure.reason) };
  const scaling = conditions.find((c) => scalingConditionTypes.includes(c.type) && c.status === 'True');
  if (scaling !== undefined) return { status: 'Healthy' };
  // Often AbleToScale False while a scale is backing off: say why it is not scaling.
  const ableToScale = findCondition(conditions, 'AbleToScale');
  if (ableToScale === undefined) return waitingToAutoscale;
  return { status: 'Progressing', message: describeCondition(ableToScale, waitingToAutoscale.message) };
}

/** The conditions of an autoscaling/v1 HPA, or Unknown when its annotation cannot be read. */
function annotationConditions(obj: KubeObject): StatusCondition[] | HealthAssessment {
  const annotation = stringAt(obj, 'metadata', 'annotations', v1ConditionsAnnotation);
  if (annotation === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch (error) {
    return unreadableAnnotation(error instanceof Error ? error.message : String(error));
  }
  return Array.isArray(parsed) ? parseConditions(parsed) : unreadableAnnotation('not a list of conditions');
}

function unreadableAnnotation(why: string): HealthAssessment {
  return { status: 'Unknown', message: `cannot read the ${v1ConditionsAnnotation} annotation: ${why}` };
}
