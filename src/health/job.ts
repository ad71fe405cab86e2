import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { booleanAt, countAt } from './fields.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/** batch/Job: its terminal conditions decide; until one is set it is running (or suspended). */
export function jobHealth(obj: KubeObject): HealthAssessment {
  const conditions = statusConditions(obj);
  // FailureTarget and SuccessCriteriaMet are set as soon as the outcome is decided, before the
  // remaining pods have stopped and Failed or Complete follows.
  const failed = [findCondition(conditions, 'Failed'), findCondition(conditions, 'FailureTarget')].find((c) => c?.status === 'True');
  if (failed !== undefined) return { status: 'Degraded', message: describeCondition(failed, 'job failed') };
  const succeeded = [findCondition(conditions, 'Complete'), findCondition(conditions, 'SuccessCriteriaMet')].find((c) => c?.status === 'True');
  if (succeeded !== undefined) return { status: 'Healthy' };
  if (booleanAt(obj, 'spec', 'suspend') === true || findCondition(conditions, 'Suspended')?.status === 'True') {
    return { status: 'Suspended', message: 'job is suspended' };
  }
  const active = countAt(obj, 'status', 'active');
  const done = countAt(obj, 'status', 'succeeded');
  const failedPods = countAt(obj, 'status', 'failed');
  return { status: 'Progressing', message: `waiting for job to complete: ${active} active, ${done} succeeded, ${failedPods} failed pods` };
}
