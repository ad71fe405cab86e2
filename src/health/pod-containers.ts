import { numberAt, recordsAt, stringAt } from './fields.js';

/** The parts of one container status that health reads. */
export interface ContainerView {
  readonly name: string;
  readonly waiting?: { readonly reason: string; readonly message: string };
  readonly terminated?: ContainerTermination;
  /** How the previous run of this container ended, when it has restarted. */
  readonly lastTerminated?: ContainerTermination;
}

export interface ContainerTermination {
  readonly reason: string;
  readonly message: string;
  readonly exitCode: number;
}

export interface PodContainers {
  /** status.initContainerStatuses: they run, one after the other, before the others start. */
  readonly init: readonly ContainerView[];
  /** status.containerStatuses. */
  readonly main: readonly ContainerView[];
}

/**
 * Waiting reasons that do not resolve by waiting, by kubelet's naming: ErrImagePull,
 * ErrImageNeverPull, CreateContainerConfigError, RunContainerError, ImagePullBackOff,
 * CrashLoopBackOff, ... (ContainerCreating and PodInitializing are not among them).
 */
export function isStuckWaitingReason(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

export function podContainers(pod: unknown): PodContainers {
  return {
    init: recordsAt(pod, 'status', 'initContainerStatuses').map(containerView),
    main: recordsAt(pod, 'status', 'containerStatuses').map(containerView),
  };
}

function containerView(status: Record<string, unknown>): ContainerView {
  const waitingReason = stringAt(status, 'state', 'waiting', 'reason');
  const terminated = terminationAt(status, 'state');
  const lastTerminated = terminationAt(status, 'lastState');
  return {
    name: stringAt(status, 'name') ?? '',
    ...(waitingReason === undefined ? {} : { waiting: { reason: waitingReason, message: stringAt(status, 'state', 'waiting', 'message') ?? '' } }),
    ...(terminated === undefined ? {} : { terminated }),
    ...(lastTerminated === undefined ? {} : { lastTerminated }),
  };
}

function terminationAt(status: unknown, stateField: 'state' | 'lastState'): ContainerTermination | undefined {
  const exitCode = numberAt(status, stateField, 'terminated', 'exitCode');
  if (exitCode === undefined) return undefined;
  return {
    exitCode,
    reason: stringAt(status, stateField, 'terminated', 'reason') ?? '',
    message: stringAt(status, stateField, 'terminated', 'message') ?? '',
  };
}

export function describeWaiting(container: ContainerView): string {
  const waiting = container.waiting;
  if (waiting === undefined) return `container "${container.name}" is waiting`;
  const detail = waiting.message === '' ? '' : `: ${waiting.message}`;
  return `container "${container.name}" is waiting: ${waiting.reason}${detail}`;
}

/** Why a terminated container failed, or undefined when it ended well. */
export function describeFailure(name: string, termination: ContainerTermination): string | undefined {
  if (termination.message !== '') return `container "${name}" failed: ${termination.message}`;
  if (termination.reason === 'OOMKilled') return `container "${name}" was OOMKilled`;
  if (termination.exitCode !== 0) {
    const reason = termination.reason === '' ? '' : ` (${termination.reason})`;
    return `container "${name}" failed with exit code ${termination.exitCode}${reason}`;
  }
  return undefined;
}
