import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepoCache } from './repo-cache.js';
import { startHttpGitServer, type HttpGitServer } from './testing/http-git-server.js';
import { RequestRecorder } from './testing/request-recorder.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';
import type { CheckedOut, RepoCacheOptions, Resolved } from './types.js';

let root: string;
let teamA: TestRepo;
let teamB: TestRepo;
let aHead: string;
let bSecret: string;
let cacheCount = 0;
let open: HttpGitServer;
let locked: HttpGitServer;

function newCache(options: Partial<RepoCacheOptions> = {}): { cache: RepoCache; recorder: RequestRecorder; cacheDir: string } {
  const recorder = new RequestRecorder();
  cacheCount += 1;
  const cacheDir = join(root, `cache-${cacheCount}`);
  const cache = new RepoCache({ cacheDir, onRequest: recorder.onRequest, logger: recorder.logger, allowLocalRepos: true, minRemoteIntervalMs: 0, ...options });
  return { cache, recorder, cacheDir };
}

const codeOf = (result: Resolved | CheckedOut): string => (result.ok ? 'ok' : result.error.code);

beforeAll(async () => {
  root = makeTempDir('git-isolation');
  teamA = TestRepo.create(join(root, 'served'), 'team-a');
  aHead = teamA.commit({ 'prod/cm.yaml': 'kind: ConfigMap\n' }, 'a');
  teamB = TestRepo.create(join(root, 'private'), 'team-b');
  bSecret = teamB.commit({ 'prod/secret.yaml': 'password: team-b-prod-password\n' }, 'b');
  // Team B's repository again, served over HTTP only with credentials.
  const servedB = TestRepo.create(join(root, 'locked'), 'team-b');
  servedB.git('pull', '--quiet', teamB.dir, 'main');
  open = await startHttpGitServer({ root: join(root, 'served') });
  locked = await startHttpGitServer({ root: join(root, 'locked'), auth: { username: 'deploy', password: 'hunter2-SECRET' } });
});

afterAll(async () => {
  await Promise.all([open.close(), locked.close()]);
  removeTempDir(root);
});

describe('RepoCache: one repository cannot read another', () => {
  it('does not resolve or check out another repository\'s commit, even when its tree is already there', async () => {
    const { cache, cacheDir } = newCache();
    const b = await cache.checkout(teamB.url, bSecret);
    expect(b.ok && readFileSync(join(b.dir, 'prod/secret.yaml'), 'utf8')).toContain('team-b-prod-password');
    for (const url of [teamA.url, open.url('team-a')]) {
      expect(await cache.resolve(url, bSecret)).toEqual({ ok: false, error: { code: 'RevisionNotFound', message: expect.stringContaining(`"${bSecret}" not found`) as unknown } });
      expect(codeOf(await cache.checkout(url, bSecret))).toBe('RevisionNotFound');
      expect(codeOf(await cache.resolve(url, bSecret.slice(0, 7)))).toBe('RevisionNotFound');
      expect(codeOf(await cache.resolve(url, bSecret.slice(0, 12).toUpperCase()))).toBe('RevisionNotFound');
    }
    expect(await cache.resolve(teamA.url, aHead)).toEqual({ ok: true, sha: aHead, ref: aHead });
    expect(readdirSync(join(cacheDir, 'trees')).filter((name) => name.endsWith(bSecret))).toHaveLength(1);
  });

  it('refuses a local path into its own cache (a clone of another repository)', async () => {
    const { cache, cacheDir } = newCache();
    expect(codeOf(await cache.checkout(teamB.url, bSecret))).toBe('ok');
    const [clone] = readdirSync(join(cacheDir, 'repos'));
    for (const url of [`file://${join(cacheDir, 'repos', clone ?? '-')}`, join(cacheDir, 'repos', clone ?? '-'), `${cacheDir}/trees/../repos/${clone ?? '-'}`]) {
      const result = await cache.resolve(url, 'main');
      expect(result.ok ? '' : result.error.message).toMatch(/is refused: it is inside the repository cache of this controller$/);
    }
  });
});

