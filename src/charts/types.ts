/** Public types of the chart fetcher: Helm charts from HTTP(S) chart repositories and OCI registries. */
import type { RepoTrust } from '../credentials/git-setup.js';
import type { ChartCredentialSource } from './repo-auth.js';

/**
 * ChartNotFound: the repository answers, but has no such chart or no version that matches.
 * ChartRepoError: the repository could not be read (network, HTTP status, a limit, a bad
 * index or manifest, a digest that does not match). InvalidChartRef: the reference itself is
 * not one Capstan reads (URL, chart name, version or constraint).
 */
export const chartFailureCodes = ['ChartNotFound', 'ChartRepoError', 'InvalidChartRef'] as const;
export type ChartFailureCode = (typeof chartFailureCodes)[number];

/** An expected failure. `message` is one line and never holds credentials. */
export interface ChartFailure {
  readonly ok: false;
  readonly code: ChartFailureCode;
  readonly message: string;
}

/** What an Application's source names: `https://…` (an index.yaml repository) or `oci://host/path`. */
export interface ChartRef {
  readonly repoURL: string;
  readonly chart: string;
  /** An exact version or a Masterminds semver constraint; empty is the highest release. */
  readonly targetRevision?: string | undefined;
}

/** A chart version picked by resolve(): `digest` is `sha256:<hex>` of the chart archive. */
export interface ResolvedChart {
  readonly version: string;
  readonly digest: string;
}

export type ChartResolved = ({ readonly ok: true } & ResolvedChart) | ChartFailure;

/** `archive` is the absolute path of an immutable .tgz named by its digest. */
export type ChartFetched = { readonly ok: true; readonly archive: string } | ChartFailure;

/** The pino subset the fetcher logs through. */
export interface ChartLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ChartFetcherOptions {
  /** Archives live under `<cacheDir>/charts`. */
  readonly cacheDir: string;
  /** How long an index.yaml, a tag list or a tag's manifest is reused (default 60_000). */
  readonly indexTtlMs?: number;
  /** How long a failure to read them is reused (default the smaller of indexTtlMs and 15_000). */
  readonly failureTtlMs?: number;
  /** Largest chart archive downloaded (default 20 MiB). */
  readonly maxChartBytes?: number;
  /** Largest index.yaml read (default 20 MiB). */
  readonly maxIndexBytes?: number;
  /** Most YAML nodes an index.yaml may have (default 4,000,000). */
  readonly maxIndexNodes?: number;
  /** Archives kept, least recently used removed first (default 64). */
  readonly maxArchives?: number;
  /** An archive handed out this recently is not removed, as it may still be rendered (default 60_000). */
  readonly archiveInUseMs?: number;
  /** Deadline of each HTTP request, body included (default 60_000). */
  readonly requestTimeoutMs?: number;
  readonly logger?: ChartLogger;
  /** The repository Secret serving a URL now (those of type helm or oci are used); absent: every repository is read anonymously. */
  readonly credentials?: ChartCredentialSource;
  /** CA bundles by host (capstan-tls-certs), read at each request. */
  readonly trust?: () => RepoTrust;
}

export function chartFailure(code: ChartFailureCode, message: string): ChartFailure {
  return { ok: false, code, message: oneLine(message) };
}

function oneLine(text: string): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return line.length > 1000 ? `${line.slice(0, 1000)}…` : line;
}
