import { fieldManager } from '../../api/annotations.js';
import { reasons } from '../../api/conditions.js';
import { apiVersionOf, describeObject, formatResourceKey, type KubeObject } from '../../api/object.js';
import { fail, ok } from '../../api/result.js';
import { isForbidden, isInvalid, isNotFound, isUndeclaredField, KubeApiError } from '../../cluster/errors.js';
import { diffObjects, type FieldChange } from '../../diff/compare.js';
import { ignoreRulesFor, type IgnoreRule } from '../../diff/ignore.js';
import { nothingSelected, selectIgnoredPaths, type IgnoredPair, type SelectedPaths } from '../../diff/ignored-paths.js';
import { JqExpressionError } from '../../diff/jq/path-expressions.js';
import { sharedJqPathSelector } from '../../diff/jq/shared.js';
import { desiredRespectingIgnored } from '../../diff/respect-ignored.js';
import { appSyncOptions, resourceSyncOptions, validates } from '../../sync/options.js';
import { required, targetOf, type ReconcileContext, type Step } from '../context.js';
import { liveHash, objectHash } from '../diff-cache.js';
import type { LiveView } from './live.js';
import { TimeSlicer } from './time-slice.js';
import type { PreparedObject } from './prepare.js';

export interface ComparedObject {
  /**
   * The object to apply. Under RespectIgnoreDifferences=true its ignored fields already hold
   * their live values (desiredRespectingIgnored): the dry run predicted this object, and the
   * sync applies this object, never the one Git rendered.
   */
  readonly prepared: PreparedObject;
  readonly live: KubeObject | undefined;
  readonly inSync: boolean;
  readonly changes: readonly FieldChange[];
  /** The object as applying it would leave it (the dry run), when it could be asked. */
  readonly predicted?: KubeObject;
  /** A field that cannot change differs, and the object allows Force=true: the sync deletes and re-creates it. */
  readonly recreate: boolean;
  /** What the ignore rules' jq expressions selected in `predicted` and `live` (left out of `changes`). */
  readonly ignored?: SelectedPaths;
}

type DryRun =
  | { kind: 'predicted'; object: KubeObject; live: KubeObject | undefined }
  | { kind: 'namespace-missing' }
  | { kind: 'immutable'; message: string }
  | { kind: 'refused'; forbidden: boolean; message: string };

const missingNamespace = /namespaces? "[^"]*" not found/;

/** True for the API server's answer to a change of a field that cannot be changed. */
export function isImmutableFieldError(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 422 && /immutable/i.test(err.message);
}

function runDryRun(ctx: ReconcileContext, obj: KubeObject): Promise<KubeObject> {
  return ctx.deps.pools.dryRuns.add(() => targetOf(ctx).applier.dryRun(obj, { validate: validates(ctx.app, obj) }));
}

/**
 * The dry run of one object. Its result is compared with the live object only if both are the
 * same version of it (resourceVersion): when the watch cache lags behind (or a controller wrote
 * meanwhile), the object is read again, so a field someone else just changed never shows as a
 * difference of ours.
 */
async function dryRun(ctx: ReconcileContext, p: PreparedObject, cachedLive: KubeObject | undefined): Promise<DryRun> {
  const desiredHash = objectHash(p.object);
  const cached = ctx.deps.diffCache.get(p.trackingId, desiredHash, liveHash(cachedLive));
  if (cached !== undefined) return { kind: 'predicted', object: cached, live: cachedLive };
  let live = cachedLive;
  try {
    for (let attempt = 0; ; attempt++) {
      const predicted = await runDryRun(ctx, p.object);
      const consistent = live === undefined || predicted.metadata.resourceVersion === live.metadata.resourceVersion;
      if (consistent || attempt >= 2) {
        ctx.deps.diffCache.set(p.trackingId, desiredHash, liveHash(live), predicted);
        return { kind: 'predicted', object: predicted, live };
      }
      const fresh = await targetOf(ctx).live.fetch(p.ref);
      live = fresh;
      if (fresh !== undefined && fresh.metadata.resourceVersion === predicted.metadata.resourceVersion) {
        ctx.deps.diffCache.set(p.trackingId, desiredHash, liveHash(live), predicted);
        return { kind: 'predicted', object: predicted, live };
      }
    }
  } catch (err) {
    // The destination namespace does not exist yet (CreateNamespace creates it at sync time).
    if (live === undefined && isNotFound(err) && err instanceof KubeApiError && missingNamespace.test(err.message)) return { kind: 'namespace-missing' };
    if (isImmutableFieldError(err)) return { kind: 'immutable', message: (err as Error).message };
    if (isForbidden(err)) return { kind: 'refused', forbidden: true, message: (err as Error).message };
    if (isUndeclaredField(err)) {
      return { kind: 'refused', forbidden: false, message: `${(err as Error).message} (server-side apply never drops a field the kind's schema does not declare, Validate=false or not: remove it, or add it to the CRD's schema)` };
    }
    if (isInvalid(err)) return { kind: 'refused', forbidden: false, message: (err as Error).message };
    // A 404 for the resource itself: discovery's entry for it is stale. Forget it and retry.
    if (isNotFound(err)) targetOf(ctx).kinds.forget(apiVersionOf(p.info));
    // Anything else (throttling, an expired token, the API server failing) is retried with backoff.
    throw err;
  }
}

