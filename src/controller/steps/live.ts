import type { Application, ManagedKind } from '../../api/application.js';
import { adoptedAnnotation } from '../../api/annotations.js';
import { reasons } from '../../api/conditions.js';
import {
  apiVersionOf, describeObject, formatGvk, formatResourceKey, gvkOf, resourceKeyOf, sameResource,
  type GroupVersionKind, type KubeObject, type ResourceKey,
} from '../../api/object.js';
import { fail, ok } from '../../api/result.js';
import { boundList } from '../../api/text.js';
import { appKeyOf, formatAppKey, type AppKey } from '../../api/tracking.js';
import type { ResourceInfo } from '../../cluster/discovery.js';
import { isForbidden } from '../../cluster/errors.js';
import { isHook } from '../../sync/hooks.js';
import type { PrunableItem } from '../../sync/plan.js';
import { required, targetOf, type ReconcileContext, type Step } from '../context.js';
import type { PreparedObject } from './prepare.js';
import { trackedObjectProblem } from './project.js';

export interface SharedObject {
  readonly key: ResourceKey;
  /** 'ns/name' of the Application that owns it. */
  readonly owner: string;
}

export interface LiveView {
  /** Live objects by formatted resource key, for the desired objects that exist. */
  readonly live: Map<string, KubeObject>;
  /** Desired objects that another Application owns: left alone. */
  readonly shared: SharedObject[];
  /** Objects this app tracks that Git no longer declares. */
  readonly prunable: PrunableItem[];
  /**
   * Objects this app tracks that Git no longer declares and its project does not permit (kind or
   * namespace): left alone, as Argo CD leaves them, never pruned; each with the rule.
   */
  readonly notPermitted?: { readonly key: ResourceKey; readonly problem: string }[];
  /** Every kind the app has, or will have, objects of (status.managedKinds). */
  readonly kinds: ManagedKind[];
}

const kindOf = (gvk: GroupVersionKind): ManagedKind => ({ group: gvk.group, version: gvk.version, kind: gvk.kind });

/**
 * The kinds to watch: those of the desired objects the cluster serves, and those the app had
 * objects of before (status.managedKinds, complete even when status.resources is summarised;
 * status.resources too, as older controllers recorded only that), so that what Git dropped can
 * be pruned after a restart.
 */
async function kindsToWatch(ctx: ReconcileContext, prepared: readonly PreparedObject[]): Promise<ResourceInfo[]> {
  const infos = new Map<string, ResourceInfo>();
  for (const p of prepared) if (!p.pendingKind) infos.set(formatGvk(p.info), p.info);
  const status = ctx.app.status;
  const recorded = [...(status?.managedKinds ?? []), ...(status?.resources ?? []).filter((r) => r.version !== '')];
  for (const r of recorded) {
    if (infos.has(formatGvk(r))) continue;
    const info = await targetOf(ctx).kinds.resolve(apiVersionOf(r), r.kind);
    if (info !== undefined) infos.set(formatGvk(info), info);
  }
  return [...infos.values()];
}

/** The live object of a desired one: the watch cache, else (an object not labelled yet) the API server. */
async function liveObject(ctx: ReconcileContext, p: PreparedObject): Promise<KubeObject | undefined> {
  if (p.pendingKind) return undefined;
  const cached = targetOf(ctx).live.cached(p.ref);
  if (cached !== undefined) return cached;
  return ctx.deps.pools.reads.add(() => targetOf(ctx).live.fetch(p.ref));
}

/**
 * Whether the Application a tracking id names exists: the watch cache first, then the API
 * server (asked only for an owner the cache does not hold). When it cannot be told (the owner's
 * namespace is not readable), it is taken to exist: its object is left alone.
 */
async function ownerExists(ctx: ReconcileContext, owner: AppKey): Promise<boolean> {
  if (ctx.deps.apps.get(owner) !== undefined) return true;
  try {
    return (await ctx.deps.apps.fetch(owner)) !== undefined;
  } catch {
    return true;
  }
}

/** Marks a desired object as adopted, so that it is applied with (and keeps) the annotation. */
function markAdopted(p: PreparedObject): void {
  p.object.metadata.annotations = { ...(p.object.metadata.annotations ?? {}), [adoptedAnnotation]: 'true' };
}

