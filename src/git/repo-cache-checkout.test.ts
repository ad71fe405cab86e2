import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepoCache } from './repo-cache.js';
import { RequestRecorder } from './testing/request-recorder.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';
import type { CheckedOut, RepoCacheOptions } from './types.js';

let root: string;
let origin: TestRepo;
let v1: string;
let v2: string;
let v3: string;
let cacheCount = 0;

function newCache(options: Partial<RepoCacheOptions> = {}): { cache: RepoCache; recorder: RequestRecorder; cacheDir: string } {
  const recorder = new RequestRecorder();
  cacheCount += 1;
  const cacheDir = options.cacheDir ?? join(root, `cache-${cacheCount}`);
  const cache = new RepoCache({ cacheDir, onRequest: recorder.onRequest, logger: recorder.logger, allowLocalRepos: true, minRemoteIntervalMs: 0, ...options });
  return { cache, recorder, cacheDir };
}

function dirOf(result: CheckedOut): string {
  if (!result.ok) throw new Error(`checkout failed: ${result.error.code}: ${result.error.message}`);
  return result.dir;
}

/** The commits whose trees are on disk (tree directories are named `<repo id>-<sha>`). */
function treeShas(cacheDir: string): string[] {
  return readdirSync(join(cacheDir, 'trees')).map((name) => name.replace(/^[0-9a-f]{16}-/, '')).sort();
}

function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

/** Every path under `dir` with its permission bits, e.g. 'app/cm.yaml 444'. */
function modes(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mode = (lstatSync(path).mode & 0o777).toString(8);
    if (entry.isSymbolicLink()) out.push(`${prefix}${entry.name} symlink`);
    else out.push(`${prefix}${entry.name} ${mode}`);
    if (entry.isDirectory()) out.push(...modes(path, `${prefix}${entry.name}/`));
  }
  return out.sort();
}

beforeAll(() => {
  root = makeTempDir('git-checkout');
  origin = TestRepo.create(root, 'origin');
  v1 = origin.commit({ 'app/cm.yaml': 'version: 1\n', 'README.md': 'apps\n' }, 'v1');
  v2 = origin.commit({ 'app/cm.yaml': 'version: 2\n', 'app/extra/secret-ref.yaml': 'kind: Secret\n' }, 'v2');
  v3 = origin.commit({ 'app/cm.yaml': 'version: 3\n' }, 'v3');
});

afterAll(() => {
  removeTempDir(root);
});

