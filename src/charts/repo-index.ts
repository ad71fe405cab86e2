/**
 * A chart repository's index.yaml: fetched with a size and time limit, read with js-yaml (no
 * YAML types: every scalar stays the text it is, as Helm reads these string fields; node count
 * bounded), and kept as the little the fetcher needs: per chart, its versions with their
 * digests and absolute download URLs. Entries whose version is not a version are left out, as
 * Helm leaves them out.
 */
import yaml from 'js-yaml';
import { get } from './http.js';
import { anonymousAccess, authHeaders, refusedWith, type ChartAccess } from './repo-auth.js';
import type { HttpChartRepo } from './ref.js';
import { isSha256Digest } from './ref.js';
import { chartFailure, type ChartFailure } from './types.js';
import { parseVersion } from './version.js';

export interface IndexEntry {
  readonly version: string;
  /** `sha256:<hex>`; undefined when the index gives none. */
  readonly digest: string | undefined;
  /** Set when the index gives a digest that is not a sha256 digest. */
  readonly badDigest?: string;
  /** Absolute URLs, in the index's order (Helm downloads the first). */
  readonly urls: readonly string[];
}

export interface RepoIndex {
  readonly charts: ReadonlyMap<string, readonly IndexEntry[]>;
}

export type IndexRead = { ok: true; index: RepoIndex } | ChartFailure;

export interface IndexLimits {
  readonly maxBytes: number;
  readonly maxNodes: number;
  readonly timeoutMs: number;
}

/** Versions read per index, aliases counted each time they are walked. */
const MAX_ENTRIES = 500_000;
const MAX_URLS = 16;

/** The URL of `repo`'s index.yaml: the repository path with `/index.yaml` appended, its query kept. */
export function indexUrlOf(repo: HttpChartRepo): string {
  const url = new URL(repo.base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/index.yaml`;
  return url.toString();
}

export async function fetchIndex(repo: HttpChartRepo, limits: IndexLimits, access: ChartAccess = anonymousAccess(repo.base.origin)): Promise<IndexRead> {
  const url = indexUrlOf(repo);
  const headers = { accept: 'application/yaml, text/yaml, */*', ...authHeaders(access, url) };
  const answer = await get(url, { maxBytes: limits.maxBytes, timeoutMs: limits.timeoutMs, headers, ...(access.tls === undefined ? {} : { tls: access.tls }) });
  if (!answer.ok) return chartFailure('ChartRepoError', `chart repository ${repo.display}: ${answer.message}`);
  if (answer.status < 200 || answer.status > 299) {
    return chartFailure('ChartRepoError', `chart repository ${repo.display}: index.yaml answered HTTP ${answer.status}${refusedWith(answer.status, access)}`);
  }
  return parseIndex(answer.body.toString('utf8'), repo, limits);
}

/** Reads index.yaml text; relative URLs resolve against the repository URL as Helm resolves them. */
export function parseIndex(text: string, repo: HttpChartRepo, limits: Pick<IndexLimits, 'maxNodes'>): IndexRead {
  const where = `chart repository ${repo.display}: index.yaml`;
  let nodes = 0;
  let doc: unknown;
  try {
    doc = yaml.load(text, {
      schema: yaml.FAILSAFE_SCHEMA,
      // A repeated key keeps its last value, as Helm's YAML reader does.
      json: true,
      listener(event) {
        if (event === 'open' && ++nodes > limits.maxNodes) throw new Error(`has more than ${limits.maxNodes} YAML nodes`);
      },
    });
  } catch (err) {
    const reason = err instanceof yaml.YAMLException ? err.reason : err instanceof Error ? err.message : String(err);
    return chartFailure('ChartRepoError', `${where} cannot be read: ${reason}`);
  }
  if (!isObject(doc)) return chartFailure('ChartRepoError', `${where} is not a mapping`);
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '') return chartFailure('ChartRepoError', `${where} has no apiVersion`);
  const entries = doc.entries ?? {};
  if (!isObject(entries)) return chartFailure('ChartRepoError', `${where}: entries is not a mapping`);
  const charts = new Map<string, IndexEntry[]>();
  // An aliased entry is the same object wherever it appears: read once.
  const seen = new Map<unknown, IndexEntry | undefined>();
  let walked = 0;
  for (const [name, versions] of Object.entries(entries)) {
    if (!Array.isArray(versions)) continue;
    const read: IndexEntry[] = [];
    for (const item of versions as unknown[]) {
      if (++walked > MAX_ENTRIES) return chartFailure('ChartRepoError', `${where} lists more than ${MAX_ENTRIES} chart versions`);
      let entry = seen.get(item);
      if (!seen.has(item)) {
        entry = entryOf(item, repo.base);
        if (typeof item === 'object' && item !== null) seen.set(item, entry);
      }
      if (entry !== undefined) read.push(entry);
    }
    charts.set(name, read);
  }
  return { ok: true, index: { charts } };
}

function entryOf(item: unknown, base: URL): IndexEntry | undefined {
  if (!isObject(item)) return undefined;
  const version = item.version;
  if (typeof version !== 'string' || parseVersion(version) === undefined) return undefined;
  const urls: string[] = [];
  if (Array.isArray(item.urls)) {
    for (const url of (item.urls as unknown[]).slice(0, MAX_URLS)) {
      const absolute = typeof url === 'string' ? resolveChartUrl(base, url) : undefined;
      if (absolute !== undefined) urls.push(absolute);
    }
  }
  const raw = typeof item.digest === 'string' ? item.digest.trim().toLowerCase() : '';
  if (raw === '') return { version, digest: undefined, urls };
  const digest = raw.startsWith('sha256:') ? raw : `sha256:${raw}`;
  return isSha256Digest(digest) ? { version, digest, urls } : { version, digest: undefined, badDigest: raw.slice(0, 80), urls };
}

/**
 * Helm's ResolveReferenceURL: an absolute URL stays; a relative one resolves against the
 * repository URL taken as a directory, and gets the repository URL's query. Only http(s).
 */
export function resolveChartUrl(base: URL, url: string): string | undefined {
  let resolved: URL;
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      resolved = new URL(url);
    } else {
      const dir = new URL(base);
      dir.pathname = `${dir.pathname.replace(/\/+$/, '')}/`;
      resolved = new URL(url, dir);
      resolved.search = dir.search;
    }
  } catch {
    return undefined;
  }
  if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') return undefined;
  return resolved.toString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