/** The live view, and the desired objects whose tracking id names an Application that does not exist. */
async function readLiveView(ctx: ReconcileContext, app: Application, prepared: readonly PreparedObject[], hooks: readonly PreparedObject[]): Promise<{ view: LiveView; orphaned: SharedObject[] }> {
  // Hooks' kinds are watched too: a sync waits on their completion.
  await targetOf(ctx).live.watch(await kindsToWatch(ctx, [...prepared, ...hooks]));
  const self = formatAppKey(appKeyOf(app));
  const live = new Map<string, KubeObject>();
  const others: { key: ResourceKey; owner: AppKey }[] = [];
  const found = await Promise.all(prepared.map((p) => liveObject(ctx, p)));
  prepared.forEach((p, i) => {
    const obj = found[i];
    if (obj === undefined) return;
    const owner = targetOf(ctx).live.tracking.trackedAs(obj);
    if (owner !== undefined && formatAppKey(owner.app) !== self) {
      others.push({ key: p.key, owner: owner.app });
      return;
    }
    // An object that exists untracked is adopted; one adopted before stays so (see adoptedAnnotation).
    if (owner === undefined || obj.metadata.annotations?.[adoptedAnnotation] === 'true') markAdopted(p);
    live.set(formatResourceKey(p.key), obj);
  });
  const shared: SharedObject[] = [];
  const orphaned: SharedObject[] = [];
  const exists = new Map<string, boolean>();
  for (const o of others) {
    const owner = formatAppKey(o.owner);
    if (!exists.has(owner)) exists.set(owner, await ownerExists(ctx, o.owner));
    (exists.get(owner) === true ? shared : orphaned).push({ key: o.key, owner });
  }
  const desired = new Set(prepared.map((p) => formatResourceKey(p.key)));
  const desiredUids = new Set([...live.values()].map((o) => o.metadata.uid).filter((u) => u !== undefined));
  const prunable: PrunableItem[] = [];
  const notPermitted: NonNullable<LiveView['notPermitted']> = [];
  const kinds = new Map<string, ManagedKind>();
  for (const p of prepared) kinds.set(formatGvk(p.info), kindOf(p.info));
  for (const obj of targetOf(ctx).live.trackedBy(appKeyOf(app))) {
    const parsed = targetOf(ctx).live.tracking.trackedAs(obj);
    const key = resourceKeyOf(obj);
    if (parsed === undefined || !sameResource(parsed.key, key)) continue; // a copy of a tracked object: not ours to delete
    kinds.set(formatGvk(gvkOf(obj)), kindOf(gvkOf(obj)));
    if (desired.has(formatResourceKey(key)) || obj.metadata.deletionTimestamp !== undefined) continue;
    // A hook a sync created is the sync's record, not state: its delete policy removes it.
    if (isHook(obj)) continue;
    // The same object seen through another API group (an Ingress moved from extensions to networking.k8s.io).
    if (obj.metadata.uid !== undefined && desiredUids.has(obj.metadata.uid)) continue;
    const problem = ctx.project === undefined ? undefined : trackedObjectProblem(ctx.project, obj, targetOf(ctx));
    if (problem !== undefined) notPermitted.push({ key, problem });
    else prunable.push({ key, object: obj });
  }
  const sortedKinds = [...kinds.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
  return { view: { live, shared, prunable, notPermitted, kinds: sortedKinds }, orphaned };
}

/**
 * Reads the live state of the desired objects, finds objects owned by another app, and the
 * objects this app tracks that Git no longer has. An object is prunable only if its tracking id
 * names this app and this very object.
 */
export const readLive: Step = {
  name: 'live',
  run: async (ctx) => {
    try {
      const { view, orphaned } = await readLiveView(ctx, ctx.app, required(ctx.prepared, 'the prepared objects'), ctx.hooks ?? []);
      if (orphaned.length > 0) {
        const named = boundList(orphaned.map((o) => `${describeObject(o.key, { withNamespace: true })} (tracking id of ${o.owner})`), { maxItems: 5 });
        return fail(reasons.orphanedOwner,
          `${named}: the Application named in the capstan.dev/tracking-id annotation does not exist, so the object is a leftover ` +
          'or was planted; nothing was applied. Remove the annotation to let this app take the object over');
      }
      ctx.view = view;
      return ok(undefined);
    } catch (err) {
      if (isForbidden(err)) return fail(reasons.permissionDenied, `not allowed to read what this app manages; nothing was applied: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  },
};
