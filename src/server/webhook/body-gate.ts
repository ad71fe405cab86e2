/**
 * Bounds the request bodies being read at once, in count and in bytes. When it is full, a new
 * request takes the place of the reader that has gone longest without receiving a byte: a
 * client that stalls mid-body holds its place only until someone else needs it, so a few
 * hundred stalled connections cannot lock a Git host out.
 */

export interface BodyGateOptions {
  readonly maxReaders: number;
  readonly maxBytes: number;
  readonly now?: () => number;
}

/** One reader's place. `signal` aborts when another request took the place. */
export interface BodyLease {
  readonly signal: AbortSignal;
  /** Call on every chunk received: an active reader is the last to be displaced. */
  touch(): void;
  /** Gives the place back (idempotent). */
  release(): void;
}

interface Entry {
  readonly bytes: number;
  lastDataAt: number;
  readonly abort: AbortController;
}

export class BodyGate {
  private readonly entries = new Set<Entry>();
  private reserved = 0;
  private readonly now: () => number;

  constructor(private readonly options: BodyGateOptions) {
    this.now = options.now ?? performance.now.bind(performance);
  }

  /**
   * A place for a body of up to `bytes`, displacing the idlest readers if needed; undefined
   * when even that cannot make room (`bytes` over the whole budget, or no reader to displace).
   */
  acquire(bytes: number): BodyLease | undefined {
    if (bytes > this.options.maxBytes || this.options.maxReaders < 1) return undefined;
    while (this.entries.size >= this.options.maxReaders || this.reserved + bytes > this.options.maxBytes) {
      const idlest = this.idlest();
      if (idlest === undefined) return undefined;
      this.remove(idlest);
      idlest.abort.abort();
    }
    const entry: Entry = { bytes, lastDataAt: this.now(), abort: new AbortController() };
    this.entries.add(entry);
    this.reserved += bytes;
    return {
      signal: entry.abort.signal,
      touch: () => {
        entry.lastDataAt = this.now();
      },
      release: () => {
        this.remove(entry);
      },
    };
  }

  get readers(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.reserved;
  }

  private idlest(): Entry | undefined {
    let found: Entry | undefined;
    for (const entry of this.entries) if (found === undefined || entry.lastDataAt < found.lastDataAt) found = entry;
    return found;
  }

  private remove(entry: Entry): void {
    if (!this.entries.delete(entry)) return;
    this.reserved -= entry.bytes;
  }
}
