import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { RepoCache } from './repo-cache.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';

let root: string;
let origin: TestRepo;
let first: string;
let second: string;

beforeAll(() => {
  root = makeTempDir('git-changes');
  origin = TestRepo.create(root, 'origin');
  first = origin.commit({ 'apps/a/cm.yaml': 'a: 1\n', 'apps/b/cm.yaml': 'b: 1\n' }, 'first');
  second = origin.commit({ 'apps/b/cm.yaml': 'b: 2\n', 'apps/c/new.yaml': 'c: 1\n' }, 'second');
});

afterAll(() => {
  removeTempDir(root);
});

describe('RepoCache.changedFiles', () => {
  it('lists the paths that differ between two commits, fetching what is missing', async () => {
    const cache = new RepoCache({ cacheDir: join(root, 'cache'), allowLocalRepos: true });
    expect((await cache.changedFiles(origin.url, first, second))?.sort()).toEqual(['apps/b/cm.yaml', 'apps/c/new.yaml']);
    expect(await cache.changedFiles(origin.url, second, second)).toEqual([]);
  });

  it('cannot tell for an abbreviated or unknown commit', async () => {
    const cache = new RepoCache({ cacheDir: join(root, 'cache-2'), allowLocalRepos: true });
    expect(await cache.changedFiles(origin.url, first.slice(0, 8), second)).toBeUndefined();
    expect(await cache.changedFiles(origin.url, 'f'.repeat(40), second)).toBeUndefined();
  });
});
