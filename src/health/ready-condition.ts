import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { numberAt } from './fields.js';
import { isGenerationBehind } from './generation.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/**
 * Any kind without its own rule: its `Ready` condition (True → Healthy, False → Degraded,
 * Unknown → Progressing), or null when it has none. A Ready condition written for an older
 * generation than the current spec is stale, so the object is still Progressing.
 */
export function readyConditionHealth(obj: KubeObject): HealthAssessment | null {
  const ready = findCondition(statusConditions(obj), 'Ready');
  if (ready === undefined) return null;
  if (isGenerationBehind(obj, numberAt(obj, 'status', 'observedGeneration')) || isGenerationBehind(obj, ready.observedGeneration)) {
    return { status: 'Progressing', message: 'waiting for the latest spec to be observed' };
  }
  switch (ready.status) {
    case 'True':
      return { status: 'Healthy' };
    case 'False':
      return { status: 'Degraded', message: describeCondition(ready, 'not ready') };
    case 'Unknown':
      return { status: 'Progressing', message: describeCondition(ready, 'readiness is not known yet') };
  }
}
