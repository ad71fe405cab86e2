import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';
import { describeCondition, findCondition, parseConditions, statusConditions, type StatusCondition } from './status-conditions.js';

// autoscaling/v1 has no status.conditions: the API server carries the v2 conditions in this annotation.
const v1ConditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';

/** autoscaling/HorizontalPodAutoscaler (v1 and v2): Degraded when it cannot read its target or its metrics. */
export function horizontalPodAutoscalerHealth(obj: KubeObject): HealthAssessment {
  const conditions = hpaConditions(obj);
  const ableToScale = findCondition(conditions, 'AbleToScale');
  if (ableToScale?.status === 'False') return { status: 'Degraded', message: describeCondition(ableToScale, 'unable to scale') };
  const scalingActive = findCondition(conditions, 'ScalingActive');
  // ScalingDisabled: the target was scaled to zero on purpose, which turns autoscaling off.
  if (scalingActive?.status === 'False' && scalingActive.reason !== 'ScalingDisabled') {
    return { status: 'Degraded', message: describeCondition(scalingActive, 'scaling is not active') };
  }
  return { status: 'Healthy' };
}

function hpaConditions(obj: KubeObject): StatusCondition[] {
  const fromStatus = statusConditions(obj);
  if (fromStatus.length > 0) return fromStatus;
  const annotation = stringAt(obj, 'metadata', 'annotations', v1ConditionsAnnotation);
  if (annotation === undefined) return [];
  try {
    return parseConditions(JSON.parse(annotation));
  } catch {
    // An annotation that is not JSON carries no conditions we can read.
    return [];
  }
}
