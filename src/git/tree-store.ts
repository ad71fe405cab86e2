/**
 * Checked-out trees under `<cacheDir>/trees/<sha>`: read-only, shared by every caller, and
 * evicted least recently used first. A tree is written into a temporary directory beside its
 * final place and renamed, so a tree that exists is always complete.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { localFailure } from './failures.js';
import type { GitClient } from './git-client.js';
import type { CheckedOut, GitLogger } from './types.js';
import { isFullSha } from './types.js';

export interface TreeStoreOptions {
  readonly treesDir: string;
  readonly maxTrees: number;
  /**
   * A tree handed out this recently is never evicted (default 60 s): its reader may still be
   * rendering it. The store may then hold more than maxTrees for a while.
   */
  readonly inUseMs?: number;
  readonly git: GitClient;
  readonly logger?: GitLogger;
}

export class TreeStore {
  /** sha → directory; Map order is the LRU order, oldest first. */
  private readonly trees = new Map<string, string>();
  /** sha → when it was last handed out. */
  private readonly usedAt = new Map<string, number>();

  constructor(private readonly options: TreeStoreOptions) {}

  /** Adopts the trees a previous run left (oldest first by mtime) and removes half-written ones. */
  async load(): Promise<void> {
    const { treesDir } = this.options;
    await mkdir(treesDir, { recursive: true });
    const found: { sha: string; dir: string; mtimeMs: number }[] = [];
    for (const entry of await readdir(treesDir, { withFileTypes: true })) {
      const path = join(treesDir, entry.name);
      if (entry.isDirectory() && isFullSha(entry.name)) found.push({ sha: entry.name, dir: path, mtimeMs: (await lstat(path)).mtimeMs });
      else if (entry.name.startsWith('.')) await removeTree(path);
    }
    for (const tree of found.sort((a, b) => a.mtimeMs - b.mtimeMs)) this.trees.set(tree.sha, tree.dir);
    await this.evict(undefined);
  }

  /** The tree of `sha` if it is materialised; marks it as just used. */
  get(sha: string): string | undefined {
    const dir = this.trees.get(sha);
    if (dir === undefined) return undefined;
    this.trees.delete(sha);
    this.trees.set(sha, dir);
    this.usedAt.set(sha, performance.now());
    return dir;
  }

  /** Writes the tree of commit `sha` (present in the bare clone `cloneDir`) and returns it. */
  async materialize(cloneDir: string, repoURL: string, sha: string): Promise<CheckedOut> {
    const existing = this.get(sha);
    if (existing !== undefined) return { ok: true, dir: existing, sha };
    const finalDir = join(this.options.treesDir, sha);
    const tmp = join(this.options.treesDir, `.tmp-${sha}-${randomBytes(4).toString('hex')}`);
    const written = await this.options.git.request('checkout', repoURL, () => this.writeTree(cloneDir, repoURL, sha, tmp));
    if (!written.ok) {
      await removeTree(tmp);
      return written;
    }
    try {
      await rename(tmp, finalDir);
    } catch (err) {
      // Another writer got there first: its tree is the same commit, so use it.
      if (!isErrno(err, 'ENOTEMPTY') && !isErrno(err, 'EEXIST')) throw err;
      await removeTree(tmp);
    }
    this.trees.set(sha, finalDir);
    this.usedAt.set(sha, performance.now());
    await this.evict(sha);
    return { ok: true, dir: finalDir, sha };
  }

  /** Fills `tmp` with the files of `sha` (like a real checkout: modes, symlinks, attributes) and makes it read-only. */
  private async writeTree(cloneDir: string, repoURL: string, sha: string, tmp: string): Promise<CheckedOut> {
    await mkdir(tmp);
    // A private index file, so concurrent checkouts from one clone never share one.
    const env = { GIT_INDEX_FILE: `${tmp}.index` };
    try {
      for (const args of [
        ['--git-dir', cloneDir, 'read-tree', sha],
        ['--git-dir', cloneDir, '--work-tree', tmp, 'checkout-index', '--all', '--force'],
      ]) {
        const run = await this.options.git.run(args, env);
        if (!run.ok) return { ok: false, error: localFailure(run, { operation: 'checkout', repoURL, timeoutMs: this.options.git.timeoutMs }) };
      }
    } finally {
      await rm(env.GIT_INDEX_FILE, { force: true });
    }
    await makeReadOnly(tmp);
    return { ok: true, dir: tmp, sha };
  }

  /** Removes the least recently used trees beyond maxTrees, never `keep` nor one handed out within inUseMs. */
  private async evict(keep: string | undefined): Promise<void> {
    const excess = this.trees.size - this.options.maxTrees;
    if (excess <= 0) return;
    const busySince = performance.now() - (this.options.inUseMs ?? 60_000);
    const victims = [...this.trees.keys()].filter((sha) => sha !== keep && (this.usedAt.get(sha) ?? -Infinity) < busySince).slice(0, excess);
    for (const sha of victims) {
      const dir = this.trees.get(sha);
      this.trees.delete(sha);
      this.usedAt.delete(sha);
      if (dir === undefined) continue;
      try {
        // Out of the way at once, so a later checkout of the same commit writes a fresh tree.
        const doomed = join(this.options.treesDir, `.evict-${sha}-${randomBytes(4).toString('hex')}`);
        await rename(dir, doomed);
        await removeTree(doomed);
        this.options.logger?.debug({ sha }, 'evicted checked-out tree');
      } catch (err) {
        this.options.logger?.warn({ err, sha, dir }, 'could not evict checked-out tree');
      }
    }
  }
}

/** Files 0444 (0555 when executable), directories 0555; symlinks are left alone. */
async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeReadOnly(path);
    else if (entry.isFile()) await chmod(path, ((await lstat(path)).mode & 0o111) !== 0 ? 0o555 : 0o444);
  }
  await chmod(dir, 0o555);
}

/** Directories need their write bit back before their entries can be removed. */
async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await makeWritable(join(dir, entry.name));
  }
}

async function removeTree(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isDirectory()) await makeWritable(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return;
    throw err;
  }
  await rm(path, { recursive: true, force: true });
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
