/**
 * Argo CD's resource tracking as a TrackingScheme: objects are an app's by Argo CD's tracking-id
 * annotation, its instance label, or both (application.resourceTrackingMethod), read and written
 * exactly as Argo CD does, so that objects Argo CD applied are recognised as they are (no write
 * to adopt them) and objects Capstan applies are recognised by Argo CD again.
 */

import type { Application } from '../api/application.js';
import { resourceKeyOf, type KubeObject } from '../api/object.js';
import type { TrackingScheme } from '../api/tracking-scheme.js';
import { appKeyOf } from '../api/tracking.js';
import {
  argoInstallationIdAnnotation, argoTrackingIdAnnotation, argoTrackingIdFor, argoTrackingMetadata, isArgoRoot, readArgoTracking,
  type TrackingConfig,
} from './tracking.js';

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function argoTrackingScheme(config: TrackingConfig): TrackingScheme {
  const usesLabel = config.method !== 'annotation';
  const usesAnnotation = config.method !== 'label';
  const options = (app: Application): Parameters<typeof argoTrackingMetadata>[2] => ({ ...config, destinationNamespace: app.spec.destination.namespace ?? '' });
  return {
    // Annotations cannot select a watch: under annotation tracking every object of a kind is watched.
    selector: usesLabel ? config.instanceLabelKey : '',
    trackedAs: (obj) => {
      if (!isArgoRoot(obj)) return undefined;
      const read = readArgoTracking(obj, config);
      if (read === undefined) return undefined;
      // A copied annotation names another object: its key, so it is not taken for this one.
      const key = read.refersToObject || read.trackingId === undefined ? resourceKeyOf(obj) : read.trackingId.key;
      return { app: read.app, key };
    },
    problemWith: (app) => {
      const probe: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } };
      const result = argoTrackingMetadata(probe, appKeyOf(app), options(app));
      return result.ok ? undefined : result.error;
    },
    stamp: (obj, app, _key) => {
      const result = argoTrackingMetadata(obj, appKeyOf(app), options(app));
      // problemWith refused the app before any object is stamped; a CRD gets no marks.
      if (result.ok) {
        const removed = new Set(result.value.removedAnnotations);
        const kept = Object.entries(obj.metadata.annotations ?? {}).filter(([key]) => !removed.has(key));
        obj.metadata.annotations = { ...Object.fromEntries(kept), ...result.value.annotations };
        if (Object.keys(result.value.labels).length > 0) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...result.value.labels };
      }
      return argoTrackingIdFor(obj, appKeyOf(app), options(app));
    },
    copyTracking: (from, to) => {
      const annotationKeys = usesAnnotation ? [argoTrackingIdAnnotation, argoInstallationIdAnnotation] : [];
      for (const key of annotationKeys) {
        const value = from.metadata.annotations?.[key];
        if (value !== undefined) to.metadata.annotations = { ...(to.metadata.annotations ?? {}), [key]: value };
      }
      const label = usesLabel ? from.metadata.labels?.[config.instanceLabelKey] : undefined;
      if (label !== undefined) to.metadata.labels = { ...(to.metadata.labels ?? {}), [config.instanceLabelKey]: label };
    },
    untrackOps: (obj) => {
      const ops: object[] = [];
      const id = obj.metadata.annotations?.[argoTrackingIdAnnotation];
      if (id !== undefined) {
        ops.push({ op: 'test', path: `/metadata/annotations/${escapePointer(argoTrackingIdAnnotation)}`, value: id });
        ops.push({ op: 'remove', path: `/metadata/annotations/${escapePointer(argoTrackingIdAnnotation)}` });
      }
      const label = obj.metadata.labels?.[config.instanceLabelKey];
      if (usesLabel && label !== undefined) {
        ops.push({ op: 'test', path: `/metadata/labels/${escapePointer(config.instanceLabelKey)}`, value: label });
        ops.push({ op: 'remove', path: `/metadata/labels/${escapePointer(config.instanceLabelKey)}` });
      }
      return ops;
    },
  };
}