describe('RepoCache.checkout', () => {
  it('materialises the tree of each commit under trees/<repo id>-<sha>', async () => {
    const { cache, recorder, cacheDir } = newCache();
    const one = dirOf(await cache.checkout(origin.url, v1));
    const two = dirOf(await cache.checkout(origin.url, v2.toUpperCase()));
    expect(one).toMatch(new RegExp(`^${join(cacheDir, 'trees')}/[0-9a-f]{16}-${v1}$`));
    expect(two).toMatch(new RegExp(`^${join(cacheDir, 'trees')}/[0-9a-f]{16}-${v2}$`));
    expect(read(one, 'app/cm.yaml')).toBe('version: 1\n');
    expect(existsSync(join(one, 'app/extra'))).toBe(false);
    expect(read(two, 'app/cm.yaml')).toBe('version: 2\n');
    expect(read(two, 'app/extra/secret-ref.yaml')).toBe('kind: Secret\n');
    expect(existsSync(join(one, '.git'))).toBe(false);
    expect(recorder.count('clone')).toBe(1);
    expect(recorder.count('fetch')).toBe(0);
    expect(recorder.count('checkout')).toBe(2);
  });

  it('makes the tree read-only (files 0444, directories 0555), keeping executable bits', async () => {
    const repo = TestRepo.create(root, 'modes');
    repo.commit({ 'base/kustomization.yaml': 'resources: []\n' });
    writeFileSync(join(repo.dir, 'deploy.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const sha = repo.commit({}, 'executable');
    const { cache } = newCache();
    const dir = dirOf(await cache.checkout(repo.url, sha));
    expect(modes(dir)).toEqual(['base 555', 'base/kustomization.yaml 444', 'deploy.sh 555']);
    expect(lstatSync(dir).mode & 0o777).toBe(0o555);
  });

  it('checks out symlinks as symlinks', async () => {
    const repo = TestRepo.create(root, 'links');
    repo.commit({ 'real.yaml': 'a: 1\n' });
    symlinkSync('real.yaml', join(repo.dir, 'link.yaml'));
    const sha = repo.commit({}, 'link');
    const { cache } = newCache();
    const dir = dirOf(await cache.checkout(repo.url, sha));
    expect(readlinkSync(join(dir, 'link.yaml'))).toBe('real.yaml');
    expect(modes(dir)).toEqual(['link.yaml symlink', 'real.yaml 444']);
  });

  it('reuses a tree without running git, and after a restart (which clears half-written leftovers) without asking the remote, even when the repo is gone', async () => {
    const repo = TestRepo.create(root, 'reuse');
    const sha = repo.commit({ 'x.yaml': 'x: 1\n' });
    const { cache, recorder, cacheDir } = newCache();
    const dir = dirOf(await cache.checkout(repo.url, sha));
    const commandsBefore = recorder.commands.length;
    const requestsBefore = recorder.requests.length;
    expect(commandsBefore).toBeGreaterThan(0);
    removeTempDir(repo.dir);

    expect(dirOf(await cache.checkout(repo.url, sha))).toBe(dir);
    expect(recorder.commands.length).toBe(commandsBefore);
    expect(recorder.requests.length).toBe(requestsBefore);

    // Left half-written by a crash: removed at the next start.
    mkdirSync(join(cacheDir, 'trees', `.tmp-${sha}-dead`, 'sub'), { recursive: true, mode: 0o555 });
    mkdirSync(join(cacheDir, 'repos', '.tmp-dead'));
    // A tree named by its commit alone (no repository) is not trusted, and removed.
    mkdirSync(join(cacheDir, 'trees', 'f'.repeat(40)));
    const restarted = newCache({ cacheDir });
    expect(dirOf(await restarted.cache.checkout(repo.url, sha))).toBe(dir);
    // Only the commit's presence in this repository's clone is confirmed again, locally.
    expect(restarted.recorder.commands.map((args) => args.slice(2).join(' '))).toEqual([`cat-file -e ${sha}^{commit}`]);
    expect(restarted.recorder.requests).toEqual([]);
    expect(treeShas(cacheDir)).toEqual([sha]);
    expect(readdirSync(join(cacheDir, 'repos')).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(read(dir, 'x.yaml')).toBe('x: 1\n');
  });

  it('evicts the least recently used trees beyond maxTrees', async () => {
    const { cache, cacheDir } = newCache({ maxTrees: 2, treeInUseMs: 0 });
    dirOf(await cache.checkout(origin.url, v1));
    dirOf(await cache.checkout(origin.url, v2));
    dirOf(await cache.checkout(origin.url, v1)); // v1 is now the most recently used
    dirOf(await cache.checkout(origin.url, v3));
    expect(treeShas(cacheDir)).toEqual([v1, v3].sort());

    const again = dirOf(await cache.checkout(origin.url, v2));
    expect(read(again, 'app/cm.yaml')).toBe('version: 2\n');
    expect(treeShas(cacheDir)).toEqual([v2, v3].sort());
  });

  it('never evicts a tree handed out moments ago: its reader may still be rendering it', async () => {
    const { cache, cacheDir } = newCache({ maxTrees: 1 });
    const first = dirOf(await cache.checkout(origin.url, v1));
    dirOf(await cache.checkout(origin.url, v2));
    expect(treeShas(cacheDir)).toEqual([v1, v2].sort());
    expect(read(first, 'app/cm.yaml')).toBe('version: 1\n');
  });

  it('fetches once for a commit pushed after the clone, and not at all for one already there', async () => {
    const repo = TestRepo.create(root, 'pushed');
    const before = repo.commit({ 'a.yaml': 'a: 1\n' });
    const { cache, recorder } = newCache();
    dirOf(await cache.checkout(repo.url, before));
    const after = repo.commit({ 'a.yaml': 'a: 2\n' });
    expect(read(dirOf(await cache.checkout(repo.url, after)), 'a.yaml')).toBe('a: 2\n');
    expect(recorder.count('clone')).toBe(1);
    expect(recorder.count('fetch')).toBe(1);
  });

  it('fetches a commit by SHA when no branch or tag reaches it any more', async () => {
    const repo = TestRepo.create(root, 'orphan');
    const base = repo.commit({ 'a.yaml': 'a: 1\n' });
    const { cache, recorder } = newCache();
    dirOf(await cache.checkout(repo.url, base));
    repo.switchTo('feature', { create: true });
    const orphan = repo.commit({ 'a.yaml': 'a: feature\n' });
    repo.switchTo('main');
    repo.git('branch', '--quiet', '-D', 'feature');
    expect(read(dirOf(await cache.checkout(repo.url, orphan)), 'a.yaml')).toBe('a: feature\n');
    expect(recorder.count('clone')).toBe(1);
    expect(recorder.count('fetch')).toBe(2); // branches and tags (no luck), then the SHA itself
  });

  it('throws away a clone a fetch could not update, and clones afresh on the next attempt', async () => {
    const repo = TestRepo.create(root, 'locked');
    const before = repo.commit({ 'a.yaml': 'a: 1\n' });
    const { cache, recorder, cacheDir } = newCache();
    dirOf(await cache.checkout(repo.url, before));
    const [clone] = readdirSync(join(cacheDir, 'repos'));
    // What a fetch killed at its deadline leaves behind.
    writeFileSync(join(cacheDir, 'repos', clone ?? '-', 'refs', 'heads', 'main.lock'), '');
    const after = repo.commit({ 'a.yaml': 'a: 2\n' });
    const failed = await cache.checkout(repo.url, after);
    expect(failed.ok ? '' : failed.error.code).toBe('GitError');
    expect(failed.ok ? '' : failed.error.message).toContain('main.lock');
    expect(readdirSync(join(cacheDir, 'repos'))).toEqual([]);
    expect(read(dirOf(await cache.checkout(repo.url, after)), 'a.yaml')).toBe('a: 2\n');
    expect(recorder.count('clone')).toBe(2);
  });

  it('reports a SHA that does not exist even after fetching as RevisionNotFound', async () => {
    const { cache, recorder } = newCache();
    dirOf(await cache.checkout(origin.url, v1));
    const unknown = '0123456789abcdef0123456789abcdef01234567';
    expect(await cache.checkout(origin.url, unknown)).toEqual({
      ok: false,
      error: { code: 'RevisionNotFound', message: `revision "${unknown}" not found in repository ${origin.url}` },
    });
    expect(recorder.count('fetch')).toBe(2); // branches and tags, then the SHA itself
    expect(existsSync(join(root, `cache-${cacheCount}`, 'trees', unknown))).toBe(false);
  });

  it('refuses a repository with a malformed object (fsck on every fetch), naming the problem', async () => {
    const repo = TestRepo.create(root, 'malformed');
    repo.commit({ 'ok.yaml': 'ok: 1\n' });
    const blob = Buffer.from(repo.git('hash-object', '-w', '--stdin', join(repo.dir, 'ok.yaml')).trim(), 'hex');
    // A tree with two entries named "a": git fsck calls it duplicateEntries; a checkout would silently keep one.
    const entry = Buffer.concat([Buffer.from('100644 a\0'), blob]);
    const treeFile = join(root, 'malformed-tree');
    writeFileSync(treeFile, Buffer.concat([entry, entry]));
    const tree = repo.git('hash-object', '-t', 'tree', '-w', '--literally', treeFile);
    const bad = repo.git('commit-tree', tree, '-p', 'HEAD', '-m', 'bad');
    repo.git('update-ref', 'refs/heads/main', bad);
    const { cache } = newCache();
    const result = await cache.checkout(repo.url, bad);
    expect(result.ok ? '' : result.error.code).toBe('GitError');
    expect(result.ok ? '' : result.error.message).toMatch(/duplicateEntries/);
  });

  it('refuses an abbreviated SHA and reports a missing repository', async () => {
    const { cache } = newCache();
    const short = await cache.checkout(origin.url, v1.slice(0, 8));
    expect(short.ok ? '' : short.error.code).toBe('GitError');
    const missing = await cache.checkout(join(root, 'nowhere'), v1);
    expect(missing.ok ? '' : missing.error.code).toBe('RepoNotFound');
  });

  it('serves concurrent checkouts of one repo correctly, sharing work for the same commit', async () => {
    const repo = TestRepo.create(root, 'busy');
    const commits = Array.from({ length: 8 }, (_, i) => repo.commit({ 'n.yaml': `n: ${i}\n` }, `n${i}`));
    const { cache, recorder } = newCache();
    const asks = [...commits, ...commits, ...commits].map((sha) => cache.checkout(repo.url, sha));
    const results = await Promise.all(asks);
    results.forEach((result, i) => {
      const n = i % commits.length;
      expect(result).toEqual({ ok: true, sha: commits[n], dir: expect.stringContaining(commits[n] ?? '-') });
      expect(read(dirOf(result), 'n.yaml')).toBe(`n: ${n}\n`);
    });
    expect(recorder.count('clone')).toBe(1);
    expect(recorder.count('checkout')).toBe(commits.length);
  });
});
