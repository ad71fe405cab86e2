/**
 * A client-side spam filter for Events, as client-go's: per key (an object and a reason), a
 * bucket of `burst` tokens that refills one token per `refillMs`. An Event finding the bucket
 * empty is not sent. Keys are remembered least-recently-used first, at most `maxKeys` of them.
 */
export interface SpamFilterOptions {
  /** Events per key sent at once before the rate applies; default 25. */
  readonly burst?: number;
  /** Then one Event per this long; default 5 minutes. */
  readonly refillMs?: number;
  /** Keys remembered; default 4096. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class EventSpamFilter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly refillMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: SpamFilterOptions = {}) {
    this.burst = Math.max(1, options.burst ?? 25);
    this.refillMs = Math.max(1, options.refillMs ?? 300_000);
    this.maxKeys = Math.max(1, options.maxKeys ?? 4096);
    this.now = options.now ?? Date.now;
  }

  /** Whether an Event of this key may be sent now (and, if so, takes its token). */
  allow(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    const refilled = Math.min(this.burst, bucket.tokens + (now - bucket.at) / this.refillMs);
    const allowed = refilled >= 1;
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: allowed ? refilled - 1 : refilled, at: now });
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done !== true) this.buckets.delete(oldest.value);
    }
    return allowed;
  }

  get size(): number {
    return this.buckets.size;
  }
}
