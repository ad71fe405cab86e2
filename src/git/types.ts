/** Public types of the repository cache (DESIGN.md §2: git/). */
import type { RepoTrust } from '../credentials/git-setup.js';
import type { CredentialSource } from './access.js';

/** InvalidRepoURL: a URL Capstan does not read (a transport it does not allow, a local repository without permission, a malformed URL). */
export const gitFailureCodes = ['RepoNotFound', 'RevisionNotFound', 'AuthenticationFailed', 'Timeout', 'GitError', 'InvalidRepoURL'] as const;
export type GitFailureCode = (typeof gitFailureCodes)[number];

/** An expected failure. `message` is one line, and never holds credentials. */
export interface GitFailure {
  readonly code: GitFailureCode;
  readonly message: string;
}

/** `ref` is the full ref name the revision matched ('HEAD', 'refs/heads/main', ...), or the SHA as given. */
export type Resolved = { ok: true; sha: string; ref: string } | { ok: false; error: GitFailure };

/** `dir` is a read-only directory holding the tree of commit `sha`. */
export type CheckedOut = { ok: true; dir: string; sha: string } | { ok: false; error: GitFailure };

export const gitRequestKinds = ['ls-remote', 'fetch', 'clone', 'checkout'] as const;
export type GitRequestKind = (typeof gitRequestKinds)[number];

/** The pino subset the cache logs through. */
export interface GitLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RepoCacheOptions {
  /** All clones and trees live under it. */
  cacheDir: string;
  /** How long an ls-remote result is reused (default 60_000); the controller passes its poll interval. */
  resolveTtlMs?: number;
  /**
   * How long a failed ls-remote is reused before the remote is asked again (default the smaller
   * of resolveTtlMs and 15 s); `force` and invalidate() ask at once.
   */
  failureTtlMs?: number;
  /** Deadline of each git command (default 60_000). */
  commandTimeoutMs?: number;
  /** Checked-out trees kept, least recently used evicted first (default 50). */
  maxTrees?: number;
  /** A checked-out tree handed out this recently is not evicted, as it may still be read (default 60_000). */
  treeInUseMs?: number;
  /** Local repositories (plain paths and file:// URLs) may be read: for local use (the demo and tests). Default false. */
  allowLocalRepos?: boolean;
  /**
   * At most one ls-remote per repository starts within this time (default 2_000): forced
   * refreshes and invalidations in a burst share one follow-up instead of one each.
   */
  minRemoteIntervalMs?: number;
  /** ls-remote output above this is refused (default 16 MiB): a remote listing millions of refs. */
  maxRefListBytes?: number;
  /** Called once per remote request or checkout, for metrics. `repoURL` is redacted. */
  onRequest?: (kind: GitRequestKind, repoURL: string, durationMs: number, ok: boolean) => void;
  logger?: GitLogger;
  /** Which repository Secret serves a URL; a rotated Secret is used at the next command. */
  credentials?: CredentialSource;
  /** Host keys (capstan-known-hosts) and CA bundles (capstan-tls-certs), read at each command. */
  trust?: () => RepoTrust | undefined;
}

export interface ResolveOptions {
  /** Skip the cached ref table and ask the remote now. */
  force?: boolean;
  /** Reuse a cached ref table only if it is younger than this (default: resolveTtlMs). */
  maxAgeMs?: number;
}

/**
 * The port the rest of Capstan depends on (DESIGN.md §6.3). `RepoCache` implements it
 * with real git; `testing/fake-repo-cache.ts` is the in-memory fake for unit tests.
 */
export interface RepoCachePort {
  /**
   * branch | tag | HEAD | '' (= HEAD) | full 40-hex SHA | short SHA (>= 7 hex) → commit SHA.
   * A SHA resolves only if this URL's repository (read with its credentials) has the commit.
   */
  resolve(repoURL: string, targetRevision: string | undefined, options?: ResolveOptions): Promise<Resolved>;
  /**
   * A read-only directory holding the tree of `sha`, shared by all callers asking for the same
   * commit of the same repository, once the commit is found in this URL's own clone.
   */
  checkout(repoURL: string, sha: string): Promise<CheckedOut>;
  /** Forget cached ls-remote results for this repo (a webhook or a hard refresh calls it). */
  invalidate(repoURL: string): void;
  /** Keep what these URLs need (clones, ref tables, trees) and remove what no URL needs any more. Never rejects. */
  retain?(repoURLs: Iterable<string>): Promise<void>;
  /** Repo-relative paths that differ between two commits; undefined when that cannot be told. */
  changedFiles(repoURL: string, fromSha: string, toSha: string): Promise<string[] | undefined>;
}

export function isFullSha(value: string): boolean {
  return /^[0-9a-f]{40}$/i.test(value);
}

/** 7 to 39 hex digits: an abbreviated commit SHA. */
export function isShortSha(value: string): boolean {
  return /^[0-9a-f]{7,39}$/i.test(value);
}
