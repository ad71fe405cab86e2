/**
 * Checked-out trees under `<cacheDir>/trees/<repoId>-<sha>`: one per repository and commit,
 * read-only, shared by every caller, and evicted least recently used first. A tree is written
 * into a temporary directory beside its final place and renamed, so a tree that exists is
 * always complete. The store never decides who may read a tree: the repository cache hands one
 * out only after the commit was found in the caller's own clone.
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

const treeName = /^([0-9a-f]{16})-([0-9a-f]{40})$/;

export class TreeStore {
  /** `<repoId>-<sha>` → directory; Map order is the LRU order, oldest first. */
  private readonly trees = new Map<string, string>();
  /** `<repoId>-<sha>` → when it was last handed out. */
  private readonly usedAt = new Map<string, number>();

  constructor(private readonly options: TreeStoreOptions) {}

  /**
   * Adopts the trees a previous run left (oldest first by mtime) and removes half-written ones
   * and trees not named by repository (left by older versions).
   */
  async load(): Promise<void> {
    const { treesDir } = this.options;
    await mkdir(treesDir, { recursive: true });
    const found: { name: string; dir: string; mtimeMs: number }[] = [];
    for (const entry of await readdir(treesDir, { withFileTypes: true })) {
      const path = join(treesDir, entry.name);
      if (entry.isDirectory() && treeName.test(entry.name)) found.push({ name: entry.name, dir: path, mtimeMs: (await lstat(path)).mtimeMs });
      else if (entry.name.startsWith('.') || isFullSha(entry.name)) await removeTree(path);
    }
    for (const tree of found.sort((a, b) => a.mtimeMs - b.mtimeMs)) this.trees.set(tree.name, tree.dir);
    await this.evict(undefined);
  }

  /** The tree of commit `sha` of repository `repoId` if it is materialised; marks it as just used. */
  get(repoId: string, sha: string): string | undefined {
    const name = `${repoId}-${sha}`;
    const dir = this.trees.get(name);
    if (dir === undefined) return undefined;
    this.trees.delete(name);
    this.trees.set(name, dir);
    this.usedAt.set(name, performance.now());
    return dir;
  }

  /** Writes the tree of commit `sha` (present in the bare clone `cloneDir` of repository `repoId`) and returns it. */
  async materialize(cloneDir: string, repoId: string, repoURL: string, sha: string): Promise<CheckedOut> {
    const existing = this.get(repoId, sha);
    if (existing !== undefined) return { ok: true, dir: existing, sha };
    const name = `${repoId}-${sha}`;
    const finalDir = join(this.options.treesDir, name);
    const tmp = join(this.options.treesDir, `.tmp-${name}-${randomBytes(4).toString('hex')}`);
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
    this.trees.set(name, finalDir);
    this.usedAt.set(name, performance.now());
    await this.evict(name);
    return { ok: true, dir: finalDir, sha };
  }

  /** Removes the trees of repositories not in `repoIds`, except those handed out within inUseMs. */
  async retain(repoIds: ReadonlySet<string>): Promise<void> {
    const busySince = performance.now() - (this.options.inUseMs ?? 60_000);
    const victims = [...this.trees.keys()].filter((name) => !repoIds.has(name.slice(0, 16)) && (this.usedAt.get(name) ?? -Infinity) < busySince);
    await this.remove(victims);
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
        const run = await this.options.git.run(args, { env });
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
    await this.remove([...this.trees.keys()].filter((name) => name !== keep && (this.usedAt.get(name) ?? -Infinity) < busySince).slice(0, excess));
  }

  private async remove(names: readonly string[]): Promise<void> {
    for (const name of names) {
      const dir = this.trees.get(name);
      this.trees.delete(name);
      this.usedAt.delete(name);
      if (dir === undefined) continue;
      try {
        // Out of the way at once, so a later checkout of the same commit writes a fresh tree.
        const doomed = join(this.options.treesDir, `.evict-${name}-${randomBytes(4).toString('hex')}`);
        await rename(dir, doomed);
        await removeTree(doomed);
        this.options.logger?.debug({ tree: name }, 'removed checked-out tree');
      } catch (err) {
        this.options.logger?.warn({ err, tree: name, dir }, 'could not remove checked-out tree');
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
