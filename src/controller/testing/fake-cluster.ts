import jsonpatch, { type Operation } from 'fast-json-patch';
import { fieldManager } from '../../api/annotations.js';
import {
  apiVersionOf, formatGvk, groupOf, isRecord, resourceKeyOf, versionOf, type GroupVersionKind, type KubeObject, type ObjectRef, type ResourceKey,
} from '../../api/object.js';
import type { AppKey } from '../../api/tracking.js';
import { capstanTracking, isTrackedBy } from '../../api/tracking-scheme.js';
import type { ResourceInfo } from '../../cluster/discovery.js';
import { KubeApiError } from '../../cluster/errors.js';
import type { Applier, KindResolver, LiveState } from '../ports.js';
import { fieldsOfManifest } from './fields.js';

const keyText = (k: ResourceKey): string => `${k.group}/${k.kind}/${k.namespace}/${k.name}`;

function merge(base: unknown, patch: unknown): unknown {
  if (!isRecord(base) || !isRecord(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = { ...structuredClone(base) };
  for (const [k, v] of Object.entries(patch)) out[k] = merge(base[k], v);
  return out;
}

export interface FakeCall {
  readonly verb: 'dryRun' | 'apply' | 'create' | 'replace' | 'delete' | 'patch' | 'fetch' | 'watch';
  readonly target: string;
}

/**
 * An in-memory cluster behind the LiveState, Applier and KindResolver ports, for unit tests of
 * the reconcile pipeline. Server-side apply is modelled simply: maps merge, lists are replaced,
 * the applied fields are recorded as Capstan's managedFields, and resourceVersion moves only
 * when the object changed. Every call is recorded. `fail` makes the next calls of a verb throw.
 */
export class FakeCluster {
  readonly calls: FakeCall[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly kinds = new Map<string, ResourceInfo>();
  private readonly failures = new Map<FakeCall['verb'], Error>();
  private version = 100;
  private uid = 0;

  constructor(kinds: readonly (Omit<ResourceInfo, 'verbs' | 'plural'> & { plural?: string })[] = defaultKinds) {
    for (const k of kinds) this.serve(k);
  }

  serve(kind: Omit<ResourceInfo, 'verbs' | 'plural'> & { plural?: string }): void {
    this.kinds.set(formatGvk(kind), { ...kind, plural: kind.plural ?? `${kind.kind.toLowerCase()}s`, verbs: ['get', 'list', 'watch', 'patch'] });
  }

  /** The next calls of `verb` throw `error` (until cleared with undefined). */
  fail(verb: FakeCall['verb'], error: Error | undefined): void {
    if (error === undefined) this.failures.delete(verb);
    else this.failures.set(verb, error);
  }

  /** Puts an object into the cluster as someone else wrote it. */
  put(obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++this.version);
    stored.metadata.uid ??= `uid-${++this.uid}`;
    this.objects.set(keyText(resourceKeyOf(stored)), stored);
    return stored;
  }

  get(key: ResourceKey): KubeObject | undefined {
    const o = this.objects.get(keyText(key));
    return o === undefined ? undefined : structuredClone(o);
  }

  all(): KubeObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o));
  }

  /** Writes (not dry runs, not reads) made so far. */
  get writes(): number {
    return this.calls.filter((c) => c.verb === 'apply' || c.verb === 'create' || c.verb === 'replace' || c.verb === 'delete' || c.verb === 'patch').length;
  }

  count(verb: FakeCall['verb']): number {
    return this.calls.filter((c) => c.verb === verb).length;
  }

  private note(verb: FakeCall['verb'], target: string): void {
    this.calls.push({ verb, target });
    const failure = this.failures.get(verb);
    if (failure !== undefined) throw failure;
  }

  private at(obj: KubeObject | undefined, gvk: GroupVersionKind): KubeObject | undefined {
    return obj === undefined ? undefined : { ...structuredClone(obj), apiVersion: apiVersionOf(gvk) };
  }

  private served(apiVersion: string, kind: string): ResourceInfo {
    const info = this.kinds.get(formatGvk({ group: groupOf(apiVersion), version: versionOf(apiVersion), kind }));
    if (info === undefined) throw new KubeApiError(404, 'NotFound', `the server could not find the requested resource (${apiVersion} ${kind})`);
    return info;
  }

  private applied(obj: KubeObject): KubeObject {
    this.served(obj.apiVersion, obj.kind);
    const live = this.objects.get(keyText(resourceKeyOf(obj)));
    const result = merge(live ?? {}, obj) as KubeObject;
    const others = (live?.metadata.managedFields ?? []).filter((m) => m.manager !== fieldManager);
    result.metadata.managedFields = [...others, { manager: fieldManager, operation: 'Apply', apiVersion: obj.apiVersion, fieldsType: 'FieldsV1', fieldsV1: fieldsOfManifest(obj) }];
    result.metadata.resourceVersion = live?.metadata.resourceVersion ?? '0';
    result.metadata.uid = live?.metadata.uid ?? '';
    return result;
  }

  private store(next: KubeObject): KubeObject {
    const key = keyText(resourceKeyOf(next));
    const live = this.objects.get(key);
    const same = live !== undefined && JSON.stringify({ ...live, metadata: { ...live.metadata, resourceVersion: '' } }) === JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: '' } });
    if (same) return structuredClone(live);
    const stored = structuredClone(next);
    stored.metadata.resourceVersion = String(++this.version);
    if (stored.metadata.uid === undefined || stored.metadata.uid === '') stored.metadata.uid = `uid-${++this.uid}`;
    this.objects.set(key, stored);
    return structuredClone(stored);
  }

  readonly applier: Applier = {
    dryRun: (obj) => {
      this.note('dryRun', keyText(resourceKeyOf(obj)));
      return Promise.resolve(this.applied(obj));
    },
    apply: (obj) => {
      this.note('apply', keyText(resourceKeyOf(obj)));
      return Promise.resolve(this.store(this.applied(obj)));
    },
    create: (obj) => {
      const named = obj.metadata.name === undefined && obj.metadata.generateName !== undefined
        ? { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.generateName}${String(++this.uid).padStart(5, 'x')}` } } : obj;
      this.note('create', keyText(resourceKeyOf(named)));
      if (this.objects.has(keyText(resourceKeyOf(named)))) return Promise.reject(new KubeApiError(409, 'AlreadyExists', 'already exists'));
      return Promise.resolve(this.store(structuredClone(named)));
    },
    replace: (obj) => {
      this.note('replace', keyText(resourceKeyOf(obj)));
      const live = this.objects.get(keyText(resourceKeyOf(obj)));
      return Promise.resolve(this.store({ ...structuredClone(obj), metadata: { ...obj.metadata, uid: live?.metadata.uid ?? '' } }));
    },
    delete: (ref, options) => {
      this.note('delete', keyText(ref));
      const live = this.objects.get(keyText(ref));
      if (live === undefined) return Promise.resolve('gone' as const);
      if (options.uid !== undefined && live.metadata.uid !== options.uid) return Promise.reject(new KubeApiError(409, 'Conflict', 'uid precondition failed'));
      this.objects.delete(keyText(ref));
      return Promise.resolve('deleted' as const);
    },
    patch: (ref, operations) => {
      this.note('patch', keyText(ref));
      const live = this.objects.get(keyText(ref));
      if (live === undefined) return Promise.reject(new KubeApiError(404, 'NotFound', 'not found'));
      const next = jsonpatch.applyPatch(structuredClone(live), operations as Operation[], true, false).newDocument;
      return Promise.resolve(this.store(next));
    },
  };

  readonly live: LiveState = {
    watch: (infos) => {
      for (const info of infos) this.note('watch', formatGvk(info));
      return Promise.resolve();
    },
    isWatched: () => true,
    cached: (ref: ObjectRef) => {
      const o = this.objects.get(keyText(ref));
      return o?.metadata.labels?.['app.capstan.dev/managed-by'] === 'capstan' ? this.at(o, ref) : undefined;
    },
    fetch: (ref: ObjectRef) => {
      this.note('fetch', keyText(ref));
      return Promise.resolve(this.at(this.objects.get(keyText(ref)), ref));
    },
    trackedBy: (app: AppKey) => [...this.objects.values()]
      .filter((o) => isTrackedBy(capstanTracking, o, app))
      .map((o) => structuredClone(o)),
    tracking: capstanTracking,
  };

  readonly kindResolver: KindResolver = {
    resolve: (apiVersion, kind) => Promise.resolve(this.kinds.get(formatGvk({ group: groupOf(apiVersion), version: versionOf(apiVersion), kind }))),
    forget: () => undefined,
  };
}

export const defaultKinds = [
  { group: '', version: 'v1', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespaced: false },
];
