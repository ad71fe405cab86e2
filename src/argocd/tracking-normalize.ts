import type { KubeObject } from '../api/object.js';
import { argoTrackingIdAnnotation, isCustomResourceDefinition, type TrackingSettings } from './tracking.js';

/**
 * The live object as Argo CD compares it with the desired one, so that a change of tracking
 * method from `label` to `annotation` (or `annotation+label`) does not make every object differ.
 * Under those methods, when the live object carries the instance label:
 * - with no tracking-id annotation (it was last applied under label tracking), the desired
 *   object's annotation is taken as the live one;
 * - when the desired object has no instance label, the live label is left out.
 * A live object that already has a tracking id keeps it, so an object moved to another app still
 * differs. Nothing changes under `label` tracking, for CustomResourceDefinitions, or when the
 * live object has no instance label. Returns `live` itself when nothing changes, else a copy.
 */
export function normalizeLiveTracking(desired: KubeObject, live: KubeObject, settings: Pick<TrackingSettings, 'method' | 'instanceLabelKey'>): KubeObject {
  if (settings.method === 'label' || isCustomResourceDefinition(live)) return live;
  const key = settings.instanceLabelKey;
  if ((live.metadata.labels?.[key] ?? '') === '') return live;
  let annotations = live.metadata.annotations;
  const desiredId = desired.metadata.annotations?.[argoTrackingIdAnnotation] ?? '';
  if ((annotations?.[argoTrackingIdAnnotation] ?? '') === '' && desiredId !== '') {
    annotations = { ...annotations, [argoTrackingIdAnnotation]: desiredId };
  }
  let labels = live.metadata.labels;
  if ((desired.metadata.labels?.[key] ?? '') === '' && labels !== undefined) {
    labels = Object.fromEntries(Object.entries(labels).filter(([name]) => name !== key));
  }
  if (annotations === live.metadata.annotations && labels === live.metadata.labels) return live;
  const metadata = { ...live.metadata };
  if (annotations === undefined) delete metadata.annotations;
  else metadata.annotations = annotations;
  if (labels === undefined || Object.keys(labels).length === 0) delete metadata.labels;
  else metadata.labels = labels;
  return { ...live, metadata };
}
