/**
 * The chart fetcher: resolves an Application's Helm chart reference (repoURL, chart,
 * targetRevision) to a version and the sha256 digest of its archive, and fetches that archive
 * into a local, immutable .tgz named by its digest, for `helm template` to read. HTTP(S) chart
 * repositories (index.yaml) and OCI registries are read with the helm repository Secret that
 * serves their URL (repo-auth.ts), anonymously without one. A download is kept only
 * when its digest is the one the repository gives (the index's digest, the manifest's layer
 * digest). Expected failures are returned as values, never thrown.
 */
import { join } from 'node:path';
import { ArchiveStore } from './archive-store.js';
import { OciClient } from './oci.js';
import { accessKey, chartAccess, type ChartCredentialSource } from './repo-auth.js';
import { chartRepoOf, isSha256Digest, targetRevisionError, versionError, type ChartRepo } from './ref.js';
import type { IndexLimits, IndexRead } from './repo-index.js';
import { SharedCache } from './shared-cache.js';
import { IndexSource, OciSource, type ChartSource, type Located, type ManifestRead, type TagsRead } from './sources.js';
import type { RepoTrust } from '../credentials/git-setup.js';
import { chartFailure, type ChartFailure, type ChartFetched, type ChartFetcherOptions, type ChartLogger, type ChartRef, type ChartResolved, type ResolvedChart } from './types.js';

const MiB = 1024 * 1024;

export const chartFetcherDefaults = {
  indexTtlMs: 60_000,
  failureTtlMs: 15_000,
  maxChartBytes: 20 * MiB,
  maxIndexBytes: 20 * MiB,
  maxIndexNodes: 4_000_000,
  maxArchives: 64,
  archiveInUseMs: 60_000,
  requestTimeoutMs: 60_000,
} as const;

/** Repositories (index files, tag lists) and tags (manifests) whose answers are kept. */
const MAX_CACHED_REPOS = 64;
const MAX_CACHED_MANIFESTS = 1024;
/** (repository, chart, version, digest) seen together, remembered so a kept archive is handed out without asking again. */
const MAX_CONFIRMED = 4096;

export interface ResolveOptions {
  /** Read the repository now instead of reusing an answer younger than indexTtlMs. */
  readonly force?: boolean;
}

export class ChartFetcher {
  private readonly store: ArchiveStore;
  private readonly oci: OciClient;
  private readonly indexes: SharedCache<IndexRead>;
  private readonly tagLists: SharedCache<TagsRead>;
  private readonly manifests: SharedCache<ManifestRead>;
  private readonly indexLimits: IndexLimits;
  private readonly maxChartBytes: number;
  private readonly timeoutMs: number;
  private readonly logger: ChartLogger | undefined;
  private readonly credentials: ChartCredentialSource | undefined;
  private readonly trust: (() => RepoTrust) | undefined;
  /** One download per digest (or per repository and version when the digest is not known yet). */
  private readonly downloads = new Map<string, Promise<ChartFetchedWithDigest>>();
  private readonly confirmed = new Set<string>();

  constructor(options: ChartFetcherOptions) {
    const d = chartFetcherDefaults;
    const ttlMs = options.indexTtlMs ?? d.indexTtlMs;
    const cacheOptions = { ttlMs, failureTtlMs: options.failureTtlMs ?? Math.min(ttlMs, d.failureTtlMs) };
    this.indexes = new SharedCache({ ...cacheOptions, maxEntries: MAX_CACHED_REPOS });
    this.tagLists = new SharedCache({ ...cacheOptions, maxEntries: MAX_CACHED_REPOS });
    this.manifests = new SharedCache({ ...cacheOptions, maxEntries: MAX_CACHED_MANIFESTS });
    this.timeoutMs = options.requestTimeoutMs ?? d.requestTimeoutMs;
    this.indexLimits = { maxBytes: options.maxIndexBytes ?? d.maxIndexBytes, maxNodes: options.maxIndexNodes ?? d.maxIndexNodes, timeoutMs: this.timeoutMs };
    this.maxChartBytes = options.maxChartBytes ?? d.maxChartBytes;
    this.logger = options.logger;
    this.credentials = options.credentials;
    this.trust = options.trust;
    this.oci = new OciClient({ timeoutMs: this.timeoutMs });
    this.store = new ArchiveStore({
      dir: join(options.cacheDir, 'charts'),
      maxArchives: options.maxArchives ?? d.maxArchives,
      inUseMs: options.archiveInUseMs ?? d.archiveInUseMs,
      logger: options.logger,
    });
  }