/**
 * The API server can quote a whole object back in a refusal: keep a message readable in a
 * condition. Its beginning names the field, its end says what is wrong ("field is immutable").
 */
const keptHead = 200;
const keptTail = 200;
const shortened = (message: string): string =>
  (message.length <= keptHead + keptTail ? message : `${message.slice(0, keptHead)} … ${message.slice(-keptTail)}`);

function compareOne(ctx: ReconcileContext, p: PreparedObject, outcome: DryRun, rules: readonly IgnoreRule[], selected: SelectedPaths): ComparedObject | string {
  const name = describeObject(p.key);
  switch (outcome.kind) {
    case 'namespace-missing':
      return { prepared: p, live: undefined, inSync: false, changes: [], recreate: false };
    case 'immutable': {
      const live = ctx.view?.live.get(formatResourceKey(p.key));
      // Force=true, or Replace=true (as `kubectl replace --force` would): delete it and create it again.
      const own = resourceSyncOptions(p.object);
      if ((own.force || own.replace || appSyncOptions(ctx.app).replace) && live !== undefined) {
        return { prepared: p, live, inSync: false, changes: [{ path: '', live: '(immutable fields)', desired: '(re-created)' }], recreate: true };
      }
      return `${name}: ${shortened(outcome.message)} (Replace=true or Force=true in its capstan.dev/sync-options lets Capstan delete and re-create it)`;
    }
    case 'refused':
      return `${name}: ${shortened(outcome.message)}`;
    case 'predicted': {
      if (outcome.live === undefined) return { prepared: p, live: undefined, inSync: false, changes: [], recreate: false };
      const diff = diffObjects(outcome.object, outcome.live, { ignore: rules, selected, manager: fieldManager });
      return { prepared: p, live: outcome.live, inSync: diff.equal, changes: diff.changes, recreate: false, predicted: outcome.object, ignored: selected };
    }
  }
}

/** Pairs to evaluate jq expressions on, with the position of the object each belongs to. */
type IndexedPairs = { readonly index: number; readonly pair: IgnoredPair }[];

async function selectIndexed(pairs: IndexedPairs, slicer: TimeSlicer): Promise<Map<number, SelectedPaths>> {
  const selected = await selectIgnoredPaths(sharedJqPathSelector(), pairs.map((p) => p.pair), () => slicer.pause());
  return new Map(pairs.map((p, n) => [p.index, selected[n] ?? nothingSelected]));
}

/**
 * RespectIgnoreDifferences=true: each object that exists, with its ignored fields at their live
 * values (desiredRespectingIgnored), so that the dry run predicts, and the sync applies, what
 * leaves them as they are. An object that does not exist yet is created as Git has it.
 */
async function respectingIgnored(ctx: ReconcileContext, candidates: readonly PreparedObject[], rules: readonly IgnoreRule[][], view: LiveView, slicer: TimeSlicer): Promise<PreparedObject[]> {
  const options = appSyncOptions(ctx.app);
  if (!options.respectIgnoreDifferences) return [...candidates];
  const pairs: IndexedPairs = candidates.flatMap((p, index) => {
    const live = view.live.get(formatResourceKey(p.key));
    const objectRules = rules[index] ?? [];
    return live === undefined || p.pendingKind || objectRules.length === 0 ? [] : [{ index, pair: { rules: objectRules, desired: p.object, live } }];
  });
  const selected = await selectIndexed(pairs, slicer);
  const pairOf = new Map(pairs.map((x) => [x.index, x.pair]));
  return candidates.map((p, index) => {
    const pair = pairOf.get(index);
    if (pair === undefined) return p;
    const chosen = selected.get(index) ?? nothingSelected;
    const pointers = pair.rules.flatMap((r) => r.pointers);
    const object = desiredRespectingIgnored(p.object, pair.live, {
      desired: [...pointers, ...chosen.desired], live: [...pointers, ...chosen.live], managers: pair.rules.flatMap((r) => r.managers ?? []),
    }, { manager: fieldManager, replace: resourceSyncOptions(p.object).replace || options.replace, tracking: targetOf(ctx).live.tracking });
    return object === p.object ? p : { ...p, object };
  });
}

