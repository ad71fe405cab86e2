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

/**
 * Maps apiVersion + kind to the resource the API server serves, caching one discovery document
 * per group-version. A kind that is missing is looked up again (a CRD may just have been
 * installed), at most once per `missRefreshMs`.
 */
export class Discovery {
  private readonly cache = new Map<string, GroupVersionResources>();
  private readonly inflight = new Map<string, Promise<GroupVersionResources>>();

  constructor(
    private readonly http: KubeHttp,
    private readonly options: { missRefreshMs?: number } = {},
  ) {}

  /** The resource for apiVersion/kind, or undefined when the API server does not serve that kind. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const cached = this.cache.get(apiVersion);
    const hit = cached?.byKind.get(kind);
    if (hit !== undefined) return hit;
    if (cached !== undefined && Date.now() - cached.fetchedAt < (this.options.missRefreshMs ?? 2_000)) return undefined;
    const fresh = await this.fetch(apiVersion);
    return fresh.byKind.get(kind);
  }

  /** Drops the cached documents (e.g. after a CRD changed). */
  invalidate(): void {
    this.cache.clear();
  }

  private fetch(apiVersion: string): Promise<GroupVersionResources> {
    const running = this.inflight.get(apiVersion);
    if (running !== undefined) return running;
    const promise = this.load(apiVersion).finally(() => this.inflight.delete(apiVersion));
    this.inflight.set(apiVersion, promise);
    return promise;
  }

  private async load(apiVersion: string): Promise<GroupVersionResources> {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const byKind = new Map<string, ResourceInfo>();
    try {
      const doc = await this.http.json({ method: 'GET', path });
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
    const entry = { fetchedAt: Date.now(), byKind };
    this.cache.set(apiVersion, entry);
    return entry;
  }
}

/** URL path of a collection or of one object of a resource. */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  const ns = info.namespaced && namespace !== undefined && namespace !== '' ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${info.plural}${tail}`;
}
