import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RepoCache } from './repo-cache.js';
import { RequestRecorder } from './testing/request-recorder.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';
import type { RepoCacheOptions } from './types.js';

let root: string;
let origin: TestRepo;
let first: string; // main~1, tagged v1.0.0 (lightweight)
let onRelease: string; // branch release, tagged v2.0.0 (annotated)
let head: string; // main
let cacheCount = 0;

function newCache(options: Partial<RepoCacheOptions> = {}): { cache: RepoCache; recorder: RequestRecorder } {
  const recorder = new RequestRecorder();
  cacheCount += 1;
  const cache = new RepoCache({ cacheDir: join(root, `cache-${cacheCount}`), onRequest: recorder.onRequest, logger: recorder.logger, allowLocalRepos: true, minRemoteIntervalMs: 0, ...options });
  return { cache, recorder };
}

beforeAll(() => {
  root = makeTempDir('git-resolve');
  origin = TestRepo.create(root, 'origin');
  first = origin.commit({ 'app/cm.yaml': 'version: 1\n' }, 'first');
  origin.tag('v1.0.0');
  origin.switchTo('release', { create: true });
  onRelease = origin.commit({ 'app/cm.yaml': 'version: 2\n' }, 'release');
  origin.tag('v2.0.0', { annotated: true });
  origin.switchTo('main');
  head = origin.commit({ 'app/cm.yaml': 'version: 3\n' }, 'head');
});

afterAll(() => {
  removeTempDir(root);
});

