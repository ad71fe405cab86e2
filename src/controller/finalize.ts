import { isTrackedAsItself } from '../api/tracking-scheme.js';
import type { Application, ApplicationStatus } from '../api/application.js';
import { finalizerName, isDeletionApproved } from '../api/annotations.js';
import { conditionTypes, eventReasons, reasons } from '../api/conditions.js';
import { apiVersionOf, describeObject, formatGvk, objectRefOf, resourceKeyOf, type KubeObject } from '../api/object.js';
import { boundList, boundText } from '../api/text.js';
import { appKeyOf, formatAppKey } from '../api/tracking.js';
import type { ResourceInfo } from '../cluster/discovery.js';
import { isNotFound } from '../cluster/errors.js';
import { isAdopted, resourceSyncOptions } from '../sync/options.js';
import type { AppFinalizers, ReconcileDeps } from './deps.js';
import type { DestinationPorts } from './ports.js';
import type { ReconcileResult } from './queue.js';
import { mergeConditions } from './status/conditions.js';
import { statusLimits } from './status/limits.js';
import { writeStatusIfChanged } from './status/write.js';
import { isPostDeleteHook } from './post-delete.js';
import { isRetryableError } from './steps/apply.js';
import { trackedObjectProblem } from './steps/project.js';
import { projectNameOf } from './project-source.js';

/** Capstan's own: its finalizer, added to every new app; objects deleted in the foreground. */
export const capstanFinalizers: AppFinalizers = { names: new Map([[finalizerName, 'Foreground']]), addToNew: finalizerName };

/** The first of the app's finalizers that deletes its objects, if any. */
function deletingFinalizer(deps: ReconcileDeps, app: Application): string | undefined {
  const { names } = deps.settings.appFinalizers ?? capstanFinalizers;
  return app.metadata.finalizers?.find((f) => names.has(f));
}

export function hasFinalizer(deps: ReconcileDeps, app: Application): boolean {
  return deletingFinalizer(deps, app) !== undefined;
}

/**
 * Adds the resources finalizer the first time an app is seen (before it has a status), so
 * that deleting the app deletes what it deployed. An operator who removed the finalizer on
 * purpose (to keep the objects) is not overridden later.
 */
export async function ensureFinalizer(deps: ReconcileDeps, app: Application): Promise<Application> {
  const added = (deps.settings.appFinalizers ?? capstanFinalizers).addToNew;
  if (added === undefined || hasFinalizer(deps, app) || app.status !== undefined) return app;
  const ops = app.metadata.finalizers === undefined
    ? [{ op: 'add', path: '/metadata/finalizers', value: [added] }]
    : [{ op: 'add', path: '/metadata/finalizers/-', value: added }];
  const patched = await deps.apps.patch(app, ops);
  deps.appVersions.remember(patched);
  return patched;
}

/** Every kind the app may have objects of: status.managedKinds (complete), and status.resources for apps recorded before it existed. */
async function inventoryKinds(target: DestinationPorts, app: Application): Promise<ResourceInfo[]> {
  const recorded = [...(app.status?.managedKinds ?? []), ...(app.status?.resources ?? []).filter((r) => r.version !== '')];
  const infos = new Map<string, ResourceInfo>();
  for (const r of recorded) {
    const info = await target.kinds.resolve(apiVersionOf(r), r.kind);
    if (info !== undefined) infos.set(formatGvk(info), info);
  }
  return [...infos.values()];
}

function deletingStatus(app: Application, message: string, now: string, failed: string | undefined): ApplicationStatus {
  const previous = app.status ?? {};
  const conditions = mergeConditions(previous.conditions, [
    failed === undefined
      ? { type: conditionTypes.ready, status: 'False', reason: reasons.deleting, message }
      : { type: conditionTypes.ready, status: 'False', reason: reasons.deleteFailed, message: failed },
    { type: conditionTypes.reconciling, status: 'True', reason: reasons.deleting, message },
  ], now);
  return { ...previous, conditions };
}

/** The app's objects are gone but for those marked Delete=confirm: it waits, saying how to approve. */
async function awaitConfirmation(deps: ReconcileDeps, app: Application, held: readonly KubeObject[], now: string): Promise<ReconcileResult> {
  const names = boundList(held.map((o) => describeObject(resourceKeyOf(o))), { maxItems: 5 });
  const message = `waiting for confirmation to delete ${names} (Delete=confirm): capstan app confirm-prune ${app.metadata.name ?? ''}`;
  const before = app.status?.conditions?.find((c) => c.type === conditionTypes.ready);
  await writeStatusIfChanged(deps, app, deletingStatus(app, message, now, undefined), { now, removeHandled: false });
  if (before?.message !== message) deps.events.record(app, 'Normal', eventReasons.deleting, message);
  // The approval is an annotation on the app: its watch event brings the next reconcile.
  return { requeueAfterMs: 30_000 };
}

/**
 * The app's destination cannot be reached or is no longer known: its objects cannot be deleted
 * yet. It waits (DeleteFailed, with an Event once), and goes on when the cluster is back.
 */
async function awaitDestination(deps: ReconcileDeps, app: Application, why: string): Promise<ReconcileResult> {
  const now = new Date().toISOString();
  const failed = boundText(`cannot delete the app's objects: ${why}; it is deleted once they are, or when its ${deletingFinalizer(deps, app) ?? finalizerName} finalizer is removed`, statusLimits.messageChars);
  const before = app.status?.conditions?.find((c) => c.type === conditionTypes.ready);
  await writeStatusIfChanged(deps, app, deletingStatus(app, failed, now, failed), { now, removeHandled: false });
  if (before?.message !== failed) deps.events.record(app, 'Warning', eventReasons.deleteFailed, failed);
  return { requeueAfterMs: 30_000 };
}

