import type { Application } from '../../api/application.js';
import { managedByLabel, managedByValue, trackingIdAnnotation } from '../../api/annotations.js';
import { reasons } from '../../api/conditions.js';
import { resourceKeyOf, type KubeObject, type ResourceKey } from '../../api/object.js';
import { trackingId, type AppKey } from '../../api/tracking.js';
import type { Discovery, ResourceInfo } from '../../cluster/discovery.js';
import { fail, type StepResult } from '../deps.js';

/** A desired object ready to compare and apply: namespace set, tracking label and annotation added. */
export interface PreparedObject {
  readonly key: ResourceKey;
  readonly object: KubeObject;
  readonly info: ResourceInfo;
  readonly trackingId: string;
}

export function appRef(app: Application): AppKey {
  return { namespace: app.metadata.namespace ?? '', name: app.metadata.name ?? '' };
}

/**
 * Looks every object's kind up in discovery (an unknown kind fails the whole step: nothing is
 * applied), places namespaced objects in the destination namespace when they name none, and
 * marks each with the managed-by label and the tracking-id annotation.
 */
export async function prepareDesired(discovery: Discovery, app: Application, objects: readonly KubeObject[]): Promise<StepResult<PreparedObject[]>> {
  const unknown: string[] = [];
  const unplaced: string[] = [];
  const prepared: PreparedObject[] = [];
  const destination = app.spec.destination.namespace;
  const infos = await Promise.all(objects.map((o) => discovery.resolve(o.apiVersion, o.kind)));
  objects.forEach((source, i) => {
    const info = infos[i];
    if (info === undefined) {
      unknown.push(`${source.kind} ${source.metadata.name ?? ''} (${source.apiVersion})`);
      return;
    }
    const object = structuredClone(source);
    if (info.namespaced) {
      const namespace = object.metadata.namespace ?? destination;
      if (namespace === undefined || namespace === '') {
        unplaced.push(`${source.kind} ${source.metadata.name ?? ''}`);
        return;
      }
      object.metadata.namespace = namespace;
    } else {
      delete object.metadata.namespace;
    }
    const key = resourceKeyOf(object);
    const id = trackingId(appRef(app), key);
    object.metadata.labels = { ...(object.metadata.labels ?? {}), [managedByLabel]: managedByValue };
    object.metadata.annotations = { ...(object.metadata.annotations ?? {}), [trackingIdAnnotation]: id };
    prepared.push({ key, object, info, trackingId: id });
  });
  if (unknown.length > 0) {
    return fail(reasons.unknownKind, `the cluster does not serve the kind of ${unknown.join(', ')}; nothing was applied (install its CRD first)`);
  }
  if (unplaced.length > 0) {
    return fail(reasons.invalidSpec, `no namespace for ${unplaced.join(', ')}: set metadata.namespace or spec.destination.namespace`);
  }
  return { ok: true, value: prepared };
}
