import { formatGvk, type GroupVersionKind, type KubeObject, type ObjectRef } from '../api/object.js';
import { capstanTracking, isTrackedBy, type TrackingScheme } from '../api/tracking-scheme.js';
import { parseAppKey } from '../api/tracking.js';
import type { ResourceInfo } from './discovery.js';
import type { KubeHttp } from './http.js';
import { Informer, type InformerHandler } from './informer.js';
import type { ResourceClient } from './resources.js';

/** Rejects when `promise` has not settled after `ms` (so a reconcile is retried instead of hanging). */
async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(message));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface LiveCacheOptions {
  readonly onChange?: InformerHandler;
  readonly onError?: (info: ResourceInfo, err: unknown) => void;
  readonly syncTimeoutMs?: number;
  /**
   * Watch namespaced kinds in these namespaces only, one watch each (credentials that reach only
   * some namespaces); default: every namespace, one watch per kind.
   */
  readonly namespaces?: readonly string[];
  /** How managed objects are marked (default Capstan's: its label selects what is watched). */
  readonly tracking?: TrackingScheme;
}

/**
 * The controller's view of the objects it manages: one label-selected informer per
 * group/version/kind, started the first time that version of a kind is needed. An object is
 * read at the version its manifest declares (an HPA declared as autoscaling/v1 is compared
 * with its v1 form), so two apps that use two versions of one kind each see their own.
 * Nothing unlabelled is kept in memory.
 */
export class LiveCache {
  /** Informers by group/version/kind, then by namespace ('' for one over every namespace). */
  private readonly informers = new Map<string, Map<string, Informer>>();
  private stopped = false;

  constructor(
    private readonly http: KubeHttp,
    private readonly resources: ResourceClient,
    private readonly options: LiveCacheOptions = {},
  ) {}

  /** How the managed objects are marked. */
  get tracking(): TrackingScheme {
    return this.options.tracking ?? capstanTracking;
  }

  /**
   * Starts watching these kinds (if not yet) and waits until each has listed once. Rejects with
   * the API server's error when it refuses to let the controller list a kind (403); that kind
   * is forgotten, so the next call tries again (after RBAC was fixed).
   */
  async watch(infos: Iterable<ResourceInfo>): Promise<void> {
    // A cache stopped (its cluster's Secret changed) starts no watch that nothing would stop.
    if (this.stopped) throw new Error('the watch cache of this cluster was closed; retrying with a new one');
    const waits: Promise<void>[] = [];
    for (const info of infos) {
      const key = formatGvk(info);
      let byNamespace = this.informers.get(key);
      if (byNamespace === undefined) {
        byNamespace = new Map();
        this.informers.set(key, byNamespace);
      }
      for (const namespace of this.namespacesOf(info)) {
        let informer = byNamespace.get(namespace);
        if (informer === undefined) informer = this.start(info, byNamespace, namespace);
        waits.push(informer.synced);
      }
    }
    await withTimeout(Promise.all(waits), this.options.syncTimeoutMs ?? 30_000, 'the watch cache of managed objects did not sync in time');
  }

  private namespacesOf(info: ResourceInfo): readonly string[] {
    return info.namespaced && this.options.namespaces !== undefined ? this.options.namespaces : [''];
  }

  private start(info: ResourceInfo, byNamespace: Map<string, Informer>, namespace: string): Informer {
    const created = new Informer(this.http, this.resources, info, {
      ...(this.tracking.selector === '' ? {} : { labelSelector: this.tracking.selector }),
      ...(namespace === '' ? {} : { namespace }),
      onError: (err) => this.options.onError?.(info, err),
    });
    if (this.options.onChange !== undefined) created.onChange(this.options.onChange);
    byNamespace.set(namespace, created);
    created.start();
    created.synced.catch(() => {
      if (byNamespace.get(namespace) === created) byNamespace.delete(namespace);
      void created.stop();
    });
    return created;
  }

  /** True once this version of the kind is watched and has listed (in every namespace it is watched in). */
  isWatched(gvk: GroupVersionKind): boolean {
    const byNamespace = this.informers.get(formatGvk(gvk));
    return byNamespace !== undefined && byNamespace.size > 0 && [...byNamespace.values()].every((i) => i.hasSynced);
  }

  /** The cached object at the ref's version; undefined when it is not cached (or not watched at that version). */
  get(ref: ObjectRef): KubeObject | undefined {
    const byNamespace = this.informers.get(formatGvk(ref));
    return (byNamespace?.get('') ?? byNamespace?.get(ref.namespace))?.get(ref.namespace, ref.name);
  }

  /**
   * Every cached object whose tracking names the app `appKey` ('ns/name'). An object watched
   * at several versions is listed once.
   */
  trackedBy(appKey: string): KubeObject[] {
    const app = parseAppKey(appKey);
    if (app === undefined) return [];
    const found: KubeObject[] = [];
    const seen = new Set<string>();
    for (const informer of this.all()) {
      for (const obj of informer.list()) {
        if (!isTrackedBy(this.tracking, obj, app)) continue;
        const uid = obj.metadata.uid ?? `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
        if (seen.has(uid)) continue;
        seen.add(uid);
        found.push(obj);
      }
    }
    return found;
  }

  private all(): Informer[] {
    return [...this.informers.values()].flatMap((byNamespace) => [...byNamespace.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.all().map((i) => i.stop()));
    this.informers.clear();
  }
}
