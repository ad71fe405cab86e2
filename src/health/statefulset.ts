import type { HealthAssessment } from '../api/health.js';
import { isRecord, type KubeObject } from '../api/object.js';
import { countAt, numberAt, stringAt, valueAt } from './fields.js';
import { isGenerationObserved } from './generation.js';

/** apps/StatefulSet, read the way `kubectl rollout status` reads it. */
export function statefulSetHealth(obj: KubeObject): HealthAssessment {
  // Its controller always publishes observedGeneration, so 0 means it has not written status yet.
  if (!isGenerationObserved(obj) || numberAt(obj, 'status', 'observedGeneration') === 0) {
    return { status: 'Progressing', message: 'waiting for rollout to be observed' };
  }

  const desired = numberAt(obj, 'spec', 'replicas') ?? 1;
  const ready = countAt(obj, 'status', 'readyReplicas');
  const updated = countAt(obj, 'status', 'updatedReplicas');
  if (ready < desired) return { status: 'Progressing', message: `waiting for pods: ${ready} of ${desired} ready` };

  const strategy = updateStrategy(obj);
  // A rolling update with its parameters (the API server's default): done once the pods at or
  // above the partition are updated; a partition holds the pods below it back on purpose.
  if (strategy.type === 'RollingUpdate' && strategy.partition !== undefined) {
    const target = Math.max(desired - strategy.partition, 0);
    if (updated < target) {
      const what = strategy.partition > 0 ? 'partitioned rollout' : 'rollout';
      return { status: 'Progressing', message: `waiting for ${what}: ${updated} of ${target} pods updated` };
    }
    if (strategy.partition === 0) return { status: 'Healthy' };
    return { status: 'Healthy', message: `partitioned rollout complete: ${updated} of ${desired} pods updated` };
  }
  // OnDelete: pods move to the new revision only when someone deletes them, so waiting for
  // that would never end; ready pods are all a rollout can promise.
  if (strategy.type === 'OnDelete') return { status: 'Healthy', message: `${ready} pods ready; updates apply when pods are deleted` };

  // A RollingUpdate written without parameters: done once every pod runs the update revision.
  const currentRevision = stringAt(obj, 'status', 'currentRevision') ?? '';
  const updateRevision = stringAt(obj, 'status', 'updateRevision') ?? '';
  if (currentRevision !== updateRevision) {
    return { status: 'Progressing', message: `waiting for rollout to revision ${updateRevision}: ${updated} of ${desired} pods updated` };
  }
  return { status: 'Healthy' };
}

interface UpdateStrategy {
  readonly type: string;
  /** Set when the strategy has rollingUpdate parameters. */
  readonly partition?: number;
}

/**
 * spec.updateStrategy as the API server stores it: without a type it defaults to a rolling
 * update with partition 0; a RollingUpdate given without parameters stays without them.
 */
function updateStrategy(obj: KubeObject): UpdateStrategy {
  const type = stringAt(obj, 'spec', 'updateStrategy', 'type');
  const rollingUpdate = valueAt(obj, ['spec', 'updateStrategy', 'rollingUpdate']);
  if (type === undefined) return { type: 'RollingUpdate', partition: numberAt(rollingUpdate, 'partition') ?? 0 };
  if (type === 'RollingUpdate' && isRecord(rollingUpdate)) return { type, partition: numberAt(rollingUpdate, 'partition') ?? 0 };
  return { type };
}
