import { isHealthStatus, type HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { numberAt, stringAt } from './fields.js';

/**
 * An Application managed by another one (app of apps), Capstan's or Argo CD's (the two share
 * the status layout): the health it reports in status.health, Progressing until it reports one.
 * So that a parent's waves wait for their child apps, also: not reconciled since its spec
 * changed, a sync running, or out of sync → Progressing; its last sync failed → Degraded.
 */
export function applicationHealth(obj: KubeObject): HealthAssessment {
  const generation = obj.metadata.generation;
  const observed = numberAt(obj, 'status', 'observedGeneration');
  if (generation !== undefined && observed !== undefined && observed < generation) {
    return { status: 'Progressing', message: 'the application has not been reconciled since its spec changed' };
  }
  const phase = stringAt(obj, 'status', 'operationState', 'phase');
  const sync = stringAt(obj, 'status', 'sync', 'status');
  if (phase === 'Running' || phase === 'Terminating') {
    const waiting = stringAt(obj, 'status', 'operationState', 'waitingFor');
    return { status: 'Progressing', message: waiting === undefined ? 'a sync is running' : `a sync is running, waiting for ${waiting}` };
  }
  if ((phase === 'Failed' || phase === 'Error') && sync !== 'Synced') {
    return { status: 'Degraded', message: `its last sync failed: ${stringAt(obj, 'status', 'operationState', 'message') ?? ''}` };
  }
  const status = stringAt(obj, 'status', 'health', 'status');
  if (status === undefined || !isHealthStatus(status)) {
    return { status: 'Progressing', message: 'waiting for the application to report its health' };
  }
  if (sync === 'OutOfSync' && status === 'Healthy') return { status: 'Progressing', message: 'the application is out of sync' };
  const message = stringAt(obj, 'status', 'health', 'message');
  return message === undefined || message === '' ? { status } : { status, message };
}
