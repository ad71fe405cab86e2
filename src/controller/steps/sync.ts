import { setTimeout as sleep } from 'node:timers/promises';
import type { Application, OperationResourceResult } from '../../api/application.js';
import { describeObject, formatResourceKey, objectRefOf, type KubeObject, type ResourceKey } from '../../api/object.js';
import { KubeApiError, KubeConnectionError, NotLeaderError } from '../../cluster/errors.js';
import { assessHealth } from '../../health/registry.js';
import { executePlan, type ExecutionResult } from '../../sync/executor.js';
import { appSyncOptions, hookTypes, resourceSyncOptions, syncWave } from '../../sync/options.js';
import { planSync, type ApplyMode, type PlanWave, type SkippedStep } from '../../sync/plan.js';
import type { Applier as StepApplier, HealthProbe } from '../../sync/ports.js';
import type { ReconcileContext } from '../context.js';
import { liveHash, objectHash } from '../diff-cache.js';
import type { ComparedObject } from './compare.js';
import type { LiveView } from './live.js';
import { placeObject, type PreparedObject } from './prepare.js';

export interface SyncOutcome {
  readonly ok: boolean;
  readonly interrupted: boolean;
  readonly message: string;
  readonly records: OperationResourceResult[];
  readonly applied: Map<string, KubeObject>;
  readonly pruned: Set<string>;
  readonly skipped: SkippedStep[];
  /** The plan was refused before anything ran (allowEmpty). */
  readonly refusedEmpty: boolean;
}

/**
 * Errors that say nothing about the objects: the sync stops and the reconcile is retried with
 * backoff (shown as Reconciling), instead of failing the operation. 401 (an expired token),
 * 408, 409, 429 (throttling), 5xx, connection failures and timeouts; a lost lease too.
 */
export function isRetryableError(err: unknown): boolean {
  if (err instanceof NotLeaderError || err instanceof KubeConnectionError) return true;
  if (err instanceof KubeApiError) return [401, 408, 409, 429].includes(err.status) || err.status >= 500;
  return err instanceof Error && /timed out/.test(err.message);
}

const kindPollMs = 500;

