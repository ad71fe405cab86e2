import { describe, expect, it } from '@jest/globals';
import type { RepoTrust } from '../credentials/git-setup.js';
import type { CredentialLookup } from '../credentials/match.js';
import type { RepoCredential } from '../credentials/types.js';
import { accessKey, authHeaders, chartAccess, refusedWith, type ChartAccess } from './repo-auth.js';
import { chartRepoOf, type ChartRepo } from './ref.js';

const secret = (over: Partial<RepoCredential>): RepoCredential => ({
  identity: 'repository capstan/charts', kind: 'repository', secret: { namespace: 'capstan', name: 'charts' }, url: 'u', type: 'helm',
  insecure: false, insecureIgnoreHostKey: false, enableOCI: false, ...over,
});
const trust: RepoTrust = { knownHosts: '', tlsCerts: new Map([['charts.example.com', 'CA PEM'], ['registry.example.com', 'REGISTRY CA']]) };

function repoOf(repoURL: string): ChartRepo {
  const parsed = chartRepoOf({ repoURL, chart: 'greeter' });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.repo;
}

function accessFor(repoURL: string, byUrl: Record<string, CredentialLookup>): ChartAccess {
  const access = chartAccess(repoOf(repoURL), repoURL, (url) => byUrl[url] ?? { kind: 'none' }, trust);
  if ('ok' in access) throw new Error(access.message);
  return access;
}

describe('chartAccess', () => {
  it('sends the helm Secret\'s Basic credentials to the repository\'s origin only, with the CA of its host', () => {
    const url = 'https://charts.example.com/stable';
    const access = accessFor(url, { [url]: { kind: 'found', credential: secret({ username: 'robot', password: 's3cret' }) } });
    const basic = `Basic ${Buffer.from('robot:s3cret').toString('base64')}`;
    expect(access).toEqual({ identity: 'repository capstan/charts', origin: 'https://charts.example.com', authorization: basic, tls: { ca: 'CA PEM' } });
    expect(authHeaders(access, 'https://charts.example.com/stable/greeter-1.0.0.tgz')).toEqual({ authorization: basic });
    expect(authHeaders(access, 'https://cdn.example.com/greeter-1.0.0.tgz')).toEqual({});
    expect(accessKey('k', access)).toBe('k\nrepository capstan/charts');
  });

  it('a bearer token, a client certificate, and insecure (which drops the CA)', () => {
    const url = 'https://charts.example.com/stable';
    const access = accessFor(url, { [url]: { kind: 'found', credential: secret({ bearerToken: 't', tlsClientCert: { cert: 'C', key: 'K' }, insecure: true }) } });
    expect(access).toMatchObject({ authorization: 'Bearer t', tls: { cert: 'C', key: 'K', insecure: true } });
    expect(access.tls?.ca).toBeUndefined();
  });

  it('a git Secret for the URL serves no chart repository: anonymous, with the CA only', () => {
    const url = 'https://charts.example.com/stable';
    const access = accessFor(url, { [url]: { kind: 'found', credential: secret({ type: 'git', password: 'p' }) } });
    expect(access).toEqual({ identity: '', origin: 'https://charts.example.com', tls: { ca: 'CA PEM' } });
    expect(accessKey('k', access)).toBe('k');
  });

  it("finds an OCI registry's Secret by the URL without oci:// (Argo CD's form)", () => {
    const access = accessFor('oci://registry.example.com/charts', { 'registry.example.com/charts': { kind: 'found', credential: secret({ enableOCI: true, username: 'u', password: 'p' }) } });
    expect(access).toMatchObject({ identity: 'repository capstan/charts', origin: 'https://registry.example.com', tls: { ca: 'REGISTRY CA' } });
  });

  it('a Secret that cannot be used fails the repository, naming it', () => {
    const url = 'https://charts.example.com/stable';
    const failed = chartAccess(repoOf(url), url, () => ({ kind: 'invalid', message: 'the repository Secret capstan/charts that serves this URL cannot be used: no url' }), trust);
    expect(failed).toMatchObject({ ok: false, code: 'ChartRepoError', message: expect.stringContaining('capstan/charts that serves this URL cannot be used') });
  });

  it('says which Secret a 401 or 403 refused, never what it holds', () => {
    const access = accessFor('https://charts.example.com/stable', {});
    expect(refusedWith(401, access)).toBe(' (no helm repository Secret serves this URL)');
    expect(refusedWith(403, { ...access, identity: 'repository capstan/charts' })).toBe(' (the credentials of the repository Secret capstan/charts were refused)');
    expect(refusedWith(404, access)).toBe('');
  });
});
