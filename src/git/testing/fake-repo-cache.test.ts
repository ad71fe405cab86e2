import { describe, expect, it } from '@jest/globals';
import { FakeRepoCache } from './fake-repo-cache.js';

const sha = 'a'.repeat(40);

describe('FakeRepoCache', () => {
  it('resolves declared revisions under any spelling of the URL and records calls', async () => {
    const fake = new FakeRepoCache().setRevision('https://git.example.com/org/apps.git', 'main', sha).setRevision('https://git.example.com/org/apps', '', sha);
    expect(await fake.resolve('git@git.example.com:org/apps', 'main')).toEqual({ ok: true, sha, ref: 'main' });
    expect(await fake.resolve('https://git.example.com/org/apps', undefined)).toEqual({ ok: true, sha, ref: 'HEAD' });
    expect(await fake.resolve('https://git.example.com/org/apps', 'nope')).toMatchObject({ ok: false, error: { code: 'RevisionNotFound' } });
    fake.invalidate('https://git.example.com/org/apps');
    expect(fake.calls.map((c) => c.method)).toEqual(['resolve', 'resolve', 'resolve', 'invalidate']);
  });

  it('checks out declared trees and fails a repo on request', async () => {
    const fake = new FakeRepoCache().setTree(sha, '/trees/a');
    expect(await fake.checkout('https://host/org/apps', sha)).toEqual({ ok: true, dir: '/trees/a', sha });
    expect(await fake.checkout('https://host/org/apps', 'b'.repeat(40))).toMatchObject({ ok: false, error: { code: 'RevisionNotFound' } });
    fake.setFailure('https://host/org/apps', { code: 'RepoNotFound', message: 'gone' });
    expect(await fake.checkout('https://host/org/apps', sha)).toEqual({ ok: false, error: { code: 'RepoNotFound', message: 'gone' } });
    fake.setFailure('https://host/org/apps', undefined);
    expect((await fake.checkout('https://host/org/apps', sha)).ok).toBe(true);
  });
});
