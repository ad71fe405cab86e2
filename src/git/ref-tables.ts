/**
 * The ref table (ls-remote answer) of each repository clone key, shared by every caller:
 * - an answer is reused while it is young enough for the caller (`maxAgeMs`), a failure for
 *   `failureTtlMs`;
 * - `force` and `invalidate()` ask for an answer that started after that moment; an ls-remote
 *   already running is never detached or duplicated: a caller that needs a later one waits for
 *   one follow-up, which all such callers share;
 * - at most one ls-remote per key starts within `minIntervalMs`, so a burst of refreshes of
 *   one repository costs one or two ls-remotes, not one each.
 */
import type { RefTable } from './ref-table.js';
import type { GitFailure } from './types.js';

export type Listing = { ok: true; refs: RefTable } | { ok: false; error: GitFailure };

export interface RefTablesOptions {
  readonly failureTtlMs: number;
  readonly minIntervalMs: number;
  /** Milliseconds on a monotonic clock (injected for tests). */
  readonly now?: () => number;
}

export interface ListingWanted {
  /** Reuse an answer only if its ls-remote started at most this long ago. */
  readonly maxAgeMs: number;
  /** Only an answer that starts after this call will do. */
  readonly force?: boolean;
}

interface Entry {
  last?: { result: Listing; startedAt: number };
  running?: { promise: Promise<Listing>; startedAt: number };
  /** The follow-up that starts once `running` is done and the minimum interval has passed. */
  queued?: Promise<Listing>;
  lastStartedAt: number;
  invalidatedAt: number;
}

export class RefTables {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly options: RefTablesOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The ref table for `key`, from `list` (one ls-remote) only when no shared answer will do. */
  get(key: string, list: () => Promise<Listing>, wanted: ListingWanted): Promise<Listing> {
    const now = this.now();
    const entry = this.entry(key);
    const floor = Math.max(entry.invalidatedAt, wanted.force === true ? now : -Infinity);
    const need = Math.max(floor, now - wanted.maxAgeMs);
    const last = entry.last;
    if (last !== undefined) {
      const lastNeed = last.result.ok ? need : Math.max(floor, now - this.options.failureTtlMs);
      if (last.startedAt >= lastNeed) return Promise.resolve(last.result);
    }
    if (entry.running !== undefined && entry.running.startedAt >= need) return entry.running.promise;
    if (entry.queued !== undefined) return entry.queued;
    if (entry.running === undefined && now >= entry.lastStartedAt + this.options.minIntervalMs) return this.start(entry, list);
    const running = entry.running?.promise.then(noop, noop) ?? Promise.resolve();
    const queued = running
      .then(() => delay(entry.lastStartedAt + this.options.minIntervalMs - this.now()))
      .then(() => {
        entry.queued = undefined;
        return this.start(entry, list);
      });
    entry.queued = queued;
    return queued;
  }

  /**
   * For every key starting with `prefix`: answers from before now are not reused, and one
   * running now is not detached (callers that need a later one wait for the follow-up).
   */
  invalidate(prefix: string): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (key.startsWith(prefix)) entry.invalidatedAt = now;
  }

  /** Drops everything known about keys that are not wanted any more. */
  retain(wanted: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) {
      if (!wanted.has(key) && entry.running === undefined && entry.queued === undefined) this.entries.delete(key);
    }
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { lastStartedAt: -Infinity, invalidatedAt: -Infinity };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private start(entry: Entry, list: () => Promise<Listing>): Promise<Listing> {
    const startedAt = this.now();
    entry.lastStartedAt = startedAt;
    const promise = list()
      .then((result) => {
        if (entry.last === undefined || entry.last.startedAt <= startedAt) entry.last = { result, startedAt };
        return result;
      })
      .finally(() => {
        if (entry.running?.promise === promise) entry.running = undefined;
      });
    entry.running = { promise, startedAt };
    return promise;
  }
}

function noop(): void {
  /* only the moment matters */
}

function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}
