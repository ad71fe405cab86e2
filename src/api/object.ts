/** The shape every Kubernetes object shares. Fields Capstan does not interpret stay `unknown`. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: unknown[];
  managedFields?: ManagedFieldsEntry[];
  [field: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A kind at one API version: what a discovery document, a watch and a URL are about. */
export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * Identifies one object independently of the API version it is read at: group ('' for the
 * core group), kind, namespace ('' when cluster-scoped), name. Tracking ids and prune
 * decisions use this identity, since one object is served at every version of its kind.
 */
export interface ResourceKey {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** One object at one API version: a ResourceKey plus the version it is declared or read at. */
export interface ObjectRef extends ResourceKey {
  readonly version: string;
}

/** The API group of an apiVersion: 'apps/v1' → 'apps', 'v1' → ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The version of an apiVersion: 'apps/v1' → 'v1', 'v1' → 'v1'. */
export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** The apiVersion of a group and version: ('apps', 'v1') → 'apps/v1', ('', 'v1') → 'v1'. */
export function apiVersionOf(gv: { readonly group: string; readonly version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

export function gvkOf(obj: KubeObject): GroupVersionKind {
  return { group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind };
}

/** 'apps/v1/Deployment'; the core group reads 'v1/ConfigMap'. */
export function formatGvk(gvk: GroupVersionKind): string {
  return `${apiVersionOf(gvk)}/${gvk.kind}`;
}

export function resourceKeyOf(obj: KubeObject): ResourceKey {
  return {
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    // A hook with only generateName is known by that prefix until the API server names it.
    name: obj.metadata.name ?? obj.metadata.generateName ?? '',
  };
}

export function objectRefOf(obj: KubeObject): ObjectRef {
  return { ...resourceKeyOf(obj), version: versionOf(obj.apiVersion) };
}

/** The version-free identity of a ref (drops `version` and any other field). */
export function keyOfRef(ref: ResourceKey): ResourceKey {
  return { group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name };
}

/** 'apps/Deployment:guestbook/web'; the core group is written as an empty string: '/ConfigMap:ns/cfg'. */
export function formatResourceKey(key: ResourceKey): string {
  return `${key.group}/${key.kind}:${key.namespace}/${key.name}`;
}

/** 'Deployment/web', or 'Deployment guestbook/web' with `withNamespace`: how objects are named in messages. */
export function describeObject(key: ResourceKey, options: { withNamespace?: boolean } = {}): string {
  if (options.withNamespace === true && key.namespace !== '') return `${key.kind} ${key.namespace}/${key.name}`;
  return `${key.kind}/${key.name}`;
}

export function sameResource(a: ResourceKey, b: ResourceKey): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** The value at a path of nested records, or undefined when a step is missing or not a record. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** True for a non-null object that is not an array: the check at every parse boundary. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
