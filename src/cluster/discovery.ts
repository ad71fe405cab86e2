import PQueue from 'p-queue';
import { isRecord } from '../api/object.js';
import type { KubeHttp } from './http.js';
import { isNotFound } from './errors.js';

/** What the API server serves for one kind. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural resource name used in URLs, e.g. 'deployments'. */
  readonly plural: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

interface GroupVersionResources {
  readonly fetchedAt: number;
  readonly byKind: Map<string, ResourceInfo>;
}

export interface DiscoveryOptions {
  /** A kind that is missing is looked up again at most this often; default 2 s. */
  readonly missRefreshMs?: number;
  /**
   * How long a group-version's document is trusted; default 10 min. After that it is read
   * again, so a version a CRD stopped serving is noticed without a restart.
   */
  readonly hitTtlMs?: number;
  /** The clock, in milliseconds (tests inject one). */
  readonly now?: () => number;
  /** Group-versions remembered at most, the least recently used forgotten first; default 512. */
  readonly maxEntries?: number;
  /** Discovery requests under way at once; default 8. */
  readonly concurrency?: number;
}

/**
 * An apiVersion as the API server names group-versions: `v1`, or `group/version` with a DNS
 * subdomain group and a version such as v1, v2beta1. Anything else (`x/../../api/v1/secrets`,
 * a query string) is never a path part: it is an unknown kind.
 */
const apiVersionSyntax = /^(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?\/)?v[0-9]+[a-z0-9]{0,61}$/u;

export function isApiVersion(apiVersion: string): boolean {
  return apiVersionSyntax.test(apiVersion);
}

/**
 * Maps apiVersion + kind to the resource the API server serves, caching one discovery document
 * per group-version for `hitTtlMs`. A kind that is missing is looked up again (a CRD may just
 * have been installed), at most once per `missRefreshMs`. Concurrent look-ups of one
 * group-version share one request; at most `concurrency` requests run at once, and at most
 * `maxEntries` group-versions are remembered. An apiVersion that is not one by its syntax is
 * never requested.
 */
export class Discovery {
  private readonly cache = new Map<string, GroupVersionResources>();
  private readonly inflight = new Map<string, Promise<GroupVersionResources>>();
  private readonly now: () => number;
  private readonly requests: PQueue;

  constructor(
    private readonly http: KubeHttp,
    private readonly options: DiscoveryOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.requests = new PQueue({ concurrency: options.concurrency ?? 8 });
  }

  /** The resource for apiVersion/kind, or undefined when the API server does not serve that kind. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    if (!isApiVersion(apiVersion)) return undefined;
    const cached = this.cache.get(apiVersion);
    if (cached !== undefined) {
      // Most recently used last: the first entry is the one to forget when the cache is full.
      this.cache.delete(apiVersion);
      this.cache.set(apiVersion, cached);
      const age = this.now() - cached.fetchedAt;
      if (age < (this.options.hitTtlMs ?? 600_000)) {
        const hit = cached.byKind.get(kind);
        if (hit !== undefined) return hit;
        if (age < (this.options.missRefreshMs ?? 2_000)) return undefined;
      }
    }
    const fresh = await this.fetch(apiVersion);
    return fresh.byKind.get(kind);
  }

  /** Every kind one group-version serves (none when it serves none, or is not one by its syntax); cached as resolve caches it. */
  async kindsOf(apiVersion: string): Promise<ResourceInfo[]> {
    if (!isApiVersion(apiVersion)) return [];
    const cached = this.cache.get(apiVersion);
    const fresh = cached !== undefined && this.now() - cached.fetchedAt < (this.options.hitTtlMs ?? 600_000) ? cached : await this.fetch(apiVersion);
    return [...fresh.byKind.values()];
  }

  /**
   * Drops what is known of one group-version (e.g. a 404 showed the entry is stale); the next
   * look-up reads it again. A look-up already under way no longer fills the cache.
   */
  forget(apiVersion: string): void {
    this.cache.delete(apiVersion);
    this.inflight.delete(apiVersion);
  }

  private fetch(apiVersion: string): Promise<GroupVersionResources> {
    const running = this.inflight.get(apiVersion);
    if (running !== undefined) return running;
    const promise: Promise<GroupVersionResources> = this.load(apiVersion)
      .then((entry) => {
        if (this.inflight.get(apiVersion) === promise) this.remember(apiVersion, entry);
        return entry;
      })
      .finally(() => {
        if (this.inflight.get(apiVersion) === promise) this.inflight.delete(apiVersion);
      });
    this.inflight.set(apiVersion, promise);
    return promise;
  }

  private remember(apiVersion: string, entry: GroupVersionResources): void {
    this.cache.delete(apiVersion);
    this.cache.set(apiVersion, entry);
    const max = Math.max(1, this.options.maxEntries ?? 512);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
  }

  private async load(apiVersion: string): Promise<GroupVersionResources> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const path = group === '' ? `/api/${encodeURIComponent(version)}` : `/apis/${encodeURIComponent(group)}/${encodeURIComponent(version)}`;
    const byKind = new Map<string, ResourceInfo>();
    try {
      const doc = await this.requests.add(() => this.http.json({ method: 'GET', path }));
      const resources = isRecord(doc) && Array.isArray(doc['resources']) ? doc['resources'] : [];
      for (const r of resources) {
        if (!isRecord(r) || typeof r['name'] !== 'string' || typeof r['kind'] !== 'string') continue;
        if (r['name'].includes('/')) continue; // subresources such as deployments/status
        const verbs = Array.isArray(r['verbs']) ? r['verbs'].filter((v): v is string => typeof v === 'string') : [];
        byKind.set(r['kind'], { group, version, kind: r['kind'], plural: r['name'], namespaced: r['namespaced'] === true, verbs });
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    return { fetchedAt: this.now(), byKind };
  }
}

/** Thrown for a name or namespace that cannot be one URL path segment ('.', '..', ''). */
export class InvalidPathSegmentError extends Error {
  constructor(what: string, value: string) {
    super(`${what} ${JSON.stringify(value.slice(0, 64))} cannot name an object`);
    this.name = 'InvalidPathSegmentError';
  }
}

/** `value` as one URL path segment; '.' and '..' would be resolved away as dot segments, so they are refused. */
function segment(what: string, value: string): string {
  if (value === '' || value === '.' || value === '..') throw new InvalidPathSegmentError(what, value);
  return encodeURIComponent(value);
}

/** URL path of a collection or of one object of a resource. */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const ns = info.namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${segment('namespace', namespace)}` : '';
  const tail = name === undefined ? '' : `/${segment('name', name)}`;
  return `${base}${ns}/${info.plural}${tail}`;
}
