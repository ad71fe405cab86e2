import type { Application } from '../api/application.js';
import { finalizerName, trackingIdAnnotation } from '../api/annotations.js';
import { resourceKeyOf } from '../api/object.js';
import { formatAppKey, trackingId } from '../api/tracking.js';
import type { ReconcileResult } from './queue.js';
import type { ReconcileDeps } from './deps.js';
import { appRef } from './steps/prepare.js';

export function hasFinalizer(app: Application): boolean {
  return app.metadata.finalizers?.includes(finalizerName) ?? false;
}

/**
 * Adds the resources finalizer the first time an app is seen (before it has a status), so
 * that deleting the app deletes what it deployed. An operator who removed the finalizer on
 * purpose (to keep the objects) is not overridden later.
 */
export async function ensureFinalizer(deps: ReconcileDeps, app: Application): Promise<Application> {
  if (hasFinalizer(app) || app.status !== undefined) return app;
  const ops = app.metadata.finalizers === undefined
    ? [{ op: 'add', path: '/metadata/finalizers', value: [finalizerName] }]
    : [{ op: 'add', path: '/metadata/finalizers/-', value: finalizerName }];
  return deps.apps.patch(app, ops);
}

/**
 * An app being deleted: delete every object it tracks, wait until they are gone, then remove
 * the finalizer. Objects of kinds recorded in status are watched first, so a restarted
 * controller still finds them.
 */
export async function finalizeApp(deps: ReconcileDeps, app: Application): Promise<ReconcileResult> {
  if (!hasFinalizer(app)) return {};
  const kinds = await Promise.all((app.status?.resources ?? []).map((r) =>
    deps.resources.discovery.resolve(r.group === '' ? r.version : `${r.group}/${r.version}`, r.kind)));
  await deps.live.watch(kinds.filter((k) => k !== undefined));
  const ref = appRef(app);
  const key = formatAppKey(ref);
  // Only objects whose tracking id names this very object: a copy of a tracked object is not ours.
  const remaining = deps.live.trackedBy(key).filter((o) => o.metadata.annotations?.[trackingIdAnnotation] === trackingId(ref, resourceKeyOf(o)));
  if (remaining.length > 0) {
    await Promise.all(remaining.filter((o) => o.metadata.deletionTimestamp === undefined).map((o) =>
      deps.resources.delete(o.apiVersion, o.kind, o.metadata.namespace ?? '', o.metadata.name ?? '', { propagationPolicy: 'Foreground' })));
    return { requeueAfterMs: 2_000 };
  }
  const index = app.metadata.finalizers?.indexOf(finalizerName) ?? -1;
  await deps.apps.patch(app, [
    { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizerName },
    { op: 'remove', path: `/metadata/finalizers/${index}` },
  ]);
  deps.diffCache.forgetApp(key);
  deps.logger.info({ app: key }, 'application deleted with its resources');
  return {};
}
