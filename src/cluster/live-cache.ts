import { managedByLabel, managedByValue, trackingIdAnnotation } from '../api/annotations.js';
import type { KubeObject } from '../api/object.js';
import type { ResourceInfo } from './discovery.js';
import type { KubeHttp } from './http.js';
import { Informer, type InformerHandler } from './informer.js';
import type { ResourceClient } from './resources.js';

export const managedSelector = `${managedByLabel}=${managedByValue}`;

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

const kindKey = (group: string, kind: string): string => `${group}/${kind}`;

/**
 * The controller's view of the objects it manages: one label-selected informer per kind,
 * started the first time a kind is needed. Nothing unlabelled is kept in memory.
 */
export class LiveCache {
  private readonly informers = new Map<string, Informer>();

  constructor(
    private readonly http: KubeHttp,
    private readonly resources: ResourceClient,
    private readonly options: { onChange?: InformerHandler; onError?: (info: ResourceInfo, err: unknown) => void; syncTimeoutMs?: number } = {},
  ) {}

  /**
   * Starts watching these kinds (if not yet) and waits until each has listed once. Rejects with
   * the API server's error when it refuses to let the controller list a kind (403).
   */
  async watch(infos: Iterable<ResourceInfo>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const info of infos) {
      const key = kindKey(info.group, info.kind);
      let informer = this.informers.get(key);
      if (informer === undefined) {
        informer = new Informer(this.http, this.resources, info, {
          labelSelector: managedSelector,
          onError: (err) => this.options.onError?.(info, err),
        });
        if (this.options.onChange !== undefined) informer.onChange(this.options.onChange);
        this.informers.set(key, informer);
        informer.start();
      }
      const current = informer;
      waits.push(new Promise<void>((resolve, reject) => {
        current.synced.then(resolve, reject);
        current.onRefused((err) => {
          // Forget it: the next reconcile tries again (after RBAC was fixed).
          this.informers.delete(key);
          void current.stop();
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      }));
    }
    await withTimeout(Promise.all(waits), this.options.syncTimeoutMs ?? 30_000, 'the watch cache of managed objects did not sync in time');
  }

  isWatching(group: string, kind: string): boolean {
    return this.informers.has(kindKey(group, kind));
  }

  get(group: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.informers.get(kindKey(group, kind))?.get(namespace, name);
  }

  /** Every cached object whose tracking id names the app `appKey` ('ns/name'). */
  trackedBy(appKey: string): KubeObject[] {
    const prefix = `${appKey}:`;
    const found: KubeObject[] = [];
    for (const informer of this.informers.values()) {
      for (const obj of informer.list()) {
        if (obj.metadata.annotations?.[trackingIdAnnotation]?.startsWith(prefix) === true) found.push(obj);
      }
    }
    return found;
  }

  get kinds(): number {
    return this.informers.size;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    this.informers.clear();
  }
}
