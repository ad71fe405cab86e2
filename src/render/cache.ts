import { normaliseSourcePath } from './paths.js';
import type { DirectoryOptions, RenderResult } from './types.js';

export interface RenderCacheOptions {
  /** Most results kept; the least recently used goes first (default 256). */
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRIES = 256;

/**
 * Render results by key, least recently used evicted first. A stored result is deeply frozen:
 * it is shared by every later reader, so a caller that adds namespaces or labels must copy first.
 */
export class RenderCache {
  private readonly maxEntries: number;
  // A Map iterates in insertion order, so its first key is the least recently used.
  private readonly entries = new Map<string, RenderResult>();

  constructor(options: RenderCacheOptions = {}) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES));
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

  set(key: string, value: RenderResult): void {
    this.entries.delete(key);
    this.entries.set(key, deepFreeze(value));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
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
