import { capstanTracking, type TrackingScheme } from '../../api/tracking-scheme.js';
import type { Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import {
  describeObject, formatGvk, groupOf, isRecord, objectRefOf, resourceKeyOf, versionOf,
  type KubeObject, type ObjectRef, type ResourceKey,
} from '../../api/object.js';
import { fail, ok, type Result } from '../../api/result.js';
import type { ResourceInfo } from '../../cluster/discovery.js';
import { hookSpecOf, isHook } from '../../sync/hooks.js';
import { resourceSyncOptions, unsupportedResourceOptions } from '../../sync/options.js';
import { required, targetOf, type Step } from '../context.js';
import { apiVersionProblem, kindProblem } from '../../render/identity.js';
import type { KindResolver } from '../ports.js';
import { TimeSlicer } from './time-slice.js';

/** A desired object ready to compare and apply: namespace set, tracking label and annotation added. */
export interface PreparedObject {
  readonly ref: ObjectRef;
  readonly key: ResourceKey;
  readonly object: KubeObject;
  readonly info: ResourceInfo;
  readonly trackingId: string;
  /**
   * The API server does not serve this kind yet: the same render declares its CRD (or the
   * object says SkipDryRunOnMissingResource=true). It is compared as missing, and applied
   * once the kind is served.
   */
  readonly pendingKind: boolean;
}

const crdApiGroup = 'apiextensions.k8s.io';
/** A CRD's plural: a lower-case DNS label. */
const resourcePlural = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The kinds the CRDs of a render will make the API server serve, by group/version/kind. */
export function kindsDeclaredByCrds(objects: readonly KubeObject[]): Map<string, ResourceInfo> {
  const kinds = new Map<string, ResourceInfo>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== crdApiGroup) continue;
    const spec = o['spec'];
    if (!isRecord(spec) || typeof spec['group'] !== 'string' || !isRecord(spec['names'])) continue;
    const { kind, plural } = spec['names'];
    // These become parts of API paths once the kind is served: only what the API server would accept.
    if (typeof kind !== 'string' || kindProblem(kind) !== undefined || typeof plural !== 'string' || !resourcePlural.test(plural)) continue;
    const versions = Array.isArray(spec['versions']) ? spec['versions'] : [];
    for (const v of versions) {
      if (!isRecord(v) || typeof v['name'] !== 'string' || v['served'] === false) continue;
      if (apiVersionProblem(`${spec['group']}/${v['name']}`) !== undefined) continue;
      const info: ResourceInfo = { group: spec['group'], version: v['name'], kind, plural, namespaced: spec['scope'] !== 'Cluster', verbs: [] };
      kinds.set(formatGvk(info), info);
    }
  }
  return kinds;
}

/** A kind nothing tells about yet is taken to be namespaced (as Argo CD does); apply corrects it once it is served. */
function guessedInfo(obj: KubeObject): ResourceInfo {
  return { group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind, plural: `${obj.kind.toLowerCase()}s`, namespaced: true, verbs: [] };
}

/**
 * Places one object for an app: a namespaced object without a namespace goes to the destination
 * namespace, a cluster-scoped one loses any namespace; the managed-by label and the tracking-id
 * annotation are added. Undefined when a namespaced object has nowhere to go. `source` is left
 * as it is: only the top level and metadata are copied (the rest is shared, and never changed).
 */
export function placeObject(app: Application, source: KubeObject, info: ResourceInfo, pendingKind: boolean, tracking: TrackingScheme): PreparedObject | undefined {
  const object: KubeObject = { ...source, metadata: { ...source.metadata } };
  if (info.namespaced) {
    const namespace = object.metadata.namespace ?? app.spec.destination.namespace;
    if (namespace === undefined || namespace === '') return undefined;
    object.metadata.namespace = namespace;
  } else {
    delete object.metadata.namespace;
  }
  const key = resourceKeyOf(object);
  const id = tracking.stamp(object, app, key);
  return { ref: objectRefOf(object), key, object, info, trackingId: id, pendingKind };
}

/**
 * Looks every object's kind up in discovery, places it (placeObject) and refuses options
 * Capstan does not implement. A kind the cluster does not serve fails the whole step (nothing
 * applied) unless the render declares its CRD or the object skips the dry run for it.
 */
export async function prepareObjects(kinds: KindResolver, app: Application, objects: readonly KubeObject[], tracking: TrackingScheme = capstanTracking): Promise<Result<PreparedObject[]>> {
  const untrackable = tracking.problemWith(app);
  if (untrackable !== undefined) return fail(reasons.invalidSpec, `${untrackable}; nothing was applied`);
  const unknown: string[] = [];
  const unplaced: string[] = [];
  const refused: string[] = [];
  const prepared: PreparedObject[] = [];
  const declared = kindsDeclaredByCrds(objects);
  const infos = await Promise.all(objects.map((o) => kinds.resolve(o.apiVersion, o.kind)));
  // Thousands of objects take long enough to keep watches and lease renewals waiting: in slices.
  const slicer = new TimeSlicer();
  for (const [i, source] of objects.entries()) {
    await slicer.pause();
    const name = describeObject(resourceKeyOf(source));
    for (const problem of unsupportedResourceOptions(source)) refused.push(`${name}: ${problem}`);
    for (const value of hookSpecOf(source)?.unknown ?? []) refused.push(`${name}: ${value} is not supported`);
    const served = infos[i];
    const fromCrd = declared.get(formatGvk({ group: groupOf(source.apiVersion), version: versionOf(source.apiVersion), kind: source.kind }));
    const info = served ?? fromCrd ?? (resourceSyncOptions(source).skipDryRunOnMissingResource ? guessedInfo(source) : undefined);
    if (info === undefined) {
      unknown.push(`${source.kind} ${source.metadata.name ?? ''} (${source.apiVersion})`);
      continue;
    }
    const placed = placeObject(app, source, info, served === undefined, tracking);
    if (placed === undefined) unplaced.push(name);
    else prepared.push(placed);
  }
  if (refused.length > 0) return fail(reasons.invalidObject, `${refused.slice(0, 5).join('; ')}; nothing was applied`);
  if (unknown.length > 0) {
    return fail(reasons.unknownKind, `the cluster does not serve the kind of ${unknown.slice(0, 5).join(', ')}; nothing was applied (install its CRD first, or add it to this app)`);
  }
  if (unplaced.length > 0) {
    return fail(reasons.invalidSpec, `no namespace for ${unplaced.slice(0, 5).join(', ')}: set metadata.namespace or spec.destination.namespace`);
  }
  return ok(prepared);
}

export const prepare: Step = {
  name: 'prepare',
  run: async (ctx) => {
    const result = await prepareObjects(targetOf(ctx).kinds, ctx.app, required(ctx.rendered, 'the rendered objects'), targetOf(ctx).live.tracking);
    if (!result.ok) return result;
    // Hooks are actions of a sync, not desired state: never compared, counted or pruned.
    ctx.prepared = result.value.filter((p) => !isHook(p.object));
    ctx.hooks = result.value.filter((p) => isHook(p.object));
    return ok(undefined);
  },
};

/** The apiVersion of a prepared object's kind as served. */

