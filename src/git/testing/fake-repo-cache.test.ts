import { describe, expect, it } from '@jest/globals';
import { FakeRepoCache } from './fake-repo-cache.js';

// What the controller's unit tests rely on when they use the fake in place of RepoCache.
const sha = 'a'.repeat(40);
const repo = 'https://git.example.com/org/apps.git';

describe('FakeRepoCache', () => {
  it('resolves declared revisions under any spelling of the URL, "" and undefined as HEAD, and a full SHA as itself', async () => {
    const fake = new FakeRepoCache().setRevision(repo, 'main', sha).setRevision(repo, '', sha);
    expect(await fake.resolve('git@git.example.com:org/apps', 'main')).toEqual({ ok: true, sha, ref: 'main' });
    expect(await fake.resolve('https://git.example.com/org/apps', undefined)).toEqual({ ok: true, sha, ref: 'HEAD' });
    expect(await fake.resolve(repo, 'B'.repeat(40))).toEqual({ ok: true, sha: 'b'.repeat(40), ref: 'B'.repeat(40) });
    expect(await fake.resolve(repo, 'nope')).toMatchObject({ ok: false, error: { code: 'RevisionNotFound' } });
  });

  it('records each call with the options that tell a forced resolve from a cached one', async () => {
    const fake = new FakeRepoCache().setRevision(repo, 'main', sha);
    await fake.resolve(repo, 'main', { force: true });
    await fake.resolve(repo, 'main', { maxAgeMs: Infinity });
    await fake.checkout(repo, sha);
    fake.invalidate(repo);
    expect(fake.calls).toEqual([
      { method: 'resolve', repoURL: repo, argument: 'main', force: true },
      { method: 'resolve', repoURL: repo, argument: 'main', force: false },
      { method: 'checkout', repoURL: repo, argument: sha },
      { method: 'invalidate', repoURL: repo },
    ]);
  });

  it('checks out declared trees only, and fails every call of a repository until the failure is cleared', async () => {
    const fake = new FakeRepoCache().setRevision(repo, 'main', sha).setTree(sha, '/trees/a');
    expect(await fake.checkout(repo, sha)).toEqual({ ok: true, dir: '/trees/a', sha });
    expect(await fake.checkout(repo, 'b'.repeat(40))).toMatchObject({ ok: false, error: { code: 'RevisionNotFound' } });
    const gone = { code: 'RepoNotFound', message: 'gone' } as const;
    fake.setFailure('git@git.example.com:org/apps', gone);
    expect(await fake.resolve(repo, 'main')).toEqual({ ok: false, error: gone });
    expect(await fake.checkout(repo, sha)).toEqual({ ok: false, error: gone });
    fake.setFailure(repo, undefined);
    expect(await fake.resolve(repo, 'main')).toEqual({ ok: true, sha, ref: 'main' });
  });
});
