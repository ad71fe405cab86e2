/**
 * The hooks an operation created, as the cluster has them: their records in operationState,
 * reading and observing them, and deleting them (still running, or by their delete policy).
 * Shared by the sync (steps/sync.ts) and the PostDelete hooks of a deleted app (post-delete.ts).
 */
import type { OperationHook, SyncPhaseName } from '../../api/application.js';
import { objectRefOf, versionOf, type KubeObject } from '../../api/object.js';
import { hookSpecOf } from '../../sync/hooks.js';
import { deletesItself, observeHook, ttlMarker } from '../../sync/progress.js';
import type { ReconcileDeps } from '../deps.js';
import type { DestinationPorts } from '../ports.js';

/** The record of a hook just created (Running; a Job that deletes itself is marked so, see observeHook). */
export function hookRecord(stored: KubeObject, phase: SyncPhaseName, wave: number): OperationHook {
  return {
    group: objectRefOf(stored).group, version: versionOf(stored.apiVersion), kind: stored.kind, namespace: stored.metadata.namespace ?? '',
    name: stored.metadata.name ?? '', ...(stored.metadata.uid !== undefined ? { uid: stored.metadata.uid } : {}),
    phase, wave, status: 'Running', ...(deletesItself(stored) ? { message: ttlMarker } : {}),
  };
}

/**
 * A hook's live object: the watch cache where its kind is watched, else the API server. The API
 * server is asked too when the cache has no object of that name (a hook just created is not in it
 * yet) or one of another uid: a cache that lags behind a watch (reconnecting after the API server
 * restarted, or slow under load) still holds the earlier hook this sync deleted, and taking that
 * for "replaced by another object" would fail the sync and run the hook again.
 */
export async function readHook(target: Pick<DestinationPorts, 'live'>, hook: OperationHook): Promise<KubeObject | undefined> {
  const ref = { group: hook.group, version: hook.version, kind: hook.kind, namespace: hook.namespace, name: hook.name };
  const cached = target.live.isWatched(ref) ? target.live.cached(ref) : undefined;
  if (cached !== undefined && (hook.uid === undefined || cached.metadata.uid === hook.uid)) return cached;
  return target.live.fetch(ref);
}

/** The hooks with the status their live objects show now (those already ended are kept as they are). */
export async function observeHooks(deps: ReconcileDeps, target: DestinationPorts, hooks: readonly OperationHook[]): Promise<OperationHook[]> {
  return Promise.all(hooks.map(async (h) => {
    if (h.status !== 'Running') return h;
    const live = await readHook(target, h);
    const seen = observeHook(h, live, live === undefined ? undefined : (await deps.health.assess(live))?.status);
    const { message: _old, ...rest } = h;
    return { ...rest, ...seen };
  }));
}

/** Deletes the hooks `which` selects, each only if it is still the object this operation made (its uid). */
export async function deleteHooks(target: DestinationPorts, hooks: readonly OperationHook[], which: (h: OperationHook, live: KubeObject) => boolean): Promise<void> {
  await Promise.all(hooks.map(async (h) => {
    const live = await readHook(target, h);
    if (live === undefined || (h.uid !== undefined && live.metadata.uid !== h.uid) || !which(h, live)) return;
    await target.applier.delete({ group: h.group, version: h.version, kind: h.kind, namespace: h.namespace, name: h.name }, {
      propagationPolicy: 'Background', ...(h.uid !== undefined ? { uid: h.uid } : {}),
    });
  }));
}

/** Whether an ended hook's delete policy removes it (HookSucceeded, HookFailed). */
export function removedByPolicy(h: OperationHook, live: KubeObject): boolean {
  const policies = hookSpecOf(live)?.deletePolicies;
  return (h.status === 'Succeeded' && policies?.has('HookSucceeded') === true) || (h.status === 'Failed' && policies?.has('HookFailed') === true);
}

/** Still running: what a terminate or a timeout stops. */
export const stillRunning = (h: OperationHook): boolean => h.status === 'Running';

/** The hooks with those still running marked Failed, for `why` (terminated, timed out). */
export function endRunning(hooks: readonly OperationHook[], why: string): OperationHook[] {
  return hooks.map((h) => (h.status === 'Running' ? { ...h, status: 'Failed' as const, message: why } : h));
}
