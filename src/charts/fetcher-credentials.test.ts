// The fetcher with helm repository Secrets: a chart repository over HTTPS (a CA of the test's own)
// behind Basic auth, and OCI registries that want a token asked with Basic credentials, or Basic
// credentials themselves; each by the real helm's charts, served on loopback.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RepoTrust } from '../credentials/git-setup.js';
import type { CredentialLookup } from '../credentials/match.js';
import type { RepoCredential } from '../credentials/types.js';
import { makeTempDir, removeTempDir } from '../git/testing/temp-dir.js';
import { makeTestTls, type TestTls } from '../git/testing/test-tls.js';
import { ChartFetcher } from './fetcher.js';
import { indexRepo, packageChart, serveDirectory, type ServedDirectory } from './testing/chart-repo.js';
import { helmPush, startRegistry, startRegistryProxy, type RegistryProxy, type TestRegistry } from './testing/registry.js';

const robot = { username: 'robot', password: 'right-password' };
let root: string;
let tls: TestTls;
let served: ServedDirectory;
let registry: TestRegistry;
let tokenProxy: RegistryProxy;
let basicProxy: RegistryProxy;
let archive: string;
let caches = 0;

const helmSecret = (password: string): RepoCredential => ({
  identity: 'repository capstan/charts', kind: 'repository', secret: { namespace: 'capstan', name: 'charts' }, url: 'u', type: 'helm',
  insecure: false, insecureIgnoreHostKey: false, enableOCI: true, username: robot.username, password,
});

function fetcher(password: string | undefined, options: { withCa?: boolean } = {}): ChartFetcher {
  const lookup = (): CredentialLookup => (password === undefined ? { kind: 'none' } : { kind: 'found', credential: helmSecret(password) });
  const trust: RepoTrust = { knownHosts: '', tlsCerts: new Map(options.withCa === false ? [] : [['127.0.0.1', tls.caCert]]) };
  return new ChartFetcher({ cacheDir: join(root, `cache-${++caches}`), credentials: lookup, trust: () => trust });
}

beforeAll(async () => {
  root = makeTempDir('charts-credentials');
  const home = join(root, 'helm-home');
  const repoDir = join(root, 'repo');
  const work = join(root, 'work');
  mkdirSync(repoDir);
  mkdirSync(work);
  archive = (await packageChart({ home, workDir: work, outDir: repoDir, name: 'demo', versions: ['1.0.0'] })).get('1.0.0') ?? '';
  await indexRepo(home, repoDir);
  tls = makeTestTls(join(root, 'tls'));
  served = await serveDirectory(repoDir, { tls: { cert: tls.cert, key: tls.key }, auth: robot });
  registry = await startRegistry();
  await helmPush(home, archive, `oci://${registry.host}/charts`);
  tokenProxy = await startRegistryProxy(registry.host, { pageSize: 10, tokenCredentials: robot });
  basicProxy = await startRegistryProxy(registry.host, { pageSize: 10, basicCredentials: robot });
}, 120_000);

afterAll(async () => {
  await (served as ServedDirectory | undefined)?.close();
  await (tokenProxy as RegistryProxy | undefined)?.close();
  await (basicProxy as RegistryProxy | undefined)?.close();
  await (registry as TestRegistry | undefined)?.stop();
  removeTempDir(root);
});

const digest = (): string => `sha256:${createHash('sha256').update(readFileSync(archive)).digest('hex')}`;

describe('ChartFetcher with helm repository Secrets', () => {
  it('reads an HTTPS chart repository behind Basic auth with the Secret and the CA of capstan-tls-certs', async () => {
    const charts = fetcher(robot.password);
    const ref = { repoURL: served.url, chart: 'demo', targetRevision: '1.0.0' };
    const resolved = await charts.resolve(ref);
    expect(resolved).toEqual({ ok: true, version: '1.0.0', digest: digest() });
    if (!resolved.ok) return;
    const fetched = await charts.fetch({ ...ref, ...resolved });
    expect(fetched.ok && readFileSync(fetched.archive).equals(readFileSync(archive))).toBe(true);
  });

  it('says which Secret was refused, or that none serves the URL, or that the certificate is not trusted', async () => {
    const ref = { repoURL: served.url, chart: 'demo', targetRevision: '1.0.0' };
    const wrong = await fetcher('wrong-password').resolve(ref);
    expect(wrong).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('HTTP 401 (the credentials of the repository Secret capstan/charts were refused)') });
    expect(JSON.stringify(wrong)).not.toContain('wrong-password');
    expect(await fetcher(undefined).resolve(ref)).toMatchObject({ ok: false, message: expect.stringContaining('(no helm repository Secret serves this URL)') });
    const untrusted = await fetcher(robot.password, { withCa: false }).resolve(ref);
    expect(untrusted).toMatchObject({ ok: false, code: 'ChartRepoError' });
    expect(untrusted.ok ? '' : untrusted.message).toContain('TLS certificate is not trusted');
  });

  it.each([
    ['a token asked for with Basic credentials', () => tokenProxy],
    ['Basic credentials themselves', () => basicProxy],
  ])('reads an OCI registry that wants %s', async (_case, proxy) => {
    const ref = { repoURL: `oci://${proxy().host}/charts`, chart: 'demo', targetRevision: '1.0.0' };
    const charts = fetcher(robot.password);
    const resolved = await charts.resolve(ref);
    expect(resolved).toEqual({ ok: true, version: '1.0.0', digest: digest() });
    if (!resolved.ok) return;
    expect((await charts.fetch({ ...ref, ...resolved })).ok).toBe(true);
    const refused = await fetcher('wrong-password').resolve(ref);
    expect(refused).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('repository Secret capstan/charts') });
    expect(JSON.stringify(refused)).not.toContain('wrong-password');
  });
});
