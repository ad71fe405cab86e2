/**
 * Where a running sync stands and what it must wait for before its next wave (pure). A sync is
 * a sequence of waves (PreSync, Sync, PostSync; SyncFail after a failure); between waves it
 * waits for hooks to complete and for earlier objects to be healthy. Nothing here waits: the
 * controller asks again on its next reconcile.
 */
import type { HookStatusCode, OperationHook, SyncPhaseName } from '../api/application.js';
import type { HealthStatus } from '../api/health.js';
import type { KubeObject, ResourceKey } from '../api/object.js';
import { boundList } from '../api/text.js';
import { comparePhaseWave } from './order.js';
import type { PlanWave } from './plan.js';

/** The wave a sync applied last. */
export interface Cursor {
  readonly phase: SyncPhaseName;
  readonly wave: number;
}

/** The first wave after `cursor` (all of them when there is none yet). */
export function nextWave(waves: readonly PlanWave[], cursor: Cursor | undefined): PlanWave | undefined {
  if (cursor === undefined) return waves[0];
  return waves.find((w) => comparePhaseWave(w, cursor) > 0);
}

/** A desired object (not a hook) and its health now. */
export interface Member {
  readonly key: ResourceKey;
  readonly phase: 'Sync';
  readonly wave: number;
  readonly health: HealthStatus;
}

export type Readiness =
  | { readonly kind: 'ready' }
  | { readonly kind: 'waiting'; readonly what: string }
  | { readonly kind: 'failed'; readonly message: string };

const nameOf = (k: { kind: string; name: string }): string => `${k.kind}/${k.name}`;

function before(next: PlanWave | undefined): string {
  return next === undefined ? 'before the sync can finish' : `before ${next.phase} wave ${next.wave}`;
}

/**
 * What must be done before `next` starts (undefined `next`: before the operation ends): every
 * hook of an earlier wave complete, and, before a Sync wave, every object of an earlier Sync
 * wave healthy; before PostSync, every object of the Sync phase. Suspended counts as done (a
 * suspended CronJob never becomes anything else); Degraded, or a failed hook, fails the sync.
 */
export function readiness(next: PlanWave | undefined, hooks: readonly OperationHook[], members: readonly Member[]): Readiness {
  const earlierHooks = hooks.filter((h) => next === undefined || comparePhaseWave(h, next) < 0);
  const failedHooks = earlierHooks.filter((h) => h.status === 'Failed');
  if (failedHooks.length > 0) {
    const first = failedHooks[0];
    const why = first?.message !== undefined ? `: ${first.message}` : '';
    return { kind: 'failed', message: `${first?.phase ?? ''} hook ${boundList(failedHooks.map(nameOf))} failed${why}` };
  }
  const running = earlierHooks.filter((h) => h.status === 'Running');
  const waitedMembers = next === undefined || next.phase === 'PreSync' || next.phase === 'SyncFail' ? []
    : members.filter((m) => next.phase === 'PostSync' || m.wave < next.wave);
  const degraded = waitedMembers.filter((m) => m.health === 'Degraded');
  if (degraded.length > 0) return { kind: 'failed', message: `${boundList(degraded.map((m) => nameOf(m.key)))} degraded ${before(next)}` };
  const unhealthy = waitedMembers.filter((m) => m.health !== 'Healthy' && m.health !== 'Suspended');
  const parts = [
    ...(running.length > 0 ? [`hook ${boundList(running.map(nameOf))} to complete`] : []),
    ...(unhealthy.length > 0 ? [`${boundList(unhealthy.map((m) => nameOf(m.key)))} to become healthy`] : []),
  ];
  if (parts.length === 0) return { kind: 'ready' };
  return { kind: 'waiting', what: `${parts.join(' and ')} ${before(next)}` };
}

/**
 * A hook's status from its live object. Kinds with a health rule (Job, Pod, …) complete when
 * Healthy and fail when Degraded; kinds without one are done once created. A hook that is gone
 * keeps a final status it had; one that vanished while running counts as done only if it was a
 * Job that deletes itself after it finishes (ttlSecondsAfterFinished).
 */
export function observeHook(recorded: OperationHook, live: KubeObject | undefined, health: HealthStatus | undefined): { status: HookStatusCode; message?: string } {
  if (recorded.status !== 'Running') return { status: recorded.status, ...(recorded.message !== undefined ? { message: recorded.message } : {}) };
  if (live === undefined) {
    return recorded.kind === 'Job' && recorded.message === ttlMarker
      ? { status: 'Succeeded', message: 'deleted by ttlSecondsAfterFinished after it finished' }
      : { status: 'Failed', message: 'deleted before it completed' };
  }
  if (live.metadata.uid !== undefined && recorded.uid !== undefined && live.metadata.uid !== recorded.uid) {
    return { status: 'Failed', message: 'replaced by another object of the same name before it completed' };
  }
  if (health === undefined || health === 'Healthy') return { status: 'Succeeded' };
  if (health === 'Degraded') return { status: 'Failed', message: 'failed' };
  return { status: 'Running', ...(deletesItself(live) ? { message: ttlMarker } : {}) };
}

/** Recorded on a running Job hook that deletes itself when finished, so that its absence later reads as finished. */
export const ttlMarker = 'deletes itself when finished';

/** A Job with ttlSecondsAfterFinished: the TTL controller deletes it once it finished. */
export function deletesItself(obj: KubeObject): boolean {
  if (obj.kind !== 'Job') return false;
  const spec = obj['spec'];
  return typeof spec === 'object' && spec !== null && typeof (spec as Record<string, unknown>)['ttlSecondsAfterFinished'] === 'number';
}
