import { describe, expect, it } from '@jest/globals';
import { credentialMatchKey, lookupCredential } from './match.js';
import { parseRepoSecret } from './repo-secret.js';
import { repoSecret } from './testing/repo-secret.js';

const parse = (name: string, kind: string, data: Record<string, string>) => parseRepoSecret(repoSecret(name, data, 'capstan.dev/secret-type', kind));

describe('credentialMatchKey', () => {
  it('folds case, .git and a trailing slash, keeps the scheme, and writes scp-like URLs as ssh://', () => {
    expect(credentialMatchKey(' https://Host/Org/Apps.git/ ')).toBe('https://host/org/apps');
    expect(credentialMatchKey('git@Host:org/apps.git')).toBe('ssh://git@host/org/apps');
    expect(credentialMatchKey('git+ssh://git@host/org')).toBe('ssh://git@host/org');
  });
});

describe('lookupCredential', () => {
  const secrets = [
    parse('org', 'repo-creds', { url: 'https://host/org', password: 'org-token' }),
    parse('team', 'repo-creds', { url: 'https://host/org/team', password: 'team-token' }),
    parse('exact', 'repository', { url: 'https://host/org/team/special.git', password: 'exact-token' }),
    parse('url-only', 'repository', { url: 'https://host/org/team/plain', type: 'git' }),
    parse('broken', 'repo-creds', { url: 'git@host:', sshPrivateKey: 'nope' }),
  ];
  const found = (url: string): string | undefined => {
    const got = lookupCredential(secrets, url);
    return got.kind === 'found' ? `${got.credential.identity}=${got.credential.password ?? ''}` : got.kind;
  };

  it('the exact repository Secret wins, then the longest prefix', () => {
    expect(found('https://host/org/team/special')).toBe('repository capstan/exact=exact-token');
    expect(found('https://HOST/org/team/other.git')).toBe('repo-creds capstan/team=team-token');
    expect(found('https://host/org/elsewhere')).toBe('repo-creds capstan/org=org-token');
    expect(found('https://other/org/x')).toBe('none');
    expect(found('http://host/org/x')).toBe('none');
  });

  it('a repository Secret without credentials takes those of the best prefix', () => {
    expect(found('https://host/org/team/plain')).toBe('repository capstan/url-only + repo-creds capstan/team=team-token');
  });

  it('a broken Secret that would serve the URL is named, without its data', () => {
    const got = lookupCredential(secrets, 'git@host:org/apps');
    expect(got).toEqual({ kind: 'invalid', message: 'the repo-creds Secret capstan/broken that serves this URL cannot be used: sshPrivateKey is not a private key (PEM or OpenSSH format)' });
  });
});
