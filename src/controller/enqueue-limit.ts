/** What the limiter enqueues into (the WorkQueue). */
export interface EnqueueTarget {
  add(key: string): void;
  /** The earliest pending delayed add of a key wins. */
  addAfter(key: string, delayMs: number): void;
}

export interface EnqueueLimiterOptions {
  /** At most one enqueue per key per this long; default 1 s. */
  readonly periodMs?: number;
  /** Milliseconds, monotonic. */
  readonly now?: () => number;
}

/** Keys remembered before the ones whose period is over are swept. */
const sweepAbove = 1_000;

/**
 * Rate-limits the enqueues that watch events cause: at most one per key per period, so a busy
 * object or a field fight cannot turn into a reconcile per event. Events within a period are
 * coalesced into one enqueue at its end, never dropped: the last event always leads to a
 * reconcile that starts after it.
 */
export class EnqueueLimiter {
  /** Key → when its latest enqueue ran or is scheduled to run. */
  private readonly last = new Map<string, number>();
  private readonly periodMs: number;
  private readonly now: () => number;

  constructor(private readonly queue: EnqueueTarget, options: EnqueueLimiterOptions = {}) {
    this.periodMs = Math.max(0, options.periodMs ?? 1_000);
    this.now = options.now ?? (() => performance.now());
  }

  add(key: string): void {
    const now = this.now();
    const last = this.last.get(key);
    if (last === undefined || now - last >= this.periodMs) {
      this.last.set(key, now);
      this.queue.add(key);
      this.sweep(now);
      return;
    }
    // An enqueue is already scheduled after this event: it covers it.
    if (last > now) return;
    const due = last + this.periodMs;
    this.last.set(key, due);
    this.queue.addAfter(key, due - now);
  }

  forget(key: string): void {
    this.last.delete(key);
  }

  get size(): number {
    return this.last.size;
  }

  private sweep(now: number): void {
    if (this.last.size <= sweepAbove) return;
    for (const [key, at] of this.last) if (now - at >= this.periodMs) this.last.delete(key);
  }
}
