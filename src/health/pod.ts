import type { HealthAssessment } from '../api/health.js';
import type { KubeObject } from '../api/object.js';
import { stringAt } from './fields.js';
import { describeFailure, describeWaiting, isStuckWaitingReason, podContainers, type ContainerView } from './pod-containers.js';
import { hasIgnoreRestartPolicy, isLongRunningPod, restartPolicyOf } from './pod-restart-policy.js';
import { describeCondition, findCondition, statusConditions } from './status-conditions.js';

/**
 * core/Pod. A long-running pod (restartPolicy Always, or the ignore-restart-policy annotation
 * on a pod that is not a hook) is Healthy once Ready and Degraded when a container is stuck or
 * has died; a pod that runs to completion (OnFailure, Never) is Progressing until it has
 * Succeeded or Failed.
 */
export function podHealth(obj: KubeObject): HealthAssessment {
  const longRunning = isLongRunningPod(obj);
  const containers = podContainers(obj);

  // Only for long-running pods: a hook pod that cannot pull its image yet would fail its sync
  // early, then run anyway once the image appears. It stays Progressing until it ends. Init
  // containers are not read here: while they run the pod is Pending, which is Progressing.
  if (longRunning) {
    const stuck = containers.main.filter((c) => c.waiting !== undefined && isStuckWaitingReason(c.waiting.reason));
    if (stuck.length > 0) return { status: 'Degraded', message: stuck.map(describeWaiting).join('; ') };
  }

  const phase = stringAt(obj, 'status', 'phase');
  const all = [...containers.init, ...containers.main];
  switch (phase) {
    // The API server creates pods Pending; a pod without a phase has not been through it.
    case undefined:
      return { status: 'Progressing', message: 'waiting for the pod to be scheduled' };
    case 'Pending':
      return { status: 'Progressing', message: pendingMessage(obj, all) };
    case 'Succeeded':
      return { status: 'Healthy' };
    case 'Failed':
      return { status: 'Degraded', message: failedMessage(obj, all) };
    case 'Running':
      return longRunning ? runningServiceHealth(obj, containers.main) : runningToCompletionHealth(obj);
    default:
      return { status: 'Unknown', message: podStatusMessage(obj) ?? `pod phase is ${phase}` };
  }
}

function runningServiceHealth(obj: KubeObject, containers: readonly ContainerView[]): HealthAssessment {
  const ready = findCondition(statusConditions(obj), 'Ready');
  if (ready?.status === 'True') return { status: 'Healthy' };
  // A container that has already died and is not ready again is crash-looping between back-offs.
  const restarted = containers.find((c) => c.lastTerminated !== undefined);
  if (restarted?.lastTerminated !== undefined) {
    const reason = restarted.lastTerminated.reason === '' ? '' : `: ${restarted.lastTerminated.reason}`;
    return {
      status: 'Degraded',
      message: `container "${restarted.name}" restarted (exit code ${restarted.lastTerminated.exitCode}${reason}) and the pod is not ready`,
    };
  }
  return { status: 'Progressing', message: ready === undefined ? 'waiting for the pod to become ready' : describeCondition(ready, 'pod is not ready') };
}

function runningToCompletionHealth(obj: KubeObject): HealthAssessment {
  const restartPolicy = restartPolicyOf(obj);
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    return { status: 'Unknown', message: `pod is running with restartPolicy ${restartPolicy}, which is not one Kubernetes knows` };
  }
  const hook = hasIgnoreRestartPolicy(obj) ? '; it is a hook, so ignore-restart-policy does not apply' : '';
  return { status: 'Progressing', message: `pod is running to completion (restartPolicy ${restartPolicy})${hook}` };
}

function pendingMessage(obj: KubeObject, containers: readonly ContainerView[]): string {
  const scheduled = findCondition(statusConditions(obj), 'PodScheduled');
  if (scheduled?.status === 'False') return describeCondition(scheduled, 'pod is not scheduled');
  const waiting = containers.find((c) => c.waiting !== undefined);
  return podStatusMessage(obj) ?? (waiting === undefined ? 'pod is pending' : describeWaiting(waiting));
}

function failedMessage(obj: KubeObject, containers: readonly ContainerView[]): string {
  const fromPod = podStatusMessage(obj);
  if (fromPod !== undefined) return fromPod;
  for (const container of containers) {
    if (container.terminated === undefined) continue;
    const failure = describeFailure(container.name, container.terminated);
    if (failure !== undefined) return failure;
  }
  return 'pod failed';
}

/** The pod's own status.reason and status.message (set on eviction, deadline, node loss). */
function podStatusMessage(obj: KubeObject): string | undefined {
  const reason = stringAt(obj, 'status', 'reason') ?? '';
  const message = stringAt(obj, 'status', 'message') ?? '';
  if (reason !== '' && message !== '') return `${reason}: ${message}`;
  if (message !== '') return message;
  if (reason !== '') return reason;
  return undefined;
}
