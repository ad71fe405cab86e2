/**
 * The repository cache (DESIGN.md §2: git/): resolves revisions with one shared `ls-remote`
 * per repo and TTL, and checks commits out of one shared bare clone per repo into read-only
 * trees. Expected failures are returned as values, never thrown.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BareClones, type CloneResult } from './bare-clones.js';
import { gitError, remoteFailure, revisionNotFound } from './failures.js';
import { GitClient, remoteArgument } from './git-client.js';
import { KeyedMutex } from './keyed-mutex.js';
import { lookupRevision, parseLsRemote, type RefTable } from './ref-table.js';
import { TreeStore } from './tree-store.js';
import type { CheckedOut, GitFailure, RepoCacheOptions, RepoCachePort, Resolved, ResolveOptions } from './types.js';
import { isFullSha } from './types.js';
import { normalizeRepoUrl, redactUrl } from './url.js';

type RefTableResult = { ok: true; refs: RefTable } | { ok: false; error: GitFailure };
type Failed = { ok: false; error: GitFailure };

export const repoCacheDefaults = { resolveTtlMs: 60_000, failureTtlMs: 15_000, commandTimeoutMs: 60_000, maxTrees: 50 } as const;

export class RepoCache implements RepoCachePort {
  private readonly git: GitClient;
  private readonly clones: BareClones;
  private readonly trees: TreeStore;
  /** One lock per normalised repo URL: clone, fetch and checkout of one repo never overlap. */
  private readonly repoLocks = new KeyedMutex();
  private readonly refTables = new Map<string, { refs: RefTable; fetchedAt: number }>();
  /** The last failed ls-remote of each repo: reused for a short while, so a host that is down is asked once, not once per app. */
  private readonly failedRefTables = new Map<string, { error: GitFailure; failedAt: number }>();
  private readonly failureTtlMs: number;
  private readonly pendingRefTables = new Map<string, Promise<RefTableResult>>();
  private readonly pendingCheckouts = new Map<string, Promise<CheckedOut>>();
  private readonly resolveTtlMs: number;
  private prepared: Promise<void> | undefined;

  constructor(private readonly options: RepoCacheOptions) {
    this.resolveTtlMs = options.resolveTtlMs ?? repoCacheDefaults.resolveTtlMs;
    this.failureTtlMs = options.failureTtlMs ?? Math.min(this.resolveTtlMs, repoCacheDefaults.failureTtlMs);
    this.git = new GitClient({
      cwd: options.cacheDir,
      timeoutMs: options.commandTimeoutMs ?? repoCacheDefaults.commandTimeoutMs,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
    });
    this.clones = new BareClones(this.git, join(options.cacheDir, 'repos'));
    this.trees = new TreeStore({
      treesDir: join(options.cacheDir, 'trees'),
      maxTrees: options.maxTrees ?? repoCacheDefaults.maxTrees,
      ...(options.treeInUseMs === undefined ? {} : { inUseMs: options.treeInUseMs }),
      git: this.git,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
  }

  async resolve(repoURL: string, targetRevision: string | undefined, options: ResolveOptions = {}): Promise<Resolved> {
    const revision = (targetRevision ?? '').trim();
    // A full SHA names itself: no ls-remote for pinned apps. checkout verifies that it exists.
    if (isFullSha(revision)) return { ok: true, sha: revision.toLowerCase(), ref: revision };
    try {
      if (options.force === true) this.invalidate(repoURL);
      const key = normalizeRepoUrl(repoURL);
      const table = await this.refTable(key, repoURL, options.maxAgeMs ?? this.resolveTtlMs);
      if (!table.ok) return table;
      const found = lookupRevision(table.refs, revision);
      switch (found.kind) {
        case 'ref':
          return { ok: true, sha: found.sha, ref: found.ref };
        case 'fullSha':
          return { ok: true, sha: found.sha, ref: revision };
        case 'shortSha':
          return await this.resolveShortSha(key, repoURL, revision, found.prefix);
        case 'notFound':
          return this.failed(revisionNotFound(revision === '' ? 'HEAD' : revision, repoURL), repoURL);
      }
    } catch (err) {
      return this.unexpected(err, repoURL);
    }
  }

  async checkout(repoURL: string, sha: string): Promise<CheckedOut> {
    if (!isFullSha(sha)) return this.failed(gitError(`checkout needs a full 40-hex commit SHA, got "${sha}"`), repoURL);
    const commit = sha.toLowerCase();
    try {
      await this.prepare();
      const existing = this.trees.get(commit);
      if (existing !== undefined) return { ok: true, dir: existing, sha: commit };
      const key = normalizeRepoUrl(repoURL);
      const pendingKey = `${key}\n${commit}`;
      const pending = this.pendingCheckouts.get(pendingKey);
      if (pending !== undefined) return await pending;
      const work = this.repoLocks.run(key, () => this.checkoutLocked(key, repoURL, commit));
      this.pendingCheckouts.set(pendingKey, work);
      try {
        return await work;
      } finally {
        this.pendingCheckouts.delete(pendingKey);
      }
    } catch (err) {
      return this.unexpected(err, repoURL);
    }
  }

  /**
   * Repo-relative paths that differ between two commits (both fetched if needed); undefined when
   * that cannot be told (a short SHA, a commit that is gone, a git failure).
   */
  async changedFiles(repoURL: string, fromSha: string, toSha: string): Promise<string[] | undefined> {
    if (!isFullSha(fromSha) || !isFullSha(toSha)) return undefined;
    try {
      await this.prepare();
      const key = normalizeRepoUrl(repoURL);
      return await this.repoLocks.run(key, async () => {
        const clone = await this.clones.ensure(key, repoURL);
        if (!clone.ok) return undefined;
        for (const sha of [fromSha, toSha]) if (!(await this.ensureCommit(clone, repoURL, sha.toLowerCase())).ok) return undefined;
        return this.clones.changedFiles(clone.dir, fromSha.toLowerCase(), toSha.toLowerCase());
      });
    } catch {
      return undefined;
    }
  }

  invalidate(repoURL: string): void {
    const key = normalizeRepoUrl(repoURL);
    this.refTables.delete(key);
    this.failedRefTables.delete(key);
    // An ls-remote still running may predate the push that caused this call: later callers start a new one.
    this.pendingRefTables.delete(key);
  }

  /** The ref table of a repo: cached for `maxAgeMs`; concurrent callers share one ls-remote. */
  private refTable(key: string, repoURL: string, maxAgeMs: number): Promise<RefTableResult> {
    const cached = this.refTables.get(key);
    if (cached !== undefined && performance.now() - cached.fetchedAt < maxAgeMs) {
      return Promise.resolve({ ok: true, refs: cached.refs });
    }
    const failed = this.failedRefTables.get(key);
    if (failed !== undefined && performance.now() - failed.failedAt < this.failureTtlMs) return Promise.resolve({ ok: false, error: failed.error });
    const pending = this.pendingRefTables.get(key);
    if (pending !== undefined) return pending;
    const startedAt = performance.now();
    const request: Promise<RefTableResult> = this.listRemote(repoURL)
      .then((result) => {
        // Only the newest request may fill the cache: invalidate() detaches older ones.
        if (this.pendingRefTables.get(key) === request) {
          if (result.ok) {
            this.refTables.set(key, { refs: result.refs, fetchedAt: startedAt });
            this.failedRefTables.delete(key);
          } else {
            this.failedRefTables.set(key, { error: result.error, failedAt: performance.now() });
          }
        }
        return result;
      })
      .finally(() => {
        if (this.pendingRefTables.get(key) === request) this.pendingRefTables.delete(key);
      });
    this.pendingRefTables.set(key, request);
    return request;
  }

  private listRemote(repoURL: string): Promise<RefTableResult> {
    return this.git.request('ls-remote', repoURL, async (): Promise<RefTableResult> => {
      await this.prepare();
      const run = await this.git.run(['ls-remote', '--', remoteArgument(repoURL)]);
      if (run.ok) return { ok: true, refs: parseLsRemote(run.stdout) };
      return this.failed(remoteFailure(run, { operation: 'ls-remote', repoURL, timeoutMs: this.git.timeoutMs }), repoURL);
    });
  }

  /** An abbreviated SHA is looked up in the local clone, fetching once if it is not there yet. */
  private resolveShortSha(key: string, repoURL: string, revision: string, prefix: string): Promise<Resolved> {
    return this.repoLocks.run(key, async (): Promise<Resolved> => {
      const clone = await this.clones.ensure(key, repoURL);
      if (!clone.ok) return this.failed(clone.error, repoURL);
      let found = await this.clones.commitOfPrefix(clone.dir, prefix);
      if ('missing' in found && found.missing === 'unknown' && !clone.created) {
        const fetched = await this.clones.fetchRefs(clone.dir, repoURL);
        if (!fetched.ok) return this.failed(await this.afterFailedFetch(key, fetched.error), repoURL);
        found =  await this.clones.commitOfPrefix(clone.dir, prefix);
      }
      if ('sha' in found) return { ok: true, sha: found.sha, ref: revision };
      return this.failed(revisionNotFound(revision, repoURL, found.missing === 'ambiguous' ? 'is ambiguous' : 'not found'), repoURL);
    });
  }

  private async checkoutLocked(key: string, repoURL: string, sha: string): Promise<CheckedOut> {
    const existing = this.trees.get(sha);
    if (existing !== undefined) return { ok: true, dir: existing, sha };
    const clone = await this.clones.ensure(key, repoURL);
    if (!clone.ok) return this.failed(clone.error, repoURL);
    const present = await this.ensureCommit(clone, repoURL, sha);
    if (!present.ok) return this.failed(await this.afterFailedFetch(key, present.error), repoURL);
    const tree = await this.trees.materialize(clone.dir, repoURL, sha);
    return tree.ok ? tree : this.failed(tree.error, repoURL);
  }

  /** Fetches only when the commit is missing: branches and tags first, then the SHA itself. */
  private async ensureCommit(clone: Extract<CloneResult, { ok: true }>, repoURL: string, sha: string): Promise<{ ok: true } | Failed> {
    if (await this.clones.hasCommit(clone.dir, sha)) return { ok: true };
    if (!clone.created) {
      const fetched = await this.clones.fetchRefs(clone.dir, repoURL);
      if (!fetched.ok) return fetched;
      if (await this.clones.hasCommit(clone.dir, sha)) return { ok: true };
    }
    const byId = await this.clones.fetchCommit(clone.dir, repoURL, sha);
    if (!byId.ok) return byId;
    if (byId.found && (await this.clones.hasCommit(clone.dir, sha))) return { ok: true };
    return { ok: false, error: revisionNotFound(sha, repoURL) };
  }

  /** A fetch that failed inside the clone (not at the remote) may have left it unusable: start afresh next time. */
  private async afterFailedFetch(key: string, error: GitFailure): Promise<GitFailure> {
    if (error.code === 'Timeout' || error.code === 'GitError') await this.clones.discard(key);
    return error;
  }

  /** Creates the cache directories once and removes what a crashed run left half-written. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      const reposDir = join(this.options.cacheDir, 'repos');
      await mkdir(reposDir, { recursive: true });
      for (const name of await readdir(reposDir)) {
        if (name.startsWith('.tmp-')) await rm(join(reposDir, name), { recursive: true, force: true });
      }
      await this.trees.load();
    })().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  private failed(error: GitFailure, repoURL: string): Failed {
    this.options.logger?.warn({ repoURL: redactUrl(repoURL), code: error.code }, error.message);
    return { ok: false, error };
  }

  private unexpected(err: unknown, repoURL: string): Failed {
    const message = err instanceof Error ? err.message : String(err);
    this.options.logger?.warn({ err, repoURL: redactUrl(repoURL) }, 'repository cache error');
    return { ok: false, error: gitError(`repository cache error for ${redactUrl(repoURL)}: ${message}`) };
  }
}