  /** The version `targetRevision` picks and the digest of its archive. */
  async resolve(ref: ChartRef, options: ResolveOptions = {}): Promise<ChartResolved> {
    try {
      const opened = this.open(ref);
      if (!opened.ok) return opened;
      const revisionError = targetRevisionError(ref.targetRevision);
      if (revisionError !== undefined) return chartFailure('InvalidChartRef', revisionError);
      const { repo, source } = opened;
      const since = options.force === true ? this.indexes.now() : -Infinity;
      const picked = await source.pick(ref.chart, ref.targetRevision, since);
      if (!picked.ok) return picked;
      const located = await this.locate(source, ref.chart, picked.version, since);
      if (!located.ok) return located;
      if (located.digest !== undefined) {
        this.confirm(repo, ref.chart, picked.version, located.digest);
        return { ok: true, version: picked.version, digest: located.digest };
      }
      // The index gives no digest: the archive itself tells it (and is then kept).
      const fetched = await this.download(repo, ref.chart, picked.version, located, undefined);
      if (!fetched.ok) return fetched;
      this.confirm(repo, ref.chart, picked.version, fetched.digest);
      return { ok: true, version: picked.version, digest: fetched.digest };
    } catch (err) {
      return this.unexpected(err, 'resolving');
    }
  }

  /** The archive of a resolved version, downloaded unless it is kept already. */
  async fetch(ref: ChartRef & ResolvedChart): Promise<ChartFetched> {
    try {
      const opened = this.open(ref);
      if (!opened.ok) return opened;
      const bad = versionError(ref.version) ?? (isSha256Digest(ref.digest) ? undefined : `digest "${ref.digest.slice(0, 80)}" is not sha256:<64 hex>`);
      if (bad !== undefined) return chartFailure('InvalidChartRef', bad);
      const { repo, source } = opened;
      await this.store.load();
      const key = confirmedKey(repo, ref.chart, ref.version, ref.digest);
      if (this.confirmed.has(key)) {
        const kept = this.store.get(ref.digest);
        if (kept !== undefined) return { ok: true, archive: kept };
      }
      const located = await this.locate(source, ref.chart, ref.version, -Infinity);
      if (!located.ok) return located;
      if (located.digest !== undefined && located.digest !== ref.digest) {
        return chartFailure('ChartRepoError', `chart ${ref.chart} version ${ref.version} in ${repo.display} now has digest ${located.digest}, not ${ref.digest}: it was published again`);
      }
      this.confirm(repo, ref.chart, ref.version, ref.digest);
      const kept = this.store.get(ref.digest);
      if (kept !== undefined) return { ok: true, archive: kept };
      const fetched = await this.download(repo, ref.chart, ref.version, located, ref.digest);
      return fetched.ok ? { ok: true, archive: fetched.archive } : fetched;
    } catch (err) {
      return this.unexpected(err, 'fetching');
    }
  }

