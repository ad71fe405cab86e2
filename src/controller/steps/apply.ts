/**
 * The writes of a sync, over the API server: apply (or replace, or re-create), prune, and create
 * hooks. The waits here are short and bounded (a CRD applied a moment ago becoming served, an
 * object being deleted so that it can be created again); waiting for health is never done here.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { syncIdAnnotation } from '../../api/annotations.js';
import { formatAppKey } from '../../api/tracking.js';
import type { Application } from '../../api/application.js';
import { describeObject, formatResourceKey, objectRefOf, type KubeObject, type ResourceKey } from '../../api/object.js';
import { isConflict, isUndeclaredField, KubeApiError, KubeConnectionError, NotLeaderError } from '../../cluster/errors.js';
import { hookSpecOf } from '../../sync/hooks.js';
import { appSyncOptions, resourceSyncOptions, validates } from '../../sync/options.js';
import type { ApplyMode, PlanStep } from '../../sync/plan.js';
import type { Applier as StepApplier } from '../../sync/ports.js';
import { targetOf, type ReconcileContext } from '../context.js';
import { liveHash, objectHash } from '../diff-cache.js';
import type { ComparedObject } from './compare.js';
import { placeObject, type PreparedObject } from './prepare.js';

/**
 * Errors that say nothing about the objects: the sync stops and the reconcile is retried with
 * backoff (shown as Reconciling), instead of failing the operation. 401 (an expired token),
 * 408, 409, 429 (throttling), 5xx, connection failures and timeouts; a lost lease too.
 */
export function isRetryableError(err: unknown): boolean {
  if (err instanceof NotLeaderError || err instanceof KubeConnectionError) return true;
  if (err instanceof KubeApiError) return !isUndeclaredField(err) && ([401, 408, 409, 429].includes(err.status) || err.status >= 500);
  return err instanceof Error && /timed out/.test(err.message);
}

const pollMs = 250;
/** The longest a write waits for the API server to catch up (a kind to be served, a deletion to finish). */
const catchUpMs = 30_000;

