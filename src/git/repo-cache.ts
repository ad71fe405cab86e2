/**
 * The repository cache (DESIGN.md §2: git/): resolves revisions with one shared `ls-remote`
 * per repository access and TTL, and checks commits out of one bare clone per repository
 * access into read-only trees. A commit is handed out (resolved by SHA or checked out) only
 * once it is found in the caller's own clone, fetched with the caller's own URL and
 * credentials. Expected failures are returned as values, never thrown.
 */
import { mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { join, resolve as resolvePath, sep } from 'node:path';
import { repoAccess, type AccessResult, type RepoAccess } from './access.js';
import { BareClones, type CloneResult } from './bare-clones.js';
import { ConfirmedCommits } from './confirmed-commits.js';
import { gitError, invalidRepoUrl, remoteFailure, revisionNotFound } from './failures.js';
import { GitClient } from './git-client.js';
import { KeyedMutex } from './keyed-mutex.js';
import { lookupRevision, parseLsRemote } from './ref-table.js';
import { RefTables, type Listing } from './ref-tables.js';
import { Retention } from './retention.js';
import { TreeStore } from './tree-store.js';
import type { CheckedOut, GitFailure, RepoCacheOptions, RepoCachePort, Resolved, ResolveOptions } from './types.js';
import { isFullSha } from './types.js';
import { normalizeRepoUrl, redactUrl } from './url.js';

type Failed = { ok: false; error: GitFailure };
type Present = { ok: true } | Failed;

/** What the shared ref table of a repository holds: what apps name as their revision. */
const branchesTagsAndHead = ['HEAD', 'refs/heads/*', 'refs/tags/*'];
/** A full ref name outside branches and tags, asked for on its own (no wildcards). */
const otherRef = /^refs\/(?!heads\/|tags\/)[A-Za-z0-9._/-]+$/;

export const repoCacheDefaults = {
  resolveTtlMs: 60_000,
  failureTtlMs: 15_000,
  commandTimeoutMs: 60_000,
  maxTrees: 50,
  minRemoteIntervalMs: 2_000,
  /** About 180,000 branches and tags. */
  maxRefListBytes: 16 * 1024 * 1024,
} as const;

/** Commit pairs whose changed files are remembered. */
const maxRememberedDiffs = 256;

export class RepoCache implements RepoCachePort {
  private readonly git: GitClient;
  private readonly clones: BareClones;
  private readonly trees: TreeStore;
  /** One lock per clone (by its directory name): clone, fetch, checkout and removal of one clone never overlap. */
  private readonly cloneLocks = new KeyedMutex();
  private readonly refTables: RefTables;
  private readonly confirmed = new ConfirmedCommits();
  private readonly pendingCheckouts = new Map<string, Promise<CheckedOut>>();
  /** Files changed between two commits, by URL and commit pair (least recently made first). */
  private readonly diffs = new Map<string, Promise<string[] | undefined>>();
  private readonly resolveTtlMs: number;
  private readonly allowLocal: boolean;
  private prepared: Promise<void> | undefined;
  private readonly retention: Retention;

  constructor(private readonly options: RepoCacheOptions) {
    this.resolveTtlMs = options.resolveTtlMs ?? repoCacheDefaults.resolveTtlMs;
    this.allowLocal = options.allowLocalRepos ?? false;
    this.refTables = new RefTables({
      failureTtlMs: options.failureTtlMs ?? Math.min(this.resolveTtlMs, repoCacheDefaults.failureTtlMs),
      minIntervalMs: options.minRemoteIntervalMs ?? repoCacheDefaults.minRemoteIntervalMs,
    });
    this.git = new GitClient({
      cwd: options.cacheDir,
      timeoutMs: options.commandTimeoutMs ?? repoCacheDefaults.commandTimeoutMs,
      allowLocal: this.allowLocal,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
      privateDir: join(options.cacheDir, 'credentials'),
      ...(options.trust === undefined ? {} : { trust: options.trust }),
    });
    this.clones = new BareClones(this.git, join(options.cacheDir, 'repos'));
    this.trees = new TreeStore({
      treesDir: join(options.cacheDir, 'trees'),
      maxTrees: options.maxTrees ?? repoCacheDefaults.maxTrees,
      ...(options.treeInUseMs === undefined ? {} : { inUseMs: options.treeInUseMs }),
      git: this.git,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    this.retention = new Retention({
      clones: this.clones, locks: this.cloneLocks, confirmed: this.confirmed, refTables: this.refTables, trees: this.trees,
      prepare: () => this.prepare(), logger: options.logger,
    });
  }

  async resolve(repoURL: string, targetRevision: string | undefined, options: ResolveOptions = {}): Promise<Resolved> {
    const revision = (targetRevision ?? '').trim();
    try {
      const access = await this.accessOf(repoURL);
      if (!access.ok) return this.failed(access.error, repoURL);
      // A full SHA names itself (no ls-remote for pinned apps), but only one this repository has.
      if (isFullSha(revision)) {
        const sha = revision.toLowerCase();
        const present = await this.confirm(access.access, sha);
        return present.ok ? { ok: true, sha, ref: revision } : this.failed(present.error, repoURL);
      }
      const wanted = { maxAgeMs: options.maxAgeMs ?? this.resolveTtlMs, ...(options.force === undefined ? {} : { force: options.force }) };
      const table = await this.refTables.get(access.access.cloneKey, () => this.listRemote(access.access, branchesTagsAndHead), wanted);
      if (!table.ok) return table;
      let found = lookupRevision(table.refs, revision);
      if (found.kind === 'notFound' && otherRef.test(revision)) {
        // A ref outside branches and tags (refs/pull/1/head): listed on its own, so the shared table stays small.
        const own = await this.refTables.get(`${access.access.cloneKey}\n${revision}`, () => this.listRemote(access.access, [revision]), wanted);
        if (!own.ok) return own;
        found = lookupRevision(own.refs, revision);
      }
      switch (found.kind) {
        case 'ref':
          return { ok: true, sha: found.sha, ref: found.ref };
        case 'fullSha':
          return { ok: true, sha: found.sha, ref: revision };
        case 'shortSha':
          return await this.resolveShortSha(access.access, revision, found.prefix);
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
      const found = await this.accessOf(repoURL);
      if (!found.ok) return this.failed(found.error, repoURL);
      const access = found.access;
      await this.prepare();
      const name = this.clones.nameOf(access);
      if (this.confirmed.has(name, commit)) {
        const existing = this.trees.get(access.repoId, commit);
        if (existing !== undefined) return { ok: true, dir: existing, sha: commit };
      }
      const pendingKey = `${name}\n${commit}`;
      const pending = this.pendingCheckouts.get(pendingKey);
      if (pending !== undefined) return await pending;
      const work = this.cloneLocks.run(name, () => this.checkoutLocked(access, commit));
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
   * that cannot be told (a short SHA, a commit that is gone, a git failure, a refused URL).
   */
  changedFiles(repoURL: string, fromSha: string, toSha: string): Promise<string[] | undefined> {
    // Commits never change: one diff per pair serves every app of a monorepo push.
    // Keyed by the URL as given: another spelling (other credentials) has its access checked anew.
    const memoKey = JSON.stringify([repoURL, fromSha.toLowerCase(), toSha.toLowerCase()]);
    const known = this.diffs.get(memoKey);
    if (known !== undefined) return known;
    const diff = this.diffBetween(repoURL, fromSha, toSha);
    this.diffs.set(memoKey, diff);
    void diff.then((files) => {
      if (files === undefined) this.diffs.delete(memoKey);
    });
    while (this.diffs.size > maxRememberedDiffs) {
      const oldest = this.diffs.keys().next();
      if (oldest.done === true) break;
      this.diffs.delete(oldest.value);
    }
    return diff;
  }

  private async diffBetween(repoURL: string, fromSha: string, toSha: string): Promise<string[] | undefined> {
    if (!isFullSha(fromSha) || !isFullSha(toSha)) return undefined;
    try {
      const found = await this.accessOf(repoURL);
      if (!found.ok) return undefined;
      const access = found.access;
      await this.prepare();
      return await this.cloneLocks.run(this.clones.nameOf(access), async () => {
        const clone = await this.clones.ensure(access);
        if (!clone.ok) return undefined;
        for (const sha of [fromSha, toSha]) if (!(await this.ensureCommit(clone, access, sha.toLowerCase())).ok) return undefined;
        return this.clones.changedFiles(clone.dir, fromSha.toLowerCase(), toSha.toLowerCase());
      });
    } catch {
      return undefined;
    }
  }

  /**
   * The next resolve of this repository (under any spelling and with any credentials) asks
   * the remote again; an ls-remote already running is not cut short, and is reused only by
   * callers that need nothing newer.
   */
  invalidate(repoURL: string): void {
    this.refTables.invalidate(`${normalizeRepoUrl(repoURL)}\n`);
  }

  /**
   * Keeps the clones, ref tables and trees of these URLs' repositories and removes the rest
   * (repositories no Application uses any more). Calls that overlap are coalesced: the latest
   * set wins. Never rejects.
   */
  retain(repoURLs: Iterable<string>): Promise<void> {
    const accesses = [...repoURLs].map((url) => repoAccess(url, { allowLocal: this.allowLocal }, this.options.credentials)).flatMap((a) => (a.ok ? [a.access] : []));
    return this.retention.retain(accesses);
  }

  /** The access of a URL under the URL policy; a local repository inside the cache (a clone of another repository) is refused. */
  private async accessOf(repoURL: string): Promise<AccessResult> {
    const found = repoAccess(repoURL, { allowLocal: this.allowLocal }, this.options.credentials);
    if (!found.ok || found.access.repo.transport !== 'local') return found;
    const path = found.access.repo.remote.replace(/^file:\/\//, '');
    const cache = await realOrResolved(this.options.cacheDir);
    const target = await realOrResolved(path);
    if (target === cache || target.startsWith(`${cache}${sep}`)) {
      return { ok: false, error: invalidRepoUrl(repoURL, 'it is inside the repository cache of this controller') };
    }
    return found;
  }

  /** The refs matching `patterns` (git's tail match): what the remote lists beyond them is never held. */
  private listRemote(access: RepoAccess, patterns: readonly string[]): Promise<Listing> {
    return this.git.request('ls-remote', access.url, async (): Promise<Listing> => {
      await this.prepare();
      const run = await this.git.runRemote(['ls-remote', '--', access.repo.remote, ...patterns], access, {
        maxStdoutBytes: this.options.maxRefListBytes ?? repoCacheDefaults.maxRefListBytes,
      });
      if (run.ok) return { ok: true, refs: parseLsRemote(run.stdout) };
      return this.failed(remoteFailure(run, { operation: 'ls-remote', repoURL: access.url, timeoutMs: this.git.timeoutMs }), access.url);
    });
  }

  /** An abbreviated SHA is looked up in the caller's own clone, fetching once if it is not there yet. */
  private resolveShortSha(access: RepoAccess, revision: string, prefix: string): Promise<Resolved> {
    return this.cloneLocks.run(this.clones.nameOf(access), async (): Promise<Resolved> => {
      const clone = await this.clones.ensure(access);
      if (!clone.ok) return this.failed(clone.error, access.url);
      let found = await this.clones.commitOfPrefix(clone.dir, prefix);
      if ('missing' in found && found.missing === 'unknown' && !clone.created) {
        const fetched = await this.clones.fetchRefs(clone.dir, access);
        if (!fetched.ok) return this.failed(await this.afterFailedFetch(access, fetched.error), access.url);
        found = await this.clones.commitOfPrefix(clone.dir, prefix);
      }
      if ('sha' in found) {
        this.confirmed.add(this.clones.nameOf(access), found.sha);
        return { ok: true, sha: found.sha, ref: revision };
      }
      return this.failed(revisionNotFound(revision, access.url, found.missing === 'ambiguous' ? 'is ambiguous' : 'not found'), access.url);
    });
  }

  /** The commit is in the caller's own clone (fetched now if need be). */
  private async confirm(access: RepoAccess, sha: string): Promise<Present> {
    await this.prepare();
    const name = this.clones.nameOf(access);
    if (this.confirmed.has(name, sha)) return { ok: true };
    return this.cloneLocks.run(name, async (): Promise<Present> => {
      const clone = await this.clones.ensure(access);
      if (!clone.ok) return clone;
      const present = await this.ensureCommit(clone, access, sha);
      return present.ok ? present : { ok: false, error: await this.afterFailedFetch(access, present.error) };
    });
  }

  private async checkoutLocked(access: RepoAccess, sha: string): Promise<CheckedOut> {
    const clone = await this.clones.ensure(access);
    if (!clone.ok) return this.failed(clone.error, access.url);
    // Asked of the clone itself, not of what was confirmed before: a tree is about to be read from it.
    const present = await this.findOrFetch(clone, access, sha);
    if (present.ok) this.confirmed.add(this.clones.nameOf(access), sha);
    if (!present.ok) return this.failed(await this.afterFailedFetch(access, present.error), access.url);
    const existing = this.trees.get(access.repoId, sha);
    if (existing !== undefined) return { ok: true, dir: existing, sha };
    const tree = await this.trees.materialize(clone.dir, access.repoId, access.url, sha);
    return tree.ok ? tree : this.failed(tree.error, access.url);
  }

  /** Fetches only when the commit is missing: branches and tags first, then the SHA itself. */
  private async ensureCommit(clone: Extract<CloneResult, { ok: true }>, access: RepoAccess, sha: string): Promise<Present> {
    const name = this.clones.nameOf(access);
    if (this.confirmed.has(name, sha)) return { ok: true };
    const present = await this.findOrFetch(clone, access, sha);
    if (present.ok) this.confirmed.add(name, sha);
    return present;
  }

  private async findOrFetch(clone: Extract<CloneResult, { ok: true }>, access: RepoAccess, sha: string): Promise<Present> {
    if (await this.clones.hasCommit(clone.dir, sha)) return { ok: true };
    if (!clone.created) {
      const fetched = await this.clones.fetchRefs(clone.dir, access);
      if (!fetched.ok) return fetched;
      if (await this.clones.hasCommit(clone.dir, sha)) return { ok: true };
    }
    const byId = await this.clones.fetchCommit(clone.dir, access, sha);
    if (!byId.ok) return byId;
    if (byId.found && (await this.clones.hasCommit(clone.dir, sha))) return { ok: true };
    return { ok: false, error: revisionNotFound(sha, access.url) };
  }

  /** A fetch that failed inside the clone (not at the remote) may have left it unusable: start afresh next time. */
  private async afterFailedFetch(access: RepoAccess, error: GitFailure): Promise<GitFailure> {
    if (error.code === 'Timeout' || error.code === 'GitError') {
      await this.clones.discard(access);
      this.confirmed.forgetClone(this.clones.nameOf(access));
    }
    return error;
  }

  /** Creates the cache directories once and removes what a crashed run left half-written. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      const reposDir = join(this.options.cacheDir, 'repos');
      await mkdir(reposDir, { recursive: true });
      // Credential files a killed controller left behind.
      await rm(join(this.options.cacheDir, 'credentials'), { recursive: true, force: true });
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

/** The real path, or (when it does not exist yet) the lexically resolved one. */
async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolvePath(path);
  }
}
