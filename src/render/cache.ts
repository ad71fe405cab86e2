import { normaliseSourcePath } from './paths.js';
import type { DirectoryOptions, RenderResult } from './types.js';

export interface RenderCacheOptions {
  /** Most results kept; the least recently used goes first (default 256). */
  maxEntries?: number;
  /** Most bytes (JSON size of the results) kept; the least recently used goes first (default 128 MiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_ENTRIES = 256;
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/**
 * Render results by key, least recently used evicted first. A stored result is deeply frozen:
 * it is shared by every later reader, so a caller that adds namespaces or labels must copy first.
 */
export class RenderCache {
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  // A Map iterates in insertion order, so its first key is the least recently used.
  private readonly entries = new Map<string, RenderResult>();
  private readonly sizes = new Map<string, number>();
  private totalBytes = 0;

  constructor(options: RenderCacheOptions = {}) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES));
    this.maxBytes = Math.max(1, Math.floor(options.maxBytes ?? DEFAULT_MAX_BYTES));
  }

  /** JSON size of the results kept. */
  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): RenderResult | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Keeps `value` (a result larger than the whole budget is not kept at all). */
  set(key: string, value: RenderResult): void {
    this.delete(key);
    const size = JSON.stringify(value).length;
    if (size > this.maxBytes) return;
    this.entries.set(key, deepFreeze(value));
    this.sizes.set(key, size);
    this.totalBytes += size;
    while (this.entries.size > this.maxEntries || this.totalBytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.totalBytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.sizes.clear();
    this.totalBytes = 0;
  }
}

/**
 * The cache key of a directory render. Equivalent inputs give the same key: '', '.' and './'
 * are one path, and absent options equal their defaults.
 */
export function renderCacheKey(commit: string, sourcePath: string, options: DirectoryOptions | undefined): string {
  const normalised = normaliseSourcePath(sourcePath);
  const path = normalised.ok ? normalised.path : sourcePath;
  return JSON.stringify(['directory', commit, path, options?.recurse ?? false, options?.include ?? '', options?.exclude ?? '']);
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
