import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { lookupCredential } from '../credentials/match.js';
import { parseRepoSecret, type ParsedSecret } from '../credentials/repo-secret.js';
import { repoSecret } from '../credentials/testing/repo-secret.js';
import { RepoCache } from './repo-cache.js';
import { startHttpGitServer, type HttpGitServer } from './testing/http-git-server.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';

let root: string;
let server: HttpGitServer;
let origin: TestRepo;

beforeAll(async () => {
  root = makeTempDir('git-credentials');
  origin = TestRepo.create(join(root, 'served'), 'apps');
  origin.commit({ 'cm.yaml': 'a: b\n' }, 'first');
  server = await startHttpGitServer({ root: join(root, 'served'), auth: { username: 'deploy', password: 'right-password' } });
});

afterAll(async () => {
  await server.close();
  removeTempDir(root);
});

describe('RepoCache with repository Secrets', () => {
  it('reads with the Secret serving the URL, fails clearly with a wrong one, and uses a rotated one at the next command in the same clone', async () => {
    let secrets: ParsedSecret[] = [parseRepoSecret(repoSecret('creds', { url: server.url(''), username: 'deploy', password: 'wrong-password' }, 'capstan.dev/secret-type', 'repo-creds'))];
    const cacheDir = join(root, 'cache');
    const cache = new RepoCache({ cacheDir, minRemoteIntervalMs: 0, failureTtlMs: 0, credentials: (url) => lookupCredential(secrets, url) });
    const url = server.url('apps');
    const refused = await cache.resolve(url, 'HEAD', { force: true });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AuthenticationFailed' } });
    expect(JSON.stringify(refused)).not.toContain('wrong-password');

    secrets = [parseRepoSecret(repoSecret('creds', { url: server.url(''), username: 'deploy', password: 'right-password' }, 'capstan.dev/secret-type', 'repo-creds'))];
    const resolved = await cache.resolve(url, 'HEAD', { force: true });
    expect(resolved).toEqual({ ok: true, sha: origin.head(), ref: 'HEAD' });
    const checked = await cache.checkout(url, origin.head());
    expect(checked.ok).toBe(true);
    const clones = readdirSync(join(cacheDir, 'repos'));

    secrets = [parseRepoSecret(repoSecret('creds', { url: server.url(''), username: 'deploy', password: 'rotated' }, 'capstan.dev/secret-type', 'repo-creds'))];
    expect(await cache.resolve(url, 'HEAD', { force: true })).toMatchObject({ ok: false, error: { code: 'AuthenticationFailed' } });
    expect(readdirSync(join(cacheDir, 'repos'))).toEqual(clones);

    // The same URL without a Secret is another clone: it never reads what the Secret fetched.
    const anonymous = new RepoCache({ cacheDir, minRemoteIntervalMs: 0 });
    expect(await anonymous.checkout(url, origin.head())).toMatchObject({ ok: false, error: { code: 'AuthenticationFailed' } });
  }, 60_000);

  it('an unusable Secret for the URL is said, without its data', async () => {
    const secrets = [parseRepoSecret(repoSecret('broken', { url: server.url('apps'), sshPrivateKey: 'not-a-key-at-all' }))];
    const cache = new RepoCache({ cacheDir: join(root, 'cache-broken'), credentials: (url) => lookupCredential(secrets, url) });
    const result = await cache.resolve(server.url('apps'), 'HEAD');
    expect(result).toMatchObject({ ok: false, error: { code: 'AuthenticationFailed' } });
    if (!result.ok) expect(result.error.message).toContain('repository Secret capstan/broken that serves this URL cannot be used: sshPrivateKey is not a private key');
    expect(JSON.stringify(result)).not.toContain('not-a-key-at-all');
  }, 30_000);
});