/** The prepared object with the kind as served now (its CRD was applied earlier in this sync). */
async function servedInfo(ctx: ReconcileContext, p: PreparedObject): Promise<PreparedObject> {
  const deadline = Date.now() + catchUpMs;
  for (;;) {
    const info = await targetOf(ctx).kinds.resolve(p.object.apiVersion, p.key.kind);
    if (info !== undefined) {
      if (info.namespaced === p.info.namespaced) return { ...p, info };
      const placed = placeObject(ctx.app, p.object, info, false, targetOf(ctx).live.tracking);
      if (placed === undefined) throw new Error(`${describeObject(p.key)}: no namespace for it; set metadata.namespace or spec.destination.namespace`);
      return placed;
    }
    if (Date.now() > deadline || ctx.signal.aborted) {
      throw new Error(`${describeObject(p.key)}: the cluster does not serve ${p.object.apiVersion} ${p.key.kind} (is its CustomResourceDefinition in an earlier wave, and Established?)`);
    }
    await sleep(pollMs, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

/** Deletes an object and waits (briefly) until it is gone, so that it can be created again. */
async function deleteAndWait(ctx: ReconcileContext, live: KubeObject, propagationPolicy: 'Foreground' | 'Background'): Promise<void> {
  const ref = objectRefOf(live);
  await targetOf(ctx).applier.delete(ref, { propagationPolicy, ...(live.metadata.uid !== undefined ? { uid: live.metadata.uid } : {}) });
  const deadline = Date.now() + catchUpMs;
  while ((await targetOf(ctx).live.fetch(ref)) !== undefined) {
    // 409: the reconcile is retried with backoff, and the deletion is looked at again then.
    if (Date.now() > deadline || ctx.signal.aborted) throw new KubeApiError(409, 'Conflict', `${describeObject(ref)}: still being deleted, so it could not be created again yet`);
    await sleep(pollMs, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

/** The stamp a sync puts on the hooks it creates: `<syncId>/<phase>`. */
export function hookStamp(syncId: string, phase: string): string {
  return `${syncId}/${phase}`;
}

function stamped(obj: KubeObject, stamp: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [syncIdAnnotation]: stamp } } };
}

/** A hook this sync created before (a resumed sync, or a retried wave): found by its stamp. */
function createdBefore(ctx: ReconcileContext, hook: KubeObject, stamp: string): KubeObject | undefined {
  const generateName = hook.metadata.generateName;
  return targetOf(ctx).live.trackedBy(ctx.key).find((o) =>
    o.metadata.annotations?.[syncIdAnnotation] === stamp && o.kind === hook.kind && (o.metadata.namespace ?? '') === (hook.metadata.namespace ?? '')
    && (hook.metadata.name !== undefined ? o.metadata.name === hook.metadata.name : generateName !== undefined && o.metadata.name?.startsWith(generateName) === true));
}

/**
 * Creates a hook for this sync. One created by this very sync is taken as it is (nothing runs
 * twice). An earlier one of the same name is deleted first (BeforeHookCreation, the default);
 * without that policy it is applied over, as Argo CD does.
 */
async function createHook(ctx: ReconcileContext, step: PlanStep, syncId: string): Promise<KubeObject> {
  const stamp = hookStamp(syncId, step.phase);
  const object = stamped(step.object, stamp);
  const known = createdBefore(ctx, object, stamp);
  if (known !== undefined) return known;
  if (object.metadata.name !== undefined) {
    const live = await targetOf(ctx).live.fetch(objectRefOf(object));
    if (live !== undefined && live.metadata.annotations?.[syncIdAnnotation] === stamp) return live;
    if (live !== undefined) {
      // Only this app's own earlier hook is replaced: never another app's object, nor one Capstan did not make.
      const owner = targetOf(ctx).live.tracking.trackedAs(live);
      if (owner === undefined || formatAppKey(owner.app) !== formatAppKey(ctx.key)) {
        const whose = owner === undefined ? 'it was not made by Capstan' : `it belongs to Application ${formatAppKey(owner.app)}`;
        throw new Error(`${describeObject(step.key, { withNamespace: true })} exists and ${whose}: the hook was not created (rename the hook, or delete that object)`);
      }
      if (hookSpecOf(object)?.deletePolicies.has('BeforeHookCreation') !== true) return targetOf(ctx).applier.apply(object, { validate: validates(ctx.app, object) });
      await deleteAndWait(ctx, live, 'Background');
    }
  }
  try {
    return await targetOf(ctx).applier.create(object, { validate: validates(ctx.app, object) });
  } catch (err) {
    // Still there (being deleted): the wave is retried with backoff.
    if (isConflict(err)) throw new KubeApiError(409, 'Conflict', `${describeObject(step.key)}: an earlier hook of this name is still being deleted`);
    throw err;
  }
}

/** The writes of one sync, for the wave runner. */
export function stepApplier(ctx: ReconcileContext, compared: readonly ComparedObject[], syncId: string): StepApplier {
  const byKey = new Map(compared.map((c) => [formatResourceKey(c.prepared.key), c]));
  const prune = appSyncOptions(ctx.app).prunePropagationPolicy;
  return {
    apply: async (obj, mode) => {
      const c = byKey.get(formatResourceKey(objectRefOf(obj)));
      const prepared = c === undefined ? undefined : c.prepared.pendingKind ? await servedInfo(ctx, c.prepared) : c.prepared;
      const object = prepared?.object ?? obj;
      if (mode === 'recreate' && c?.live !== undefined) await deleteAndWait(ctx, c.live, 'Foreground');
      const write = { validate: validates(ctx.app, object) };
      const stored = mode === 'replace' ? await targetOf(ctx).applier.replace(object, write) : await targetOf(ctx).applier.apply(object, write);
      // Applying the same object again would change nothing: the next comparison needs no dry run.
      if (prepared !== undefined) ctx.deps.diffCache.set(prepared.trackingId, objectHash(prepared.object), liveHash(stored), stored);
      return { stored, created: c?.live === undefined || mode === 'recreate' };
    },
    createHook: (step) => createHook(ctx, step, syncId),
    delete: (key: ResourceKey, obj: KubeObject) =>
      targetOf(ctx).applier.delete({ ...key, version: objectRefOf(obj).version }, {
        propagationPolicy: prune, ...(obj.metadata.uid !== undefined ? { uid: obj.metadata.uid } : {}),
      }),
  };
}

/** How an object is written: re-created (Force=true over a field that cannot change), replaced (Replace=true), or applied. */
export function modeOf(app: Application, c: ComparedObject): ApplyMode {
  if (c.recreate) return 'recreate';
  const own = resourceSyncOptions(c.prepared.object);
  if (own.replace && own.force && c.live !== undefined) return 'recreate';
  return own.replace || appSyncOptions(app).replace ? 'replace' : 'apply';
}