describe('RepoCache.resolve', () => {
  it('resolves HEAD, an empty revision and no revision to the default branch', async () => {
    const { cache } = newCache();
    for (const rev of ['HEAD', '', undefined]) {
      expect(await cache.resolve(origin.url, rev)).toEqual({ ok: true, sha: head, ref: 'HEAD' });
    }
  });

  it('resolves branches, lightweight tags, annotated tags (to their commit) and full ref names', async () => {
    const { cache } = newCache();
    expect(await cache.resolve(origin.url, 'main')).toEqual({ ok: true, sha: head, ref: 'refs/heads/main' });
    expect(await cache.resolve(origin.url, 'release')).toEqual({ ok: true, sha: onRelease, ref: 'refs/heads/release' });
    expect(await cache.resolve(origin.url, 'v1.0.0')).toEqual({ ok: true, sha: first, ref: 'refs/tags/v1.0.0' });
    const annotated = await cache.resolve(origin.url, 'v2.0.0');
    expect(annotated).toEqual({ ok: true, sha: onRelease, ref: 'refs/tags/v2.0.0' });
    expect(origin.git('rev-parse', 'v2.0.0')).not.toBe(onRelease); // the tag object itself is another SHA
    expect(await cache.resolve(origin.url, 'refs/tags/v2.0.0')).toEqual({ ok: true, sha: onRelease, ref: 'refs/tags/v2.0.0' });
  });

  it('returns a full SHA once the repository\'s clone has it, without ls-remote, and then without git', async () => {
    const { cache, recorder } = newCache();
    expect(await cache.resolve(origin.url, first.toUpperCase())).toEqual({ ok: true, sha: first, ref: first.toUpperCase() });
    expect(recorder.requests.map((r) => r.kind)).toEqual(['clone']);
    const commands = recorder.commands.length;
    expect(await cache.resolve(origin.url, first)).toEqual({ ok: true, sha: first, ref: first });
    expect(recorder.commands.length).toBe(commands);
  });

  it('resolves a short SHA in the local clone, fetching once when the commit is new', async () => {
    const moving = TestRepo.create(root, 'short-sha');
    const old = moving.commit({ 'a.txt': 'old\n' }, 'old');
    moving.commit({ 'a.txt': 'newer\n' }, 'newer');
    const { cache, recorder } = newCache();
    expect(await cache.resolve(moving.url, old.slice(0, 7))).toEqual({ ok: true, sha: old, ref: old.slice(0, 7) });
    expect(recorder.count('clone')).toBe(1);
    expect(recorder.count('fetch')).toBe(0);

    const fresh = moving.commit({ 'a.txt': 'fresh\n' }, 'fresh');
    expect(await cache.resolve(moving.url, fresh.slice(0, 10))).toEqual({ ok: true, sha: fresh, ref: fresh.slice(0, 10) });
    expect(recorder.count('fetch')).toBe(1);
    expect(recorder.count('clone')).toBe(1);
  });

  it('reports an unknown branch or short SHA as RevisionNotFound, naming revision and repo', async () => {
    const { cache } = newCache();
    const branch = await cache.resolve(origin.url, 'no-such-branch');
    expect(branch).toEqual({
      ok: false,
      error: { code: 'RevisionNotFound', message: `revision "no-such-branch" not found in repository ${origin.url}` },
    });
    const sha = await cache.resolve(origin.url, 'deadbee');
    expect(sha.ok ? undefined : sha.error.code).toBe('RevisionNotFound');
    expect(sha.ok ? '' : sha.error.message).toContain('"deadbee"');
  });

  it('reports a repository that does not exist as RepoNotFound', async () => {
    const { cache, recorder } = newCache();
    const missing = `file://${join(root, 'missing')}`;
    const result = await cache.resolve(missing, 'main');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('RepoNotFound');
    expect(result.error.message).toBe(`repository ${missing} not found or not reachable: '${join(root, 'missing')}' does not appear to be a git repository`);
    expect(recorder.requests).toEqual([{ kind: 'ls-remote', repoURL: missing, ok: false }]);
  });

  it('shares one ls-remote among 20 concurrent resolves of one repo, under any spelling of its URL', async () => {
    const { cache, recorder } = newCache();
    const spellings = [origin.url, origin.dir, `${origin.url}/`];
    const revisions = ['main', 'release', 'v1.0.0', 'HEAD'];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache.resolve(spellings[i % spellings.length] ?? '', revisions[i % revisions.length])),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.map((r) => (r.ok ? r.sha : ''))).toEqual(Array.from({ length: 20 }, (_, i) => [head, onRelease, first, head][i % 4]));
    expect(recorder.count('ls-remote')).toBe(1);
  });

  it('sees a new commit after invalidate, force or TTL expiry, and not before', async () => {
    const moving = TestRepo.create(root, 'moving');
    const one = moving.commit({ 'a.txt': '1\n' }, 'one');
    const { cache, recorder } = newCache({ resolveTtlMs: 600 });
    const mainOf = async () => {
      const r = await cache.resolve(moving.url, 'main');
      return r.ok ? r.sha : r.error.message;
    };
    expect(await mainOf()).toBe(one);

    const two = moving.commit({ 'a.txt': '2\n' }, 'two');
    expect(await mainOf()).toBe(one);
    expect(recorder.count('ls-remote')).toBe(1);
    cache.invalidate(`${moving.dir}/`);
    expect(await mainOf()).toBe(two);
    expect(recorder.count('ls-remote')).toBe(2);

    const three = moving.commit({ 'a.txt': '3\n' }, 'three');
    const forced = await cache.resolve(moving.url, 'main', { force: true });
    expect(forced.ok ? forced.sha : '').toBe(three);
    expect(recorder.count('ls-remote')).toBe(3);

    const four = moving.commit({ 'a.txt': '4\n' }, 'four');
    expect(await mainOf()).toBe(three);
    await sleep(650);
    expect(await mainOf()).toBe(four);
    expect(recorder.count('ls-remote')).toBe(4);
  });

  it('does not cut short an ls-remote running at invalidate: later callers share one follow-up', async () => {
    const moving = TestRepo.create(root, 'invalidated');
    const one = moving.commit({ 'a.txt': '1\n' }, 'one');
    const { cache, recorder } = newCache();
    const before = cache.resolve(moving.url, 'main');
    const two = moving.commit({ 'a.txt': '2\n' }, 'two');
    cache.invalidate(moving.url);
    const after = cache.resolve(moving.url, 'main');
    const again = cache.resolve(moving.dir, 'HEAD');
    const [b, a, g] = await Promise.all([before, after, again]);
    expect(b.ok ? b.sha : '').toMatch(new RegExp(`^(${one}|${two})$`));
    expect([a.ok ? a.sha : '', g.ok ? g.sha : '']).toEqual([two, two]);
    // One, or (when the first was already running at invalidate) it and one follow-up.
    expect(recorder.count('ls-remote')).toBeLessThanOrEqual(2);
  });

  it('refuses local repositories unless allowed, without running git', async () => {
    const { cache, recorder } = newCache({ allowLocalRepos: false });
    for (const url of [origin.url, origin.dir, `FILE://${origin.dir}`]) {
      const result = await cache.resolve(url, 'main');
      expect(result.ok ? '' : result.error.code).toBe('InvalidRepoURL');
      expect(result.ok ? '' : result.error.message).toMatch(/is refused: local repositories .* --allow-local-repos$/);
      const tree = await cache.checkout(url, head);
      expect(tree.ok ? '' : tree.error.code).toBe('InvalidRepoURL');
      expect(await cache.changedFiles(url, first, head)).toBeUndefined();
    }
    expect(recorder.commands).toEqual([]);
  });

  it('reports a cache directory it cannot create as GitError, and recovers once it can', async () => {
    const blocker = join(root, 'blocker');
    writeFileSync(blocker, 'a file where a directory should be');
    const { cache } = newCache({ cacheDir: join(blocker, 'cache') });
    const blocked = await cache.resolve(origin.url, 'main');
    expect(blocked.ok ? '' : blocked.error.code).toBe('GitError');
    expect(blocked.ok ? '' : blocked.error.message).toMatch(/^repository cache error for file:\/\/.*ENOTDIR/);
    rmSync(blocker);
    expect(await cache.resolve(origin.url, 'main')).toEqual({ ok: true, sha: head, ref: 'refs/heads/main' });
  });

  it('refuses a ref list larger than maxRefListBytes with a clear error', async () => {
    const tags = TestRepo.create(root, 'many-tags');
    const tagged = tags.commit({ 'a.txt': 'a\n' });
    tags.updateRefs(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`refs/tags/v0.0.${i}`, tagged])));
    const { cache } = newCache({ maxRefListBytes: 1_000 });
    const result = await cache.resolve(tags.url, 'main');
    expect(result).toEqual({ ok: false, error: { code: 'GitError', message: `git ls-remote of ${tags.url} printed more than 1000 bytes (the repository lists too many refs); stopped` } });
    const roomy = newCache().cache;
    expect((await roomy.resolve(tags.url, 'v0.0.39')).ok).toBe(true);
  });

  it('lists only HEAD, branches and tags for the shared table; another full ref name is listed on its own', async () => {
    const pulls = TestRepo.create(root, 'pull-refs');
    const base = pulls.commit({ 'a.txt': 'a\n' });
    // What GitHub advertises: two refs per pull request, far more than branches and tags.
    pulls.updateRefs(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`refs/pull/${i}/head`, base])));
    const { cache, recorder } = newCache({ maxRefListBytes: 2_000 });
    expect(await cache.resolve(pulls.url, 'main')).toEqual({ ok: true, sha: base, ref: 'refs/heads/main' });
    expect(await cache.resolve(pulls.url, 'refs/pull/7/head')).toEqual({ ok: true, sha: base, ref: 'refs/pull/7/head' });
    expect(await cache.resolve(pulls.url, 'refs/pull/7/head')).toEqual({ ok: true, sha: base, ref: 'refs/pull/7/head' });
    expect((await cache.resolve(pulls.url, 'refs/pull/999/head')).ok).toBe(false);
    expect(recorder.count('ls-remote')).toBe(3);
  });

  it('resolves HEAD of an empty repository as RevisionNotFound', async () => {
    const empty = TestRepo.create(root, 'empty');
    const { cache } = newCache();
    const result = await cache.resolve(empty.url, undefined);
    expect(result).toEqual({ ok: false, error: { code: 'RevisionNotFound', message: `revision "HEAD" not found in repository ${empty.url}` } });
  });
});
