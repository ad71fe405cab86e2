import { stringify } from 'safe-stable-stringify';
import type { HelmSource, KustomizeSource, SourceType } from '../api/application.js';
import { normaliseSourcePath } from './paths.js';
import type { SerializedRender } from './serialized.js';
import type { DirectoryOptions } from './types.js';

export interface RenderCacheOptions {
  /** Most results kept; the least recently used goes first (default 256). */
  maxEntries?: number;
  /** Most bytes (the JSON text of the results) kept; the least recently used goes first (default 128 MiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_ENTRIES = 256;
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;

/**
 * Render results by key, least recently used evicted first, bounded by entries and by bytes. A
 * result holds its objects as JSON text, so what it takes is known, and no reader can change
 * what the next one gets (each parses objects of its own); its lists are frozen.
 */
export class RenderCache {
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  // A Map iterates in insertion order, so its first key is the least recently used.
  private readonly entries = new Map<string, SerializedRender>();
  private readonly sizes = new Map<string, number>();
  private totalBytes = 0;
  /** The source type each source key rendered as (bounded like the entries): a Helm render is kept under a key that adds its release and cluster. */
  private readonly types = new Map<string, SourceType>();

  constructor(options: RenderCacheOptions = {}) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? DEFAULT_MAX_ENTRIES));
    this.maxBytes = Math.max(1, Math.floor(options.maxBytes ?? DEFAULT_MAX_BYTES));
  }

  /** Size of the results kept. */
  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** How the source of `sourceKey` last rendered, if known. */
  typeOf(sourceKey: string): SourceType | undefined {
    return this.types.get(sourceKey);
  }

  rememberType(sourceKey: string, type: SourceType): void {
    this.types.delete(sourceKey);
    this.types.set(sourceKey, type);
    while (this.types.size > 2 * this.maxEntries) {
      const oldest = this.types.keys().next();
      if (oldest.done === true) break;
      this.types.delete(oldest.value);
    }
  }

  get(key: string): SerializedRender | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Keeps `value` (a result larger than the whole budget is not kept at all). */
  set(key: string, value: SerializedRender): void {
    this.delete(key);
    const size = sizeOf(value);
    if (size > this.maxBytes) return;
    this.entries.set(key, freeze(value));
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
    this.types.clear();
    this.entries.clear();
    this.sizes.clear();
    this.totalBytes = 0;
  }
}

/** Bytes a result takes: its text, and a little for each string (cost.ts counts the same way). */
function sizeOf(value: SerializedRender): number {
  const strings = value.ok ? [...value.objects, ...value.files] : value.errors.flatMap((e) => [e.file, e.message]);
  return strings.reduce((sum, text) => sum + 16 + text.length, 64);
}

function freeze(value: SerializedRender): SerializedRender {
  const type = value.sourceType === undefined ? {} : { sourceType: value.sourceType };
  if (value.ok) return Object.freeze({ ok: true, objects: Object.freeze([...value.objects]), files: Object.freeze([...value.files]), ...type });
  return Object.freeze({ ok: false, errors: Object.freeze(value.errors.map((e) => Object.freeze({ ...e }))), ...type });
}

/** What a render depends on: the repository, its commit, the source path and options, and what the tools are given. */
export interface RenderSource {
  /** The repository, in the one form every spelling of its URL shares. */
  readonly repository: string;
  readonly commit: string;
  readonly path: string;
  readonly directory?: DirectoryOptions | undefined;
  readonly kustomize?: KustomizeSource | undefined;
  readonly helm?: HelmSource | undefined;
  /** Everything else the output depends on: release name, namespace, cluster capabilities, tool versions. */
  readonly context?: unknown;
}

/**
 * The cache key of a directory render. Equivalent inputs give the same key: '', '.' and './'
 * are one path, and absent options equal their defaults. The repository is part of it, so one
 * app can never be handed the render of another repository's commit by naming its SHA.
 */
export function renderCacheKey(source: RenderSource): string {
  const normalised = normaliseSourcePath(source.path);
  const path = normalised.ok ? normalised.path : source.path;
  const options = source.directory;
  const key: unknown[] = ['directory', source.repository, source.commit, path, options?.recurse ?? false, options?.include ?? '', options?.exclude ?? ''];
  if (options?.jsonnet !== undefined) key.push({ jsonnet: options.jsonnet });
  if (source.kustomize !== undefined) key.push({ kustomize: source.kustomize });
  if (source.helm !== undefined) key.push({ helm: source.helm });
  if (source.context !== undefined) key.push({ context: source.context });
  return stringify(key);
}
