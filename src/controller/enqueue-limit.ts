export interface EnqueueLimiterOptions {
  /** At most one enqueue per key per this long; default 1 s. */
  readonly periodMs?: number;
  /** Milliseconds, monotonic. */
  readonly now?: () => number;
  /** Runs `fn` after `ms` (default: an unref'd setTimeout); returns a cancel function. */
  readonly schedule?: (fn: () => void, ms: number) => () => void;
}

interface Pending {
  readonly cancel: () => void;
}

/** Keys remembered before the ones whose period is over are swept. */
const sweepAbove = 1_000;

function scheduleTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  // A pending enqueue alone must not keep the process alive.
  timer.unref();
  return () => {
    clearTimeout(timer);
  };
}

/**
 * Rate-limits the enqueues that watch events cause: at most one per key per period, so a busy
 * object or a field fight cannot turn into a reconcile per event. Events within a period are
 * coalesced into one enqueue at its end (a timer of the limiter's own), never dropped: the last
 * event always leads to an enqueue after it, hence to a reconcile that starts after it.
 */
export class EnqueueLimiter {
  /** Key → when it was last enqueued. */
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private readonly periodMs: number;
  private readonly now: () => number;
  private readonly schedule: (fn: () => void, ms: number) => () => void;

  constructor(private readonly enqueue: (key: string) => void, options: EnqueueLimiterOptions = {}) {
    this.periodMs = Math.max(0, options.periodMs ?? 1_000);
    this.now = options.now ?? (() => performance.now());
    this.schedule = options.schedule ?? scheduleTimer;
  }

  add(key: string): void {
    // An enqueue is already scheduled, after this event: it covers it.
    if (this.pending.has(key)) return;
    const now = this.now();
    const last = this.last.get(key);
    if (last === undefined || now - last >= this.periodMs) {
      this.fire(key, now);
      return;
    }
    const cancel = this.schedule(() => {
      this.pending.delete(key);
      this.fire(key, this.now());
    }, last + this.periodMs - now);
    this.pending.set(key, { cancel });
  }

  /** Drops what is known of `key` (a deleted app), a scheduled enqueue included. */
  forget(key: string): void {
    this.pending.get(key)?.cancel();
    this.pending.delete(key);
    this.last.delete(key);
  }

  /** Keys remembered (for tests: the memory stays bounded). */
  get size(): number {
    return this.last.size;
  }

  private fire(key: string, now: number): void {
    this.last.set(key, now);
    this.enqueue(key);
    if (this.last.size <= sweepAbove) return;
    for (const [k, at] of this.last) if (now - at >= this.periodMs && !this.pending.has(k)) this.last.delete(k);
  }
}