/**
 * The tracked objects the app's project permits: as Argo CD, a deletion leaves alone (neither
 * deletes nor untracks) an object its project does not permit, and logs it. All of them
 * when the project does not exist.
 */
function permittedByProject(deps: ReconcileDeps, app: Application, target: DestinationPorts, tracked: readonly KubeObject[]): KubeObject[] {
  const project = deps.projects.get(projectNameOf(app));
  if (project === undefined) return [...tracked];
  const left = tracked.map((o) => trackedObjectProblem(project, o, target)).filter((p): p is string => p !== undefined);
  if (left.length > 0) deps.logger.info({ app: formatAppKey(appKeyOf(app)), left: boundList(left, { maxItems: 5, separator: '; ' }) }, 'not deleting objects the project does not permit');
  return tracked.filter((o) => trackedObjectProblem(project, o, target) === undefined);
}

/**
 * An app being deleted: delete every object it tracks, except those marked Delete=false and those
 * it adopted rather than created (they lose Capstan's tracking and stay), wait until they are gone, then remove the finalizer. The
 * kinds of status.managedKinds are watched first, so a restarted controller still finds every
 * object. Progress and refusals are reported on the app (Deleting, DeleteFailed).
 */
export async function finalizeApp(deps: ReconcileDeps, app: Application, postDelete: (app: Application) => Promise<'done' | ReconcileResult> = () => Promise.resolve('done')): Promise<ReconcileResult> {
  const finalizer = deletingFinalizer(deps, app);
  if (finalizer === undefined) return {};
  const propagationPolicy = (deps.settings.appFinalizers ?? capstanFinalizers).names.get(finalizer) ?? 'Foreground';
  const destination = await deps.destinations.resolve(app);
  if (!destination.ok) return awaitDestination(deps, app, destination.error.message);
  const target = destination.value;
  await target.live.watch(await inventoryKinds(target, app));
  const key = appKeyOf(app);
  // Only objects whose tracking id names this very object: a copy of a tracked object is not ours.
  const ours = target.live.trackedBy(key).filter((o) => isTrackedAsItself(target.live.tracking, o, key) && !isPostDeleteHook(o));
  const tracked = permittedByProject(deps, app, target, ours);
  const kept = tracked.filter((o) => !resourceSyncOptions(o).delete);
  // Delete=confirm: deleted only once someone approved it after the app's deletion began.
  const approved = isDeletionApproved(app.metadata.annotations, app.metadata.deletionTimestamp);
  const held = approved ? [] : tracked.filter((o) => resourceSyncOptions(o).delete && resourceSyncOptions(o).deleteConfirm);
  const remaining = tracked.filter((o) => resourceSyncOptions(o).delete && !held.includes(o));
  const now = new Date().toISOString();
  const refused: string[] = [];
  for (const o of kept) {
    try {
      await target.applier.patch(objectRefOf(o), target.live.tracking.untrackOps(o));
      const why = isAdopted(o) ? 'adopted: it existed before Capstan applied it' : 'Delete=false';
      deps.events.record(app, 'Normal', eventReasons.kept, `kept ${describeObject(resourceKeyOf(o), { withNamespace: true })} (${why})`);
    } catch (err) {
      if (isRetryableError(err)) throw err;
      refused.push(`${describeObject(resourceKeyOf(o))}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (held.length > 0 && remaining.length === 0 && refused.length === 0) return awaitConfirmation(deps, app, held, now);
  if (remaining.length > 0 || refused.length > 0) {
    for (const o of remaining.filter((x) => x.metadata.deletionTimestamp === undefined)) {
      try {
        await target.applier.delete(objectRefOf(o), { propagationPolicy, ...(o.metadata.uid !== undefined ? { uid: o.metadata.uid } : {}) });
      } catch (err) {
        if (isRetryableError(err)) throw err;
        refused.push(`${describeObject(resourceKeyOf(o))}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const waiting = boundList(remaining.map((o) => describeObject(resourceKeyOf(o))), { maxItems: 5 });
    const message = `deleting ${remaining.length} object(s)${waiting === '' ? '' : `: ${waiting}`}`;
    // Bounded as status bounds it, so that the same refusal is not announced again on every retry.
    const failed = refused.length === 0 ? undefined
      : boundText(`could not delete ${boundList(refused, { maxItems: 5, maxItemChars: 300, separator: '; ' })}`, statusLimits.messageChars);
    const before = app.status?.conditions?.find((c) => c.type === conditionTypes.ready);
    await writeStatusIfChanged(deps, app, deletingStatus(app, message, now, failed), { now, removeHandled: false });
    if (failed !== undefined && before?.message !== failed) deps.events.record(app, 'Warning', eventReasons.deleteFailed, failed);
    else if (before?.reason !== reasons.deleting && failed === undefined) deps.events.record(app, 'Normal', eventReasons.deleting, message);
    return { requeueAfterMs: failed === undefined ? 2_000 : 10_000 };
  }
  // Everything is gone: now the PostDelete hooks run, before the app may go.
  const hooks = await postDelete(app);
  if (hooks !== 'done') return hooks;
  const index = app.metadata.finalizers?.indexOf(finalizer) ?? -1;
  try {
    await deps.apps.patch(app, [
      { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizer },
      { op: 'remove', path: `/metadata/finalizers/${index}` },
    ]);
  } catch (err) {
    // Gone already: another reconcile (or replica) removed the finalizer and the app went.
    if (!isNotFound(err)) throw err;
  }
  deps.diffCache.forgetApp(formatAppKey(key));
  deps.logger.info({ app: formatAppKey(key), kept: kept.length }, 'application deleted with its resources');
  return {};
}
