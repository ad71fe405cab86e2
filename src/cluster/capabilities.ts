import type { KubeHttp } from './http.js';

/** What a cluster offers templates: its version and the group-versions it serves (Helm's .Capabilities). */
export interface Capabilities {
  /** `v1.35.4`, as /version's gitVersion without a build suffix. */
  readonly kubeVersion: string;
  /** `v1`, `apps/v1`, … sorted. */
  readonly apiVersions: readonly string[];
}

interface VersionInfo { gitVersion?: unknown }
interface ApiVersions { versions?: unknown }
interface ApiGroupList { groups?: { versions?: { groupVersion?: unknown }[] }[] }

/**
 * The cluster's capabilities, read from /version, /api and /apis, and kept for `ttlMs` (one
 * read shared by every caller meanwhile). A failed read is not kept.
 */
export class ClusterCapabilities {
  private value: { at: number; capabilities: Promise<Capabilities> } | undefined;

  constructor(private readonly http: KubeHttp, private readonly ttlMs = 10 * 60_000, private readonly now: () => number = Date.now) {}

  get(): Promise<Capabilities> {
    const cached = this.value;
    if (cached !== undefined && this.now() - cached.at < this.ttlMs) return cached.capabilities;
    const capabilities = this.read();
    const entry = { at: this.now(), capabilities };
    this.value = entry;
    capabilities.catch(() => {
      if (this.value === entry) this.value = undefined;
    });
    return capabilities;
  }

  private async read(): Promise<Capabilities> {
    const [version, core, groups] = await Promise.all([
      this.http.json<VersionInfo>({ method: 'GET', path: '/version' }),
      this.http.json<ApiVersions>({ method: 'GET', path: '/api' }),
      this.http.json<ApiGroupList>({ method: 'GET', path: '/apis' }),
    ]);
    const gitVersion = typeof version.gitVersion === 'string' ? version.gitVersion : '';
    const apiVersions = new Set<string>();
    if (Array.isArray(core.versions)) for (const v of core.versions) if (typeof v === 'string') apiVersions.add(v);
    for (const group of groups.groups ?? []) for (const v of group.versions ?? []) if (typeof v.groupVersion === 'string') apiVersions.add(v.groupVersion);
    return { kubeVersion: plainVersion(gitVersion), apiVersions: [...apiVersions].sort() };
  }
}

/** `v1.35.4-gke.100+abc` → `v1.35.4`: helm takes a plain semantic version. */
export function plainVersion(gitVersion: string): string {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(gitVersion);
  return match === null ? '' : `v${match[1]}.${match[2]}.${match[3] ?? '0'}`;
}
