import { setTimeout as sleep } from 'node:timers/promises';
import { isRecord, type KubeObject } from '../api/object.js';
import { resourcePath, type ResourceInfo } from './discovery.js';
import { isForbidden, isGone, KubeApiError } from './errors.js';
import type { KubeHttp } from './http.js';
import type { ResourceClient } from './resources.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type InformerHandler = (type: WatchEventType, obj: KubeObject, old: KubeObject | undefined) => void;

export interface InformerOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly onError?: (err: unknown) => void;
}

const objectKey = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

/**
 * Keeps an in-memory copy of the objects of one resource that match a label selector, by
 * list + watch (with bookmarks, resuming from the last resourceVersion, relisting when the
 * server says it is too old). Handlers hear every change, including those a relist finds.
 */
export class Informer {
  private readonly store = new Map<string, KubeObject>();
  private readonly handlers: InformerHandler[] = [];
  private resourceVersion = '';
  private readonly abort = new AbortController();
  private syncedResolve: (() => void) | undefined;
  private syncedReject: ((err: Error) => void) | undefined;
  /**
   * Resolves once the first list succeeded; rejects when the API server refuses (403) that
   * first list, after which the informer stops (it cannot sync until RBAC changes).
   */
  readonly synced: Promise<void>;
  private loop: Promise<void> | undefined;
  private listedOnce = false;

  constructor(
    private readonly http: KubeHttp,
    private readonly resources: ResourceClient,
    readonly info: ResourceInfo,
    private readonly options: InformerOptions = {},
  ) {
    this.synced = new Promise((resolve, reject) => {
      this.syncedResolve = resolve;
      this.syncedReject = reject;
    });
    // A rejection nobody waits for yet must not crash the process.
    this.synced.catch(() => undefined);
  }

  onChange(handler: InformerHandler): void {
    this.handlers.push(handler);
  }

  /** True once the first list succeeded. */
  get hasSynced(): boolean {
    return this.listedOnce;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.store.get(`${namespace}/${name}`);
  }

  list(): KubeObject[] {
    return [...this.store.values()];
  }

  private async run(): Promise<void> {
    let failures = 0;
    let needList = true;
    while (!this.abort.signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        await this.watch();
        failures = 0;
      } catch (err) {
        if (this.stopped()) return;
        if (isGone(err)) {
          needList = true;
          continue;
        }
        failures++;
        this.options.onError?.(err);
        if (!this.listedOnce && isForbidden(err)) {
          this.syncedReject?.(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        // A list that failed is retried; a watch that keeps failing relists too.
        needList = needList || failures > 2;
        await sleep(Math.min(30_000, 500 * 2 ** Math.min(failures, 6)), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async relist(): Promise<void> {
    const listed = await this.resources.list(this.info, this.selector());
    const seen = new Set<string>();
    for (const obj of listed.items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.get(key);
      this.store.set(key, obj);
      if (old === undefined) this.emit('ADDED', obj, undefined);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('MODIFIED', obj, old);
    }
    for (const [key, old] of this.store) {
      if (!seen.has(key)) {
        this.store.delete(key);
        this.emit('DELETED', old, old);
      }
    }
    this.resourceVersion = listed.resourceVersion;
    this.listedOnce = true;
    this.syncedResolve?.();
  }

  private selector(): { namespace?: string; labelSelector?: string } {
    return {
      ...(this.options.namespace !== undefined ? { namespace: this.options.namespace } : {}),
      ...(this.options.labelSelector !== undefined ? { labelSelector: this.options.labelSelector } : {}),
    };
  }

  private async watch(): Promise<void> {
    const res = await this.http.stream({
      path: resourcePath(this.info, this.options.namespace),
      query: {
        watch: true, allowWatchBookmarks: true, resourceVersion: this.resourceVersion,
        timeoutSeconds: 240 + Math.floor(Math.random() * 120), labelSelector: this.options.labelSelector,
      },
      signal: this.abort.signal,
    });
    let buffer = '';
    try {
      for await (const chunk of res) {
        buffer += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line !== '') this.handleLine(line);
        }
      }
    } catch (err) {
      if (this.abort.signal.aborted) return;
      throw err;
    }
  }

  private handleLine(line: string): void {
    const event: unknown = JSON.parse(line);
    if (!isRecord(event) || !isRecord(event['object'])) return;
    const type = event['type'];
    const object = event['object'];
    if (type === 'ERROR') {
      const code = typeof object['code'] === 'number' ? object['code'] : 500;
      const message = typeof object['message'] === 'string' ? object['message'] : 'watch error';
      throw new KubeApiError(code, typeof object['reason'] === 'string' ? object['reason'] : '', message);
    }
    const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
    if (typeof metadata['resourceVersion'] === 'string') this.resourceVersion = metadata['resourceVersion'];
    if (type === 'BOOKMARK') return;
    const obj = object as KubeObject;
    const key = objectKey(obj);
    const old = this.store.get(key);
    if (type === 'DELETED') {
      this.store.delete(key);
      this.emit('DELETED', obj, old);
    } else if (type === 'ADDED' || type === 'MODIFIED') {
      this.store.set(key, obj);
      this.emit(old === undefined ? 'ADDED' : 'MODIFIED', obj, old);
    }
  }

  private emit(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): void {
    for (const handler of this.handlers) handler(type, obj, old);
  }
}
