import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { isRecord, type KubeObject } from '../api/object.js';
import { resourcePath, type ResourceInfo } from './discovery.js';
import { isForbidden, isGone, KubeApiError, WatchIdleError } from './errors.js';
import type { KubeHttp } from './http.js';
import type { ResourceClient } from './resources.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type InformerHandler = (type: WatchEventType, obj: KubeObject, old: KubeObject | undefined) => void;

/**
 * kube-apiserver 1.35 sends a bookmark on a quiet watch every 60 s (measured on the local
 * control plane: gaps of 59.4–60.8 s on ConfigMaps, Secrets and custom resources), and one 2 s
 * before the watch's own timeout. The first bookmark can come a period late (121 s measured, on
 * a resource whose watch cache had just started). A stream silent for three periods is taken
 * for dead; reopening a healthy one by mistake costs one watch request, no relist.
 */
export const defaultIdleTimeoutMs = 180_000;

export interface InformerOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  /** Only the objects this field selector matches (e.g. `metadata.name=capstan-config`). */
  readonly fieldSelector?: string;
  readonly onError?: (err: unknown) => void;
  /**
   * A watch on which no byte arrives (no event, no bookmark) for this long is closed and opened
   * again from the last resourceVersion, so a half-open connection is noticed; default
   * `defaultIdleTimeoutMs`.
   */
  readonly idleTimeoutMs?: number;
}

/** How one round of list-and-watch ended. */
export type RoundEnd =
  /** The server ended the watch; `lines` is how many events (bookmarks included) it sent. */
  | { readonly kind: 'watch-ended'; readonly lines: number; readonly durationMs: number }
  /** Nothing arrived for the idle deadline; the stream was closed. */
  | { readonly kind: 'watch-idle' }
  /** The list, or the watch after `lines` events, failed. */
  | { readonly kind: 'failed'; readonly during: 'list' | 'watch'; readonly lines: number; readonly error: unknown };

export interface NextRound {
  /** List again before the next watch. */
  readonly relist: boolean;
  /** Wait this long first. */
  readonly delayMs: number;
  /** Consecutive rounds that made no progress. */
  readonly failures: number;
}

/** A watch shorter than this that sent nothing counts as a failure (it is not reopened at once). */
export const shortWatchMs = 1_000;

/** Backoff after the `failures`-th consecutive failure: 1 s, 2 s, 4 s, … up to 30 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(Math.max(failures, 1), 6));
}

/**
 * What the informer does after a round (pure). A watch that ends normally is reopened at once
 * from the last resourceVersion, and so is an idle one. A watch that ends at once with nothing
 * sent, a failed list (a 410 included: its continue token expired) and a failed watch wait for
 * a backoff; a watch whose resourceVersion is too old (410) relists, at once the first time.
 * A watch that keeps failing relists too.
 */
export function nextRound(end: RoundEnd, failures: number): NextRound {
  switch (end.kind) {
    case 'watch-idle':
      return { relist: false, delayMs: 0, failures };
    case 'watch-ended': {
      if (end.lines > 0 || end.durationMs >= shortWatchMs) return { relist: false, delayMs: 0, failures: 0 };
      const count = failures + 1;
      return { relist: false, delayMs: retryDelayMs(count), failures: count };
    }
    case 'failed': {
      const count = (end.during === 'watch' && end.lines > 0 ? 0 : failures) + 1;
      if (end.during === 'list') return { relist: true, delayMs: retryDelayMs(count), failures: count };
      if (isGone(end.error)) return { relist: true, delayMs: count === 1 ? 0 : retryDelayMs(count), failures: count };
      return { relist: count > 2, delayMs: retryDelayMs(count), failures: count };
    }
  }
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
  /** Lines received on the current watch. */
  private watchLines = 0;

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
    while (!this.stopped()) {
      const end = await this.round(needList);
      if (this.stopped()) return;
      if (end.kind === 'failed') {
        this.options.onError?.(end.error);
        if (!this.listedOnce && isForbidden(end.error)) {
          this.syncedReject?.(end.error instanceof Error ? end.error : new Error(String(end.error)));
          return;
        }
      } else if (end.kind === 'watch-idle') {
        this.options.onError?.(new WatchIdleError(`watch of ${this.info.kind} sent nothing for ${this.idleTimeoutMs()} ms; reopening it`));
      }
      const next = nextRound(end, failures);
      failures = next.failures;
      needList = next.relist;
      if (next.delayMs > 0) await sleep(next.delayMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
    }
  }

  /** Lists (when asked to), then watches until the watch ends. */
  private async round(list: boolean): Promise<RoundEnd> {
    if (list) {
      try {
        await this.relist();
      } catch (err) {
        return { kind: 'failed', during: 'list', lines: 0, error: err };
      }
    }
    try {
      return await this.watch();
    } catch (err) {
      return { kind: 'failed', during: 'watch', lines: this.watchLines, error: err };
    }
  }

  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async relist(): Promise<void> {
    const listed = await this.resources.list(this.info, { ...this.selector(), signal: this.abort.signal });
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

  private selector(): { namespace?: string; labelSelector?: string; fieldSelector?: string } {
    return {
      ...(this.options.namespace !== undefined ? { namespace: this.options.namespace } : {}),
      ...(this.options.labelSelector !== undefined ? { labelSelector: this.options.labelSelector } : {}),
      ...(this.options.fieldSelector !== undefined ? { fieldSelector: this.options.fieldSelector } : {}),
    };
  }

  private idleTimeoutMs(): number {
    return this.options.idleTimeoutMs ?? defaultIdleTimeoutMs;
  }

  /**
   * One watch from the last resourceVersion, until the server ends it, it fails, or nothing
   * arrives for the idle deadline (which also bounds the wait for the response).
   */
  private async watch(): Promise<RoundEnd> {
    const started = performance.now();
    this.watchLines = 0;
    const streamAbort = new AbortController();
    const stopStream = (): void => {
      streamAbort.abort();
    };
    this.abort.signal.addEventListener('abort', stopStream, { once: true });
    const idleTimer = setTimeout(stopStream, this.idleTimeoutMs());
    try {
      const res = await this.http.stream({
        path: resourcePath(this.info, this.options.namespace),
        query: {
          watch: true, allowWatchBookmarks: true, resourceVersion: this.resourceVersion,
          timeoutSeconds: 240 + Math.floor(Math.random() * 120), labelSelector: this.options.labelSelector,
          fieldSelector: this.options.fieldSelector,
        },
        signal: streamAbort.signal,
      });
      let buffer = '';
      for await (const chunk of res) {
        idleTimer.refresh();
        buffer += (chunk as Buffer).toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === '') continue;
          this.handleLine(line);
          // Counted once handled: an ERROR event is no sign of progress.
          this.watchLines++;
        }
      }
      return { kind: 'watch-ended', lines: this.watchLines, durationMs: performance.now() - started };
    } catch (err) {
      // Aborted, and not by stop(): the idle deadline passed.
      if (streamAbort.signal.aborted && !this.stopped()) return { kind: 'watch-idle' };
      throw err;
    } finally {
      clearTimeout(idleTimer);
      this.abort.signal.removeEventListener('abort', stopStream);
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