  /** Forgets the cached index, tag list and manifests of this repoURL (a hard refresh). */
  invalidate(repoURL: string): void {
    const parsed = chartRepoOf({ repoURL, chart: 'chart' });
    if (!parsed.ok) return;
    const { repo } = parsed;
    // An OCI repoURL holds its charts' repositories: oci://host/path/<chart>[:<tag>].
    // Keys read with a Secret end in `\n<its identity>`.
    const matches = repo.kind === 'oci' ? (key: string) => key.startsWith(repo.key.slice(0, -'chart'.length)) : (key: string) => key === repo.key || key.startsWith(`${repo.key}\n`);
    this.indexes.invalidate(matches);
    this.tagLists.invalidate(matches);
    this.manifests.invalidate(matches);
  }

  /**
   * The repository and how it is read. Its key names the Secret that serves it, so an index, a
   * token or a confirmed archive read with one Secret is never handed to an app read without it.
   */
  private open(ref: ChartRef): { ok: true; repo: ChartRepo; source: ChartSource } | ChartFailure {
    const parsed = chartRepoOf(ref);
    if (!parsed.ok) return parsed;
    const access = chartAccess(parsed.repo, ref.repoURL, this.credentials, this.trust?.());
    if ('ok' in access) return access;
    const key = accessKey(parsed.repo.key, access);
    if (parsed.repo.kind === 'http') {
      const repo = { ...parsed.repo, key };
      return { ok: true, repo, source: new IndexSource(repo, this.indexes, this.indexLimits, access) };
    }
    const repo = { ...parsed.repo, key };
    return { ok: true, repo, source: new OciSource(repo, this.oci, this.tagLists, this.manifests, access) };
  }

  private async locate(source: ChartSource, chart: string, version: string, since: number): Promise<Located | ChartFailure> {
    const bad = versionError(version);
    if (bad !== undefined) return chartFailure('InvalidChartRef', bad);
    const located = await source.locate(chart, version, since);
    if (located.ok && located.size !== undefined && located.size > this.maxChartBytes) {
      return chartFailure('ChartRepoError', `chart ${chart} version ${version} is ${located.size} bytes, more than the ${this.maxChartBytes} allowed`);
    }
    return located;
  }

  /** Downloads and keeps an archive; one download per digest at a time. */
  private download(repo: ChartRepo, chart: string, version: string, located: Located, expected: string | undefined): Promise<ChartFetchedWithDigest> {
    const key = expected ?? `${repo.key}\n${chart}\n${version}`;
    const running = this.downloads.get(key);
    if (running !== undefined) return running;
    const work = this.store
      .add(expected, (tmp) => located.download(tmp, this.maxChartBytes, this.timeoutMs))
      .then((stored): ChartFetchedWithDigest => {
        const what = `chart ${chart} version ${version} from ${repo.display}`;
        if (stored.ok) {
          this.logger?.debug({ repo: repo.display, chart, version, digest: stored.digest }, 'downloaded chart archive');
          return { ok: true, archive: stored.archive, digest: stored.digest };
        }
        if (stored.mismatch === true) this.logger?.warn({ repo: repo.display, chart, version }, `refused chart archive: ${stored.message}`);
        return chartFailure('ChartRepoError', `${what}: ${stored.mismatch === true ? 'digest mismatch: ' : ''}${stored.message}`);
      })
      .finally(() => this.downloads.delete(key));
    this.downloads.set(key, work);
    return work;
  }

  private confirm(repo: ChartRepo, chart: string, version: string, digest: string): void {
    if (this.confirmed.size >= MAX_CONFIRMED) this.confirmed.clear();
    this.confirmed.add(confirmedKey(repo, chart, version, digest));
  }

  private unexpected(err: unknown, doing: string): ChartFailure {
    this.logger?.warn({ err }, `unexpected error ${doing} a chart`);
    return chartFailure('ChartRepoError', `unexpected error ${doing} the chart: ${err instanceof Error ? err.message : String(err)}`);
  }
}

type ChartFetchedWithDigest = { ok: true; archive: string; digest: string } | ChartFailure;

function confirmedKey(repo: ChartRepo, chart: string, version: string, digest: string): string {
  return `${repo.key}\n${chart}\n${version}\n${digest}`;
}
