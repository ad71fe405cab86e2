/** The deliveries seen lately, so that a replayed one is answered but refreshes nothing. */
import { createHash } from 'node:crypto';

export const deliveryLogDefaults = {
  /** A Git host redelivers within minutes; a replay after this is treated as a new push. */
  ttlMs: 10 * 60_000,
  /** Bounds memory: the oldest entries go first (each is about 100 bytes). */
  maxEntries: 20_000,
} as const;

export interface DeliveryLogOptions {
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * Keys are hashed, so an entry costs the same whatever the header held. Only deliveries whose
 * signature was verified (or that were accepted unsigned on purpose) are recorded: nobody can
 * make a future delivery look like a replay without the secret.
 */
export class DeliveryLog {
  /** Insertion order is expiry order: every entry lives the same ttl. */
  private readonly seen = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DeliveryLogOptions = {}) {
    this.ttlMs = options.ttlMs ?? deliveryLogDefaults.ttlMs;
    this.maxEntries = options.maxEntries ?? deliveryLogDefaults.maxEntries;
    this.now = options.now ?? Date.now;
  }

  /** True when one of these keys was recorded within the ttl. */
  has(keys: readonly string[]): boolean {
    this.expire();
    return keys.some((key) => this.seen.has(digest(key)));
  }

  /** Records the keys (again: a repeat renews nothing, the first sighting counts). */
  record(keys: readonly string[]): void {
    this.expire();
    const expiresAt = this.now() + this.ttlMs;
    for (const key of keys) {
      const id = digest(key);
      if (this.seen.has(id)) continue;
      this.seen.set(id, expiresAt);
      if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value as string);
    }
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(): void {
    const now = this.now();
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt > now) break;
      this.seen.delete(id);
    }
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 22);
}
