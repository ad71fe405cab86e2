import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { booleanAt, countAt } from './fields.js';
import { describeCondition, findCondition, statusConditions, type StatusCondition } from './status-conditions.js';

// The message the job controller writes on the Suspended condition it sets.
const stockSuspendedMessage = 'job suspended';

/**
 * batch/Job, by the conditions its controller writes: Failed → Degraded, Suspended (True) →
 * Suspended, Complete → Healthy; until one is written it is Progressing. A resumed Job (its
 * Suspended condition turned False) is running again, so it is Progressing too.
 */
export function jobHealth(obj: KubeObject): HealthAssessment {
  const conditions = statusConditions(obj);
  // The job controller adds Failed and Complete only as True, and never takes them back.
  const failed = findCondition(conditions, 'Failed');
  if (failed !== undefined) return { status: 'Degraded', message: describeCondition(failed, 'job failed') };
  const suspended = findCondition(conditions, 'Suspended');
  if (suspended?.status === 'True') {
    const custom = suspended.message !== '' && suspended.message.toLowerCase() !== stockSuspendedMessage;
    return { status: 'Suspended', message: custom ? `job is suspended: ${suspended.message}` : 'job is suspended' };
  }
  if (findCondition(conditions, 'Complete') !== undefined) return { status: 'Healthy' };
  return { status: 'Progressing', message: progressMessage(obj, conditions) };
}

function progressMessage(obj: KubeObject, conditions: readonly StatusCondition[]): string {
  // Set as soon as the outcome is decided; Failed or Complete follows once the remaining pods have stopped.
  const failureTarget = findCondition(conditions, 'FailureTarget');
  if (failureTarget?.status === 'True') return `job is failing, waiting for its pods to stop: ${describeCondition(failureTarget, 'FailureTarget')}`;
  if (findCondition(conditions, 'SuccessCriteriaMet')?.status === 'True') return 'job has succeeded, waiting for its pods to stop';
  if (booleanAt(obj, 'spec', 'suspend') === true) return 'waiting for the job controller to suspend the job';
  const active = countAt(obj, 'status', 'active');
  const done = countAt(obj, 'status', 'succeeded');
  const failedPods = countAt(obj, 'status', 'failed');
  return `waiting for job to complete: ${active} active, ${done} succeeded, ${failedPods} failed pods`;
}