describe('RepoCache: credentials', () => {
  it('keeps credentials out of every git command line, and reads the repository with them', async () => {
    const { cache, recorder } = newCache();
    const url = locked.url('team-b', 'deploy:hunter2-SECRET');
    const resolved = await cache.resolve(url, 'main');
    expect(resolved).toEqual({ ok: true, sha: bSecret, ref: 'refs/heads/main' });
    const tree = await cache.checkout(url, bSecret);
    expect(tree.ok && readFileSync(join(tree.dir, 'prod/secret.yaml'), 'utf8')).toContain('team-b-prod-password');
    expect(recorder.commands.length).toBeGreaterThan(2);
    const everything = [...recorder.commands.flat(), ...recorder.warnings, ...recorder.requests.map((r) => r.repoURL)].join('\n');
    expect(everything).toContain(`127.0.0.1:${locked.port}/team-b`);
    expect(everything).not.toMatch(/hunter2|deploy@/);
  });

  it('never lets a URL without the credentials read a clone fetched with them, also when both resolve at once', async () => {
    const { cache, cacheDir } = newCache();
    const withToken = locked.url('team-b', 'deploy:hunter2-SECRET');
    const anonymous = locked.url('team-b');
    const wrong = locked.url('team-b', 'deploy:wrong');
    const results = await Promise.all([
      cache.resolve(withToken, 'main'), cache.resolve(anonymous, 'main'), cache.resolve(wrong, 'main'),
      cache.resolve(withToken, bSecret), cache.resolve(anonymous, bSecret), cache.resolve(wrong, bSecret.slice(0, 8)),
    ]);
    expect(results.map(codeOf)).toEqual(['ok', 'AuthenticationFailed', 'AuthenticationFailed', 'ok', 'AuthenticationFailed', 'AuthenticationFailed']);
    // The tree is there now: still nothing for the others.
    expect(codeOf(await cache.checkout(withToken, bSecret))).toBe('ok');
    expect(codeOf(await cache.checkout(anonymous, bSecret))).toBe('AuthenticationFailed');
    expect(codeOf(await cache.checkout(wrong, bSecret))).toBe('AuthenticationFailed');
    expect(readdirSync(join(cacheDir, 'repos'))).toHaveLength(1);
  });

  it('refuses a token in a query string without running git, and never shows it', async () => {
    const { cache, recorder } = newCache();
    const result = await cache.resolve(`${open.url('team-a')}?private_token=glpat-QUERY-SECRET`, 'main');
    expect(result.ok ? '' : result.error.code).toBe('InvalidRepoURL');
    expect(result.ok ? '' : result.error.message).toBe(`repository URL "${open.url('team-a')}?private_token=redacted" is refused: a query string or fragment is not supported (git cannot pass it on)`);
    expect(recorder.commands).toEqual([]);
    expect(recorder.warnings.join('\n')).not.toContain('QUERY-SECRET');
  });
});

describe('RepoCache.retain', () => {
  it('removes the clones, ref tables and trees of repositories no URL needs any more', async () => {
    const { cache, recorder, cacheDir } = newCache({ treeInUseMs: 0 });
    const withToken = locked.url('team-b', 'deploy:hunter2-SECRET');
    for (const url of [teamA.url, withToken]) {
      const resolved = await cache.resolve(url, 'main');
      expect(codeOf(await cache.checkout(url, resolved.ok ? resolved.sha : ''))).toBe('ok');
    }
    expect(readdirSync(join(cacheDir, 'repos'))).toHaveLength(2);
    expect(readdirSync(join(cacheDir, 'trees'))).toHaveLength(2);

    await cache.retain([teamA.dir, 'https://ignored.example/refused?token=x', 'fd::3']);
    expect(readdirSync(join(cacheDir, 'repos'))).toHaveLength(1);
    expect(readdirSync(join(cacheDir, 'trees'))).toEqual([expect.stringMatching(new RegExp(`-${aHead}$`)) as unknown]);
    const lsRemotes = recorder.count('ls-remote');
    expect(codeOf(await cache.resolve(teamA.url, 'main', { maxAgeMs: Infinity }))).toBe('ok');
    expect(recorder.count('ls-remote')).toBe(lsRemotes);
    expect(codeOf(await cache.resolve(withToken, 'main', { maxAgeMs: Infinity }))).toBe('ok');
    expect(recorder.count('ls-remote')).toBe(lsRemotes + 1);

    await cache.retain([]);
    expect(readdirSync(join(cacheDir, 'repos'))).toEqual([]);
    expect(existsSync(join(cacheDir, 'trees'))).toBe(true);
    expect(readdirSync(join(cacheDir, 'trees'))).toEqual([]);
  });
});
