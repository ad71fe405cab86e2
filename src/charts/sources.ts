/**
 * The two kinds of chart repository behind one interface: which version a targetRevision picks,
 * and where a version's archive is and what its digest should be. Index files, tag lists and
 * manifests come through shared caches, so a burst of apps naming one repository costs one
 * request.
 */
import type { Download } from './http.js';
import { download } from './http.js';
import type { OciClient } from './oci.js';
import { anonymousAccess, authHeaders, type ChartAccess } from './repo-auth.js';
import { fetchIndex, type IndexLimits, type IndexRead } from './repo-index.js';
import { isStrictVersion, isExactVersion, pickVersion } from './version.js';
import { ociTagOf, versionOfOciTag, type HttpChartRepo, type OciChartRepo } from './ref.js';
import type { SharedCache } from './shared-cache.js';
import { chartFailure, type ChartFailure } from './types.js';

/** Where a version's archive is: its digest when the repository says it, and how to download it. */
export interface Located {
  readonly ok: true;
  readonly digest: string | undefined;
  /** The archive's size when the repository says it. */
  readonly size?: number;
  readonly download: (file: string, maxBytes: number, timeoutMs: number) => Promise<Download>;
}

/** `since`: answers from reads of the repository that started before it are not reused (-Infinity: any within the TTL). */
export interface ChartSource {
  /** The version `targetRevision` picks. */
  pick(chart: string, targetRevision: string | undefined, since: number): Promise<{ ok: true; version: string } | ChartFailure>;
  locate(chart: string, version: string, since: number): Promise<Located | ChartFailure>;
}

export type TagsRead = { ok: true; versions: string[] } | ChartFailure;
export type ManifestRead = { ok: true; digest: string; size: number } | ChartFailure;

export class IndexSource implements ChartSource {
  constructor(
    private readonly repo: HttpChartRepo,
    private readonly indexes: SharedCache<IndexRead>,
    private readonly limits: IndexLimits,
    private readonly access: ChartAccess = anonymousAccess(repo.base.origin),
  ) {}

  async pick(chart: string, targetRevision: string | undefined, since: number): Promise<{ ok: true; version: string } | ChartFailure> {
    const entries = await this.entries(chart, since);
    if (!entries.ok) return entries;
    const picked = pickVersion(entries.versions, targetRevision);
    if (picked.ok) return picked;
    return chartFailure(picked.reason === 'invalid' ? 'InvalidChartRef' : 'ChartNotFound', `chart ${chart} in ${this.repo.display}: ${picked.message}`);
  }

  async locate(chart: string, version: string, since: number): Promise<Located | ChartFailure> {
    const index = await this.indexes.get(this.repo.key, () => fetchIndex(this.repo, this.limits, this.access), since);
    if (!index.ok) return index;
    const entry = index.index.charts.get(chart)?.find((e) => e.version === version);
    if (entry === undefined) return chartFailure('ChartNotFound', `chart ${chart} version ${version} is not in ${this.repo.display}`);
    if (entry.badDigest !== undefined) return chartFailure('ChartRepoError', `chart ${chart} version ${version} in ${this.repo.display} has digest "${entry.badDigest}", which is no sha256 digest`);
    const url = entry.urls[0];
    if (url === undefined) return chartFailure('ChartRepoError', `chart ${chart} version ${version} in ${this.repo.display} lists no http(s) URL to download it from`);
    // The Secret's credentials and TLS settings go only to the repository's own origin (Helm's passCredentials off).
    const own = new URL(url).origin === this.access.origin;
    const tls = own ? this.access.tls : undefined;
    const options = { headers: authHeaders(this.access, url), ...(tls === undefined ? {} : { tls }) };
    return { ok: true, digest: entry.digest, download: (file, maxBytes, timeoutMs) => download(url, file, { maxBytes, timeoutMs, ...options }) };
  }

  private async entries(chart: string, since: number): Promise<{ ok: true; versions: string[] } | ChartFailure> {
    const index = await this.indexes.get(this.repo.key, () => fetchIndex(this.repo, this.limits, this.access), since);
    if (!index.ok) return index;
    const entries = index.index.charts.get(chart);
    if (entries === undefined) return chartFailure('ChartNotFound', `chart ${chart} is not in ${this.repo.display}`);
    return { ok: true, versions: entries.map((e) => e.version) };
  }
}

export class OciSource implements ChartSource {
  constructor(
    private readonly repo: OciChartRepo,
    private readonly client: OciClient,
    private readonly tagLists: SharedCache<TagsRead>,
    private readonly manifests: SharedCache<ManifestRead>,
    private readonly access: ChartAccess = anonymousAccess(repo.origin),
  ) {}

  /**
   * As Helm does: a version (Masterminds' reading) is the tag itself; anything else is a
   * constraint over the tags that are strict semver once `_` is read as `+`.
   */
  async pick(_chart: string, targetRevision: string | undefined, since: number): Promise<{ ok: true; version: string } | ChartFailure> {
    const wanted = (targetRevision ?? '').trim();
    if (wanted !== '' && isExactVersion(wanted)) return { ok: true, version: wanted };
    const tags = await this.tagLists.get(this.repo.key, () => this.listVersions(), since);
    if (!tags.ok) return tags;
    const picked = pickVersion(tags.versions, wanted);
    if (picked.ok) return picked;
    return chartFailure(picked.reason === 'invalid' ? 'InvalidChartRef' : 'ChartNotFound', `${this.repo.display}: ${picked.message}`);
  }

  async locate(_chart: string, version: string, since: number): Promise<Located | ChartFailure> {
    const tag = ociTagOf(version);
    if (tag === undefined) return chartFailure('InvalidChartRef', `chart version "${version}" cannot be an OCI tag`);
    const manifest = await this.manifests.get(`${this.repo.key}:${tag}`, () => this.readManifest(tag), since);
    if (!manifest.ok) return manifest;
    const { digest, size } = manifest;
    return { ok: true, digest, size, download: (file, maxBytes) => this.client.downloadBlob(this.repo, digest, file, maxBytes, this.access) };
  }

  private async listVersions(): Promise<TagsRead> {
    const listed = await this.client.listTags(this.repo, this.access);
    if (!listed.ok) return chartFailure(listed.notFound ? 'ChartNotFound' : 'ChartRepoError', listed.message);
    return { ok: true, versions: listed.tags.map(versionOfOciTag).filter(isStrictVersion) };
  }

  private async readManifest(tag: string): Promise<ManifestRead> {
    const read = await this.client.chartManifest(this.repo, tag, this.access);
    if (!read.ok) return chartFailure(read.notFound ? 'ChartNotFound' : 'ChartRepoError', read.message);
    return { ok: true, digest: read.digest, size: read.size };
  }
}
