/**
 * One bare clone per repository access (repository, transport and credentials) under
 * `<cacheDir>/repos/<hash of its clone key>`. Callers hold the per-clone lock (keyed by
 * `nameOf()`) around every method that writes (ensure, fetch*, discard, removeUnwanted).
 * The remote URL is passed on each command line without credentials and never written into
 * the clone's config; credentials reach git through its environment only.
 */
import { randomBytes } from 'node:crypto';
import { access as fsAccess, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { shortHash, type RepoAccess } from './access.js';
import { remoteFailure, localFailure } from './failures.js';
import type { GitClient } from './git-client.js';
import type { GitFailure } from './types.js';

export type CloneResult = { ok: true; dir: string; created: boolean } | { ok: false; error: GitFailure };
export type FetchResult = { ok: true } | { ok: false; error: GitFailure };
export type FetchCommitResult = { ok: true; found: boolean } | { ok: false; error: GitFailure };

/**
 * A fetch must not start a background gc (it would outlive the command and race with
 * eviction), and checks every object it receives (a malformed tree or commit is refused).
 */
const fetchConfig = ['-c', 'gc.auto=0', '-c', 'maintenance.auto=false', '-c', 'transfer.fsckObjects=true'];
const branchesAndTags = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

export class BareClones {
  private readonly known = new Set<string>();

  constructor(
    private readonly git: GitClient,
    private readonly reposDir: string,
  ) {}

  /** The directory name of the clone of `access`: also the key of its lock. */
  nameOf(access: RepoAccess): string {
    return shortHash(access.cloneKey);
  }

  dirOf(access: RepoAccess): string {
    return join(this.reposDir, this.nameOf(access));
  }

  /** The clone, cloned now (all branches and tags) if it is not there yet. */
  async ensure(access: RepoAccess): Promise<CloneResult> {
    const dir = this.dirOf(access);
    if (this.known.has(dir) || (await exists(join(dir, 'HEAD')))) {
      this.known.add(dir);
      return { ok: true, dir, created: false };
    }
    // Clone into a temporary directory and rename it, so a clone cut short never looks complete.
    const tmp = join(this.reposDir, `.tmp-${randomBytes(6).toString('hex')}`);
    const cloned = await this.git.request('clone', access.url, async () => {
      const init = await this.git.run(['init', '--quiet', '--bare', '--template=', tmp]);
      if (!init.ok) return { ok: false as const, error: localFailure(init, this.context('init', access)) };
      return this.fetchInto(tmp, access, 'clone');
    });
    if (!cloned.ok) {
      await rm(tmp, { recursive: true, force: true });
      return cloned;
    }
    await rename(tmp, dir);
    this.known.add(dir);
    return { ok: true, dir, created: true };
  }

  /**
   * Throws a clone away; the next use clones again. Used after a fetch failed inside the
   * clone: one killed at its deadline can leave lock files that would fail every later fetch.
   */
  discard(access: RepoAccess): Promise<void> {
    return this.removeByName(this.nameOf(access));
  }

  /** Names of the clones on disk (finished ones only). */
  async names(): Promise<string[]> {
    try {
      return (await readdir(this.reposDir)).filter((name) => !name.startsWith('.'));
    } catch {
      return [];
    }
  }

  /** Removes the clone named `name` (a name from names() or nameOf()). */
  async removeByName(name: string): Promise<void> {
    const dir = join(this.reposDir, name);
    this.known.delete(dir);
    const doomed = join(this.reposDir, `.tmp-discarded-${randomBytes(6).toString('hex')}`);
    try {
      await rename(dir, doomed);
    } catch {
      return; // nothing to remove
    }
    await rm(doomed, { recursive: true, force: true });
  }

  /** Updates all branches and tags (deleted ones are pruned, so a renamed branch never conflicts). */
  fetchRefs(dir: string, access: RepoAccess): Promise<FetchResult> {
    return this.git.request('fetch', access.url, () => this.fetchInto(dir, access, 'fetch'));
  }

  /** Fetches one commit by SHA (one no branch or tag reaches any more); `found: false` if the remote has none. */
  fetchCommit(dir: string, access: RepoAccess, sha: string): Promise<FetchCommitResult> {
    return this.git.request('fetch', access.url, async () => {
      // Kept under its own ref so that it stays reachable.
      const args = [...fetchConfig, '--git-dir', dir, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', access.repo.remote, `+${sha}:refs/capstan/keep/${sha}`];
      const run = await this.git.runRemote(args, access);
      if (run.ok) return { ok: true as const, found: true };
      if (run.reason === 'exit' && /not our ref|couldn't find remote ref|no such remote ref|unadvertised object/i.test(run.stderr)) {
        return { ok: true as const, found: false };
      }
      return { ok: false as const, error: remoteFailure(run, this.context('fetch', access)) };
    });
  }

  /** Repo-relative paths that differ between two commits present in the clone; undefined when git cannot tell. */
  async changedFiles(dir: string, from: string, to: string): Promise<string[] | undefined> {
    const run = await this.git.run(['--git-dir', dir, 'diff', '--name-only', '--no-renames', '-z', from, to]);
    if (!run.ok) return undefined;
    return run.stdout.split('\0').filter((p) => p !== '');
  }

  async hasCommit(dir: string, sha: string): Promise<boolean> {
    const run = await this.git.run(['--git-dir', dir, 'cat-file', '-e', `${sha}^{commit}`]);
    return run.ok;
  }

  /**
   * The commit an abbreviated SHA names in the clone, or why there is none. A ref of the same
   * name would win inside rev-parse, so the answer must really start with the prefix.
   */
  async commitOfPrefix(dir: string, prefix: string): Promise<{ sha: string } | { missing: 'unknown' | 'ambiguous' }> {
    const run = await this.git.run(['--git-dir', dir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${prefix}^{commit}`]);
    if (run.ok) {
      const sha = run.stdout.trim().toLowerCase();
      if (sha.startsWith(prefix.toLowerCase())) return { sha };
      return { missing: 'unknown' };
    }
    return { missing: /ambiguous/i.test(run.stderr) ? 'ambiguous' : 'unknown' };
  }

  private async fetchInto(dir: string, access: RepoAccess, operation: 'clone' | 'fetch'): Promise<FetchResult> {
    const args = [...fetchConfig, '--git-dir', dir, 'fetch', '--quiet', '--prune', '--no-tags', '--no-write-fetch-head', '--', access.repo.remote, ...branchesAndTags];
    const run = await this.git.runRemote(args, access);
    if (!run.ok) return { ok: false, error: remoteFailure(run, this.context(operation, access)) };
    if (operation === 'fetch') await this.compact(dir);
    return { ok: true };
  }

  /**
   * Packs what fetches piled up, in the foreground and under the caller's repository lock (so it
   * never races a checkout): `gc --auto` does nothing until git's own thresholds are passed.
   * A failure here costs disk, not correctness, so it is not reported as a fetch failure.
   */
  private async compact(dir: string): Promise<void> {
    await this.git.run(['-c', 'gc.autoDetach=false', '-c', 'gc.auto=6700', '--git-dir', dir, 'gc', '--auto', '--quiet']);
  }

  private context(operation: string, access: RepoAccess): { operation: string; repoURL: string; timeoutMs: number } {
    return { operation, repoURL: access.url, timeoutMs: this.git.timeoutMs };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsAccess(path);
    return true;
  } catch {
    return false;
  }
}
