import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';

/** core/PersistentVolumeClaim: by its phase. */
export function persistentVolumeClaimHealth(obj: KubeObject): HealthAssessment {
  const phase = stringAt(obj, 'status', 'phase');
  switch (phase) {
    case 'Bound':
      return { status: 'Healthy' };
    case 'Lost':
      return { status: 'Degraded', message: 'claim lost its bound volume' };
    case 'Pending':
    case undefined:
      return { status: 'Progressing', message: 'waiting for a volume to be bound' };
    default:
      return { status: 'Unknown', message: `claim phase is ${phase}` };
  }
}
