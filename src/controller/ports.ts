import type { ChartFetched, ChartRef, ChartResolved, ResolvedChart } from '../charts/index.js';
/**
 * The narrow ports one reconcile talks through (DESIGN.md §6.3). The cluster-backed
 * implementations are in adapters.ts; in-memory fakes for unit tests are in testing/.
 */
import type { Application, ApplicationStatus } from '../api/application.js';
import type { EventReason } from '../api/conditions.js';
import type { GroupVersionKind, KubeObject, ObjectRef } from '../api/object.js';
import type { AppKey } from '../api/tracking.js';
import type { ClusterScope } from '../clusters/types.js';
import type { ResourceInfo } from '../cluster/discovery.js';
import type { NamespaceObject } from '../projects/index.js';
import type { PropagationPolicy } from '../sync/options.js';
import type { Result } from '../api/result.js';
import type { TrackingScheme } from '../api/tracking-scheme.js';

export type { RepoCachePort } from '../git/types.js';

/** Applications: the watch cache, the API server's latest copy, and the two writes a reconcile makes. */
export interface AppStore {
  /** The watch cache's copy. */
  get(key: AppKey): Application | undefined;
  /** The API server's copy now. */
  fetch(key: AppKey): Promise<Application | undefined>;
  list(): Application[];
  /** Replaces the status subresource; returns the app as stored. */
  writeStatus(app: Application, status: ApplicationStatus): Promise<Application>;
  /** A JSON patch of the app itself (finalizers, handled annotations). */
  patch(app: Application, operations: readonly object[]): Promise<Application>;
  /** Fields of the app as its owner wrote it (an Argo CD Application) that the conversion to Capstan's left out: refused. */
  unsupported?(app: Application): readonly { readonly path: string; readonly reason: string }[];
}

/** Maps apiVersion + kind to what the API server serves. */
/** Charts of Helm chart repositories and OCI registries (ChartFetcher). */
export interface ChartSourcePort {
  resolve(ref: ChartRef, options?: { force?: boolean }): Promise<ChartResolved>;
  fetch(ref: ChartRef & ResolvedChart): Promise<ChartFetched>;
  invalidate(repoURL: string): void;
}

/** The destination cluster's version and API versions (cached; Helm's .Capabilities). */
export interface CapabilitiesPort {
  get(): Promise<{ readonly kubeVersion: string; readonly apiVersions: readonly string[] }>;
}

export interface KindResolver {
  resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  /** Forgets one group-version (a 404 showed that the cached entry is stale). */
  forget(apiVersion: string): void;
}

/** The managed objects as the cluster has them. */
export interface LiveState {
  /** Watches these kinds (label-selected) and waits until each has listed once. */
  watch(infos: readonly ResourceInfo[]): Promise<void>;
  isWatched(gvk: GroupVersionKind): boolean;
  /** From the watch cache, at the ref's version. */
  cached(ref: ObjectRef): KubeObject | undefined;
  /** From the API server (objects not labelled yet are not in the cache). */
  fetch(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Cached objects whose tracking names the app, each once. */
  trackedBy(app: AppKey): KubeObject[];
  /** How the managed objects of this cluster are marked as an app's. */
  readonly tracking: TrackingScheme;
}

/** The objects of one namespace, of every kind that could be listed there. */
export interface NamespaceListing {
  readonly objects: readonly NamespaceObject[];
  /** Kinds that could not be listed (the controller may not, or the API is down), with why: left out. */
  readonly skipped: readonly string[];
  /** More objects than the bound: the rest were left out. */
  readonly truncated: boolean;
}

/** Lists (never watches) whole namespaces, with the controller's credentials (orphaned resources). */
export interface NamespaceInventory {
  /** The namespace's objects as listed at most `maxAgeMs` ago (listed again past that). */
  list(namespace: string, options: { readonly maxAgeMs: number }): Promise<NamespaceListing>;
}

/**
 * How a write is validated: unknown or duplicate fields refuse it (the default, as kubectl and
 * Argo CD do), or with `validate: false` (Validate=false) are dropped.
 */
export interface WriteOptions {
  readonly validate?: boolean;
}

/** Every write a sync makes to managed objects. */
export interface Applier {
  /** Server-side apply dry run (force): the object as applying it would leave it. */
  dryRun(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Server-side apply (force) as field manager `capstan`. */
  apply(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Creates the object (POST; a generateName gets its name); 409 when it exists. */
  create(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Replaces the object (PUT), or creates it when it does not exist. */
  replace(obj: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** Deletes one object (guarded by its uid when given); 'gone' when it did not exist. */
  delete(ref: ObjectRef, options: { propagationPolicy: PropagationPolicy; uid?: string }): Promise<'deleted' | 'gone'>;
  /** A JSON patch of one object's metadata (kept objects lose their tracking). */
  patch(ref: ObjectRef, operations: readonly object[]): Promise<KubeObject>;
}

/**
 * One destination cluster as an app sees it: what it serves, its managed objects (read with the
 * controller's credentials), and the writer of that app's objects (the controller's applier, or
 * the ServiceAccount its project impersonates there).
 */
export interface DestinationPorts {
  /** The cluster's name, as status and messages show it (`in-cluster` for the controller's own). */
  readonly cluster: string;
  /** The cluster's API server URL. */
  readonly server: string;
  readonly kinds: KindResolver;
  readonly live: LiveState;
  readonly applier: Applier;
  readonly capabilities: CapabilitiesPort;
  /** What the controller's credentials reach there: absent, everything; else these namespaces (and cluster-scoped objects or not). */
  readonly scope?: ClusterScope;
  /** Whole namespaces listed (orphaned resources); absent, they are not looked at (one-shot comparisons, unit tests). */
  readonly namespaces?: NamespaceInventory;
  /** An applier whose every request the API server authorizes as `user` (a ServiceAccount a project impersonates). */
  applierAs(user: string): Applier;
}

/**
 * Finds an app's destination: the cluster its spec.destination names (in-cluster by default), and
 * the identity its objects are written with. A failure is reported on the app; nothing is applied.
 */
export interface DestinationResolver {
  resolve(app: Application): Promise<Result<DestinationPorts>>;
}

/** Kubernetes Events about an Application; recording never fails a reconcile. */
export interface EventSink {
  record(app: Application, type: 'Normal' | 'Warning', reason: EventReason, message: string): void;
}