/**
 * The compared objects with their ignored fields at their live values, when `ctx.app`'s sync
 * options (with an operation's added) say RespectIgnoreDifferences=true; as they are otherwise.
 * For a sync whose operation turns the option on while the app's spec does not (the compare
 * step has already applied the spec's). Throws JqExpressionError like the compare step.
 */
export async function respectingIgnoredCompared(ctx: ReconcileContext, compared: readonly ComparedObject[], view: LiveView): Promise<ComparedObject[]> {
  if (!appSyncOptions(ctx.app).respectIgnoreDifferences) return [...compared];
  const prepared = compared.map((c) => c.prepared);
  const rules = prepared.map((p) => ignoreRulesFor(p.key, ctx.app.spec.ignoreDifferences));
  const respected = await respectingIgnored(ctx, prepared, rules, view, new TimeSlicer());
  return compared.map((c, i) => ({ ...c, prepared: respected[i] ?? c.prepared }));
}

/** What the jq expressions select in each dry run and its live object. */
function selectForDiff(outcomes: readonly (DryRun | undefined)[], rules: readonly IgnoreRule[][], slicer: TimeSlicer): Promise<Map<number, SelectedPaths>> {
  const pairs: IndexedPairs = outcomes.flatMap((outcome, index) => {
    const objectRules = rules[index] ?? [];
    if (outcome?.kind !== 'predicted' || outcome.live === undefined || !objectRules.some((r) => (r.expressions?.length ?? 0) > 0)) return [];
    return [{ index, pair: { rules: objectRules, desired: outcome.object, live: outcome.live } }];
  });
  return selectIndexed(pairs, slicer);
}

/**
 * Compares each desired object with its live object through a server-side apply dry run: the
 * object is in sync when applying it would change nothing Capstan sets. Objects that do not
 * exist (or whose kind is not served yet) are out of sync; the dry run still validates the
 * others, so an invalid object fails the comparison before anything is applied. Only 400 and
 * 422 are the API server's verdict on an object, 403 is a permission problem; any other error
 * is retried.
 */
export const compare: Step = {
  name: 'compare',
  run: async (ctx) => {
    const prepared = required(ctx.prepared, 'the prepared objects');
    const view = required(ctx.view, 'the live view');
    const sharedKeys = new Set(view.shared.map((s) => formatResourceKey(s.key)));
    const shown = prepared.filter((p) => !sharedKeys.has(formatResourceKey(p.key)));
    const rules = shown.map((p) => ignoreRulesFor(p.key, ctx.app.spec.ignoreDifferences));
    // Hashing and diffing thousands of objects is cut into slices: watches, webhooks and lease
    // renewals get their turns in between.
    const slicer = new TimeSlicer();
    let candidates: PreparedObject[];
    let outcomes: DryRun[];
    let selected: Map<number, SelectedPaths>;
    try {
      candidates = await respectingIgnored(ctx, shown, rules, view, slicer);
      outcomes = await Promise.all(candidates.map(async (p): Promise<DryRun> => {
        if (p.pendingKind) return { kind: 'predicted', object: p.object, live: undefined };
        await slicer.pause();
        return dryRun(ctx, p, view.live.get(formatResourceKey(p.key)));
      }));
      selected = await selectForDiff(outcomes, rules, slicer);
    } catch (err) {
      // An expression that runs too long or exhausts jq's memory: the spec says what to fix.
      if (err instanceof JqExpressionError) return fail(reasons.invalidSpec, `${err.message}; nothing was applied`);
      throw err;
    }
    const forbidden: string[] = [];
    const invalid: string[] = [];
    const compared: ComparedObject[] = [];
    for (const [i, p] of candidates.entries()) {
      const outcome = outcomes[i];
      if (outcome === undefined) continue;
      await slicer.pause();
      const result = compareOne(ctx, p, outcome, rules[i] ?? [], selected.get(i) ?? nothingSelected);
      if (typeof result !== 'string') compared.push(result);
      else (outcome.kind === 'refused' && outcome.forbidden ? forbidden : invalid).push(result);
    }
    ctx.deps.diffCache.retainApp(`${ctx.key.namespace}/${ctx.key.name}`, new Set(prepared.map((p) => p.trackingId)));
    if (forbidden.length > 0) return fail(reasons.permissionDenied, `not allowed: ${forbidden.slice(0, 5).join('; ')}`);
    if (invalid.length > 0) return fail(reasons.invalidObject, `the API server rejects ${invalid.slice(0, 5).join('; ')}; nothing was applied`);
    ctx.compared = compared;
    return ok(undefined);
  },
};
