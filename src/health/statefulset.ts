import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { countAt, numberAt, stringAt } from './fields.js';
import { isGenerationObserved } from './generation.js';

/** apps/StatefulSet, read the way `kubectl rollout status` reads it. */
export function statefulSetHealth(obj: KubeObject): HealthAssessment {
  if (!isGenerationObserved(obj)) return { status: 'Progressing', message: 'waiting for rollout to be observed' };

  const desired = numberAt(obj, 'spec', 'replicas') ?? 1;
  const ready = countAt(obj, 'status', 'readyReplicas');
  const updated = countAt(obj, 'status', 'updatedReplicas');
  if (ready < desired) return { status: 'Progressing', message: `waiting for pods: ${ready} of ${desired} ready` };

  // OnDelete: pods move to the new revision only when someone deletes them, so waiting for
  // that would never end; ready pods are all a rollout can promise.
  const strategy = stringAt(obj, 'spec', 'updateStrategy', 'type') ?? 'RollingUpdate';
  if (strategy === 'OnDelete') return { status: 'Healthy', message: `${ready} pods ready; updates apply when pods are deleted` };

  // A partition holds back the pods below it on purpose: done once the pods above it are updated.
  const partition = numberAt(obj, 'spec', 'updateStrategy', 'rollingUpdate', 'partition') ?? 0;
  if (partition > 0) {
    const target = Math.max(desired - partition, 0);
    if (updated < target) {
      return { status: 'Progressing', message: `waiting for partitioned rollout: ${updated} of ${target} pods updated` };
    }
    return { status: 'Healthy', message: `partitioned rollout complete: ${updated} of ${desired} pods updated` };
  }

  if (updated < desired) return { status: 'Progressing', message: `waiting for rollout: ${updated} of ${desired} pods updated` };
  const currentRevision = stringAt(obj, 'status', 'currentRevision');
  const updateRevision = stringAt(obj, 'status', 'updateRevision');
  if (currentRevision !== undefined && updateRevision !== undefined && currentRevision !== updateRevision) {
    return { status: 'Progressing', message: `waiting for rollout to revision ${updateRevision} to complete` };
  }
  return { status: 'Healthy' };
}
