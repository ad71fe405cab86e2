export interface BackoffOptions {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
  /** Growth per consecutive failure; default 2. */
  factor?: number;
  /** Relative spread, 0..1; default 0.1 (±10 %), so keys that failed together do not retry together. */
  jitter?: number;
}

/** Per-key exponential backoff: the n-th consecutive failure of a key waits base·factor^(n-1), capped at maxMs. */
export class KeyedBackoff {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly failureCounts = new Map<string, number>();

  constructor(
    options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    const { baseMs, maxMs, factor = 2, jitter = 0.1 } = options;
    if (!(Number.isFinite(baseMs) && baseMs > 0)) throw new RangeError(`backoff baseMs must be a positive number, got ${baseMs}`);
    if (!(Number.isFinite(maxMs) && maxMs >= baseMs)) throw new RangeError(`backoff maxMs must be at least baseMs, got ${maxMs}`);
    if (!(Number.isFinite(factor) && factor >= 1)) throw new RangeError(`backoff factor must be at least 1, got ${factor}`);
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`backoff jitter must be within 0..1, got ${jitter}`);
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.jitter = jitter;
  }

  /** Counts one more failure of `key` and returns how long to wait before retrying it, in whole ms. */
  next(key: string): number {
    const failures = this.failures(key);
    this.failureCounts.set(key, failures + 1);
    // factor^failures overflows to Infinity for long failure streaks; min() turns that into maxMs.
    const exact = Math.min(this.maxMs, this.baseMs * this.factor ** failures);
    const spread = 1 + this.jitter * (2 * this.random() - 1);
    // Capped again after jitter so maxMs is a hard bound.
    return Math.round(Math.min(this.maxMs, Math.max(0, exact * spread)));
  }

  /** Consecutive failures counted for `key` since it last succeeded. */
  failures(key: string): number {
    return this.failureCounts.get(key) ?? 0;
  }

  reset(key: string): void {
    this.failureCounts.delete(key);
  }
}

export { parseDuration } from '../api/duration.js';
