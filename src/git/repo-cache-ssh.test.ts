import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { lookupCredential } from '../credentials/match.js';
import { parseRepoSecret, type ParsedSecret } from '../credentials/repo-secret.js';
import { repoSecret } from '../credentials/testing/repo-secret.js';
import { RepoCache } from './repo-cache.js';
import { startSshd, type TestSshd } from './testing/sshd.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';

let root: string;
let sshd: TestSshd;
let origin: TestRepo;

beforeAll(async () => {
  root = makeTempDir('git-ssh');
  origin = TestRepo.create(join(root, 'served'), 'apps');
  origin.commit({ 'cm.yaml': 'a: b\n' }, 'first');
  sshd = await startSshd(join(root, 'sshd'));
}, 120_000);

afterAll(async () => {
  await sshd.stop();
  removeTempDir(root);
});

describe('RepoCache over ssh with repository Secrets', () => {
  it('reads with the key of the Secret and the host key of capstan-known-hosts; an unknown host and a wrong key fail clearly', async () => {
    const url = sshd.url(join(root, 'served', 'apps'));
    let secrets: ParsedSecret[] = [parseRepoSecret(repoSecret('ssh', { url, sshPrivateKey: sshd.clientKey }))];
    let knownHosts = '';
    const cache = new RepoCache({
      cacheDir: join(root, 'cache'), minRemoteIntervalMs: 0, failureTtlMs: 0,
      credentials: (u) => lookupCredential(secrets, u), trust: () => ({ knownHosts, tlsCerts: new Map() }),
    });
    const unknown = await cache.resolve(url, 'HEAD', { force: true });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'AuthenticationFailed' } });
    if (!unknown.ok) expect(unknown.error.message).toContain(`the host key of 127.0.0.1:${sshd.port} is not in the ConfigMap capstan-known-hosts`);

    knownHosts = sshd.knownHostsLine;
    expect(await cache.resolve(url, 'HEAD', { force: true })).toEqual({ ok: true, sha: origin.head(), ref: 'HEAD' });
    expect((await cache.checkout(url, origin.head())).ok).toBe(true);

    secrets = [parseRepoSecret(repoSecret('ssh', { url, sshPrivateKey: sshd.otherKey }))];
    const wrongKey = await cache.resolve(url, 'HEAD', { force: true });
    expect(wrongKey).toMatchObject({ ok: false, error: { code: 'AuthenticationFailed' } });
    expect(JSON.stringify(wrongKey)).not.toContain('PRIVATE KEY');

    knownHosts = '';
    secrets = [parseRepoSecret(repoSecret('ssh', { url, sshPrivateKey: sshd.clientKey, insecureIgnoreHostKey: 'true' }))];
    expect(await cache.resolve(url, 'HEAD', { force: true })).toMatchObject({ ok: true });
  }, 60_000);
});
