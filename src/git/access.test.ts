import { describe, expect, it } from '@jest/globals';
import { repoAccess, type RepoAccess } from './access.js';

function access(url: string): RepoAccess {
  const found = repoAccess(url, { allowLocal: true });
  if (!found.ok) throw new Error(found.error.message);
  return found.access;
}

describe('repoAccess', () => {
  it('gives one clone to the spellings git treats alike, and one repository key for trees', () => {
    expect(access('https://Git.Example.com/org/apps/').cloneKey).toBe(access('https://git.example.com/org/apps').cloneKey);
    expect(access('/srv/git/apps').cloneKey).toBe(access('file:///srv/git/apps/').cloneKey);
    expect(access('https://host/org/Apps.git').repoId).toBe(access('git@host:org/apps').repoId);
  });

  it('keeps clones apart by credentials, transport, and path case or suffix that a server may tell apart', () => {
    const keys = [
      'https://host/org/apps', 'https://token@host/org/apps', 'https://robot:one@host/org/apps', 'https://robot:two@host/org/apps',
      'git@host:org/apps', 'ssh://deploy@host/org/apps', 'http://host/org/apps', 'https://host/org/Apps', 'https://host/org/apps.git',
    ].map((url) => access(url).cloneKey);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).not.toMatch(/token|one|two/);
  });

  it('passes http(s) credentials in the environment only, with redirects off', () => {
    const a = access('https://robot:p%40ss@host/org/apps');
    expect(a.repo.remote).toBe('https://host/org/apps');
    expect(a.env).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from('robot:p@ss').toString('base64')}`,
      GIT_CONFIG_KEY_1: 'http.followRedirects',
      GIT_CONFIG_VALUE_1: 'false',
    });
    expect(access('https://host/org/apps').env).toEqual({});
    expect(access('git@host:org/apps').env).toEqual({});
  });
});
