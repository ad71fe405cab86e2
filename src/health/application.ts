import { healthStatuses, type HealthAssessment, type HealthStatus } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';

/** capstan.dev/Application managed by another application (app of apps): the health it reports itself. */
export function applicationHealth(obj: KubeObject): HealthAssessment {
  const status = stringAt(obj, 'status', 'health', 'status');
  if (status === undefined || !isHealthStatus(status)) {
    return { status: 'Progressing', message: 'waiting for the application to report its health' };
  }
  const message = stringAt(obj, 'status', 'health', 'message');
  return message === undefined || message === '' ? { status } : { status, message };
}

function isHealthStatus(value: string): value is HealthStatus {
  return (healthStatuses as readonly string[]).includes(value);
}
