import type { HealthAssessment, HealthStatus } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';

const statusOfPhase: ReadonlyMap<string, HealthStatus> = new Map([
  ['', 'Progressing'],
  ['Pending', 'Progressing'],
  ['Running', 'Progressing'],
  ['Succeeded', 'Healthy'],
  ['Failed', 'Degraded'],
  ['Error', 'Degraded'],
]);

/** argoproj.io/Workflow (Argo Workflows), by status.phase; no phase yet is Progressing. */
export function workflowHealth(obj: KubeObject): HealthAssessment {
  const phase = stringAt(obj, 'status', 'phase') ?? '';
  const message = stringAt(obj, 'status', 'message') ?? '';
  const status = statusOfPhase.get(phase) ?? 'Unknown';
  if (message !== '') return { status, message };
  if (status === 'Healthy') return { status };
  return { status, message: phase === '' ? 'waiting for the workflow to start' : `workflow is ${phase}` };
}
