/**
 * How the objects an app manages are marked as its own, and recognised again: the label the
 * watches select them by, the tracking id that names the app and the object, and how that marking
 * is put on, copied and taken off. Capstan's own scheme (DESIGN.md §1.3) is the managed-by label
 * and the `capstan.dev/tracking-id` annotation; a controller runs with one scheme for all its apps.
 */

import { managedByLabel, managedByValue, trackingIdAnnotation } from './annotations.js';
import { resourceKeyOf, sameResource, type KubeObject, type ResourceKey } from './object.js';
import type { Application } from './application.js';
import { appKeyOf, formatAppKey, parseTrackingId, trackingId, type AppKey, type ParsedTrackingId } from './tracking.js';

export interface TrackingScheme {
  /** The label selector of the watches of managed objects ('' watches every object of a kind). */
  readonly selector: string;
  /** The app and object the object's tracking names, or undefined when it has none (or none readable). */
  trackedAs(obj: KubeObject): ParsedTrackingId | undefined;
  /** Why the scheme cannot mark the app's objects (a name too long for a label), or undefined. */
  problemWith(app: Application): string | undefined;
  /** Marks an object to apply as the app's; returns the tracking id, which identifies the object among all apps'. */
  stamp(obj: KubeObject, app: Application, key: ResourceKey): string;
  /** Puts `from`'s tracking marks (the ones stamp sets) on `to`, whatever `to` had. */
  copyTracking(from: KubeObject, to: KubeObject): void;
  /** A JSON patch that takes the tracking off a kept object (guarded by its tracking id), so another app may adopt it. */
  untrackOps(obj: KubeObject): object[];
}

/** Is the object tracked as the app's? (A copy of another object's marks counts too: see isTrackedAsItself.) */
export function isTrackedBy(scheme: TrackingScheme, obj: KubeObject, app: AppKey): boolean {
  const owner = scheme.trackedAs(obj)?.app;
  return owner !== undefined && formatAppKey(owner) === formatAppKey(app);
}

/** Is the object tracked as the app's, under its own kind, namespace and name (not marks copied from another object)? */
export function isTrackedAsItself(scheme: TrackingScheme, obj: KubeObject, app: AppKey): boolean {
  const tracked = scheme.trackedAs(obj);
  return tracked !== undefined && formatAppKey(tracked.app) === formatAppKey(app) && sameResource(tracked.key, resourceKeyOf(obj));
}

/** JSON-pointer form of a label or annotation key. */
function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export const capstanTracking: TrackingScheme = {
  selector: `${managedByLabel}=${managedByValue}`,
  trackedAs: (obj) => parseTrackingId(obj.metadata.annotations?.[trackingIdAnnotation] ?? ''),
  problemWith: () => undefined,
  stamp: (obj, app, key) => {
    const id = trackingId(appKeyOf(app), key);
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [managedByLabel]: managedByValue };
    obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [trackingIdAnnotation]: id };
    return id;
  },
  copyTracking: (from, to) => {
    const label = from.metadata.labels?.[managedByLabel];
    const annotation = from.metadata.annotations?.[trackingIdAnnotation];
    if (label !== undefined) to.metadata.labels = { ...(to.metadata.labels ?? {}), [managedByLabel]: label };
    if (annotation !== undefined) to.metadata.annotations = { ...(to.metadata.annotations ?? {}), [trackingIdAnnotation]: annotation };
  },
  untrackOps: (obj) => [
    { op: 'test', path: `/metadata/annotations/${escapePointer(trackingIdAnnotation)}`, value: obj.metadata.annotations?.[trackingIdAnnotation] },
    { op: 'remove', path: `/metadata/annotations/${escapePointer(trackingIdAnnotation)}` },
    ...(obj.metadata.labels?.[managedByLabel] !== undefined ? [{ op: 'remove', path: `/metadata/labels/${escapePointer(managedByLabel)}` }] : []),
  ],
};