/** Waits until the API server serves the kind of a pending object (its CRD was applied earlier in the sync). */
async function servedInfo(ctx: ReconcileContext, p: PreparedObject): Promise<PreparedObject> {
  const deadline = Date.now() + ctx.deps.settings.waveTimeoutMs;
  for (;;) {
    const info = await ctx.deps.kinds.resolve(p.object.apiVersion, p.key.kind);
    if (info !== undefined) {
      if (info.namespaced === p.info.namespaced) return { ...p, info };
      const placed = placeObject(ctx.app, p.object, info, false);
      if (placed === undefined) throw new Error(`${describeObject(p.key)}: no namespace for it; set metadata.namespace or spec.destination.namespace`);
      return placed;
    }
    if (Date.now() > deadline || ctx.signal.aborted) {
      throw new Error(`${describeObject(p.key)}: the cluster does not serve ${p.object.apiVersion} ${p.key.kind} (is its CustomResourceDefinition in an earlier wave, and Established?)`);
    }
    await sleep(kindPollMs, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

/** Deletes an object and waits until it is gone, so that it can be created again. */
async function deleteAndWait(ctx: ReconcileContext, live: KubeObject): Promise<void> {
  const ref = objectRefOf(live);
  await ctx.deps.applier.delete(ref, { propagationPolicy: 'Foreground', ...(live.metadata.uid !== undefined ? { uid: live.metadata.uid } : {}) });
  const deadline = Date.now() + ctx.deps.settings.waveTimeoutMs;
  while ((await ctx.deps.live.fetch(ref)) !== undefined) {
    if (Date.now() > deadline || ctx.signal.aborted) throw new Error(`${describeObject(ref)}: still being deleted, so it could not be re-created yet`);
    await sleep(kindPollMs, undefined, { signal: ctx.signal }).catch(() => undefined);
  }
}

function applierFor(ctx: ReconcileContext, compared: readonly ComparedObject[]): StepApplier {
  const byKey = new Map(compared.map((c) => [formatResourceKey(c.prepared.key), c]));
  const prune = appSyncOptions(ctx.app).prunePropagationPolicy;
  return {
    apply: async (obj, mode) => {
      const c = byKey.get(formatResourceKey(objectRefOf(obj)));
      const prepared = c === undefined ? undefined : c.prepared.pendingKind ? await servedInfo(ctx, c.prepared) : c.prepared;
      const object = prepared?.object ?? obj;
      if (mode === 'recreate' && c?.live !== undefined) await deleteAndWait(ctx, c.live);
      const stored = mode === 'replace' ? await ctx.deps.applier.replace(object) : await ctx.deps.applier.apply(object);
      // Applying the same object again would change nothing: the next comparison needs no dry run.
      if (prepared !== undefined) ctx.deps.diffCache.set(prepared.trackingId, objectHash(prepared.object), liveHash(stored), stored);
      return { stored, created: c?.live === undefined || mode === 'recreate' };
    },
    delete: (key: ResourceKey, obj: KubeObject) =>
      ctx.deps.applier.delete({ ...key, version: objectRefOf(obj).version }, {
        propagationPolicy: prune, ...(obj.metadata.uid !== undefined ? { uid: obj.metadata.uid } : {}),
      }),
  };
}

/** Health between waves, from the watch cache where the kind is watched, else from the API server. */
function healthProbe(ctx: ReconcileContext, compared: readonly ComparedObject[]): HealthProbe {
  const refs = new Map(compared.map((c) => [formatResourceKey(c.prepared.key), c.prepared.ref]));
  return async (key) => {
    const ref = refs.get(formatResourceKey(key)) ?? { ...key, version: 'v1' };
    const obj = ctx.deps.live.isWatched(ref) ? ctx.deps.live.cached(ref) : await ctx.deps.live.fetch(ref);
    if (obj === undefined) return 'Missing';
    return assessHealth(obj)?.status ?? 'Healthy';
  };
}

/** Every desired object of the Sync phase in a wave before `wave`, applied now or already in sync. */
function earlierWaveMembers(compared: readonly ComparedObject[]): (wave: PlanWave) => ResourceKey[] {
  const members = compared
    .filter((c) => hookTypes(c.prepared.object).length === 0)
    .map((c) => ({ key: c.prepared.key, wave: syncWave(c.prepared.object) }));
  return (wave) => (wave.phase === 'Sync' ? members.filter((m) => m.wave < wave.wave).map((m) => m.key) : []);
}

/** Creates the destination namespace when the app asks for it (CreateNamespace=true); a record when it did. */
async function ensureNamespace(ctx: ReconcileContext, app: Application): Promise<OperationResourceResult | undefined> {
  const name = app.spec.destination.namespace;
  if (name === undefined || name === '' || !appSyncOptions(app).createNamespace) return undefined;
  const ref = { group: '', version: 'v1', kind: 'Namespace', namespace: '', name };
  if ((await ctx.deps.live.fetch(ref)) !== undefined) return undefined;
  await ctx.deps.applier.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return { group: '', kind: 'Namespace', namespace: '', name, action: 'created', message: 'CreateNamespace=true' };
}

function modeOf(app: Application, c: ComparedObject): ApplyMode {
  if (c.recreate) return 'recreate';
  const own = resourceSyncOptions(c.prepared.object);
  if (own.replace && own.force && c.live !== undefined) return 'recreate';
  return own.replace || appSyncOptions(app).replace ? 'replace' : 'apply';
}

export interface RunSyncOptions {
  readonly prune: boolean;
  /**
   * Called before a sync that will wait (for a later wave's prerequisites, a kind to be served,
   * or an object to be deleted before it is created again), so that status shows it Running
   * meanwhile. A sync of one wave that waits for nothing is not announced: it is over at once.
   */
  readonly beforeWaiting: () => Promise<void>;
}

/** Plans and runs one sync: apply what differs, prune what Git dropped (when allowed), wave by wave. */
export async function runSync(ctx: ReconcileContext, compared: readonly ComparedObject[], view: LiveView, options: RunSyncOptions): Promise<SyncOutcome> {
  const { app } = ctx;
  const appOptions = appSyncOptions(app);
  const plan = planSync(
    compared.map((c) => ({ key: c.prepared.key, object: c.prepared.object, inSync: c.inSync, mode: modeOf(app, c) })),
    view.prunable,
    { prune: options.prune, allowEmpty: app.spec.syncPolicy?.automated?.allowEmpty ?? false, pruneLast: appOptions.pruneLast, applyOutOfSyncOnly: appOptions.applyOutOfSyncOnly },
  );
  const empty = { records: [], applied: new Map<string, KubeObject>(), pruned: new Set<string>(), skipped: [] };
  if (!plan.ok) return { ok: false, interrupted: false, message: plan.message, refusedEmpty: true, ...empty };
  if (appOptions.failOnSharedResource && view.shared.length > 0) {
    const names = view.shared.map((s) => `${describeObject(s.key)} (owned by ${s.owner})`).join(', ');
    return { ok: false, interrupted: false, message: `FailOnSharedResource=true: ${names} belong to another Application`, refusedEmpty: false, ...empty };
  }
  const waits = plan.waves.length > 1 || compared.some((c) => c.prepared.pendingKind || modeOf(app, c) === 'recreate');
  if (waits) await options.beforeWaiting();
  const namespaceRecord = await ensureNamespace(ctx, app);
  const result: ExecutionResult = await executePlan(plan.waves, {
    applier: applierFor(ctx, compared),
    health: healthProbe(ctx, compared),
    waveTimeoutMs: ctx.deps.settings.waveTimeoutMs,
    signal: ctx.signal,
    prerequisites: earlierWaveMembers(compared),
    isRetryable: isRetryableError,
  });
  const records = namespaceRecord === undefined ? result.records : [namespaceRecord, ...result.records];
  const pruned = new Set(
    records.filter((r) => r.action === 'pruned' || (r.action === 'unchanged' && r.message === 'already gone'))
      .map((r) => formatResourceKey({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name })),
  );
  return { ok: result.ok, interrupted: result.interrupted, message: result.message, records, applied: result.applied, pruned, skipped: plan.skipped, refusedEmpty: false };
}

