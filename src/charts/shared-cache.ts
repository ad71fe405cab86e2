/**
 * Answers shared by every caller, per key: an answer is reused for `ttlMs` (a failure for
 * `failureTtlMs`), at most one load per key runs at a time and all callers wait for it, and
 * at most `maxEntries` keys are kept (least recently used dropped first).
 */

export interface SharedCacheOptions {
  readonly ttlMs: number;
  readonly failureTtlMs: number;
  readonly maxEntries: number;
  /** Milliseconds on a monotonic clock (injected for tests). */
  readonly now?: () => number;
}

interface Entry<T> {
  value?: T;
  /** When the load that gave `value` started. */
  loadedAt: number;
  running?: Promise<T>;
}

export class SharedCache<T extends { readonly ok: boolean }> {
  private readonly entries = new Map<string, Entry<T>>();
  readonly now: () => number;

  constructor(private readonly options: SharedCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The answer for `key`, from `load` only when no shared answer will do. `since` (on this
   * cache's clock) refuses answers from loads that started before it: a forced refresh. A load
   * already running is always shared.
   */
  get(key: string, load: () => Promise<T>, since = -Infinity): Promise<T> {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.touch(key, entry);
      if (entry.running !== undefined) return entry.running;
      const value = entry.value;
      const ttl = value?.ok === true ? this.options.ttlMs : this.options.failureTtlMs;
      if (value !== undefined && entry.loadedAt >= since && this.now() - entry.loadedAt < ttl) return Promise.resolve(value);
    }
    const fresh: Entry<T> = entry ?? { loadedAt: -Infinity };
    const startedAt = this.now();
    const running = load()
      .then((value) => {
        fresh.value = value;
        fresh.loadedAt = startedAt;
        return value;
      })
      .finally(() => {
        fresh.running = undefined;
      });
    fresh.running = running;
    if (entry === undefined) this.entries.set(key, fresh);
    this.evict();
    return running;
  }

  /** Forgets the answers for the keys `matches` picks (a load running now is still shared). */
  invalidate(matches: (key: string) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(key) && entry.running === undefined) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries) return;
      if (entry.running === undefined) this.entries.delete(key);
    }
  }
}
