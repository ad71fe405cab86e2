import { describe, expect, it } from '@jest/globals';
import { repoUrlAdvisories } from './advisories.js';

const kinds = (url: string): string[] => repoUrlAdvisories(url).map((a) => a.kind);

describe('repoUrlAdvisories', () => {
  it('warns about credentials in the URL and about plaintext transports, never quoting the URL', () => {
    expect(kinds('https://deploy:glpat-SECRET@git.example.com/org/apps.git')).toEqual(['credentials']);
    expect(kinds('https://ghp_SECRET@github.com/org/apps')).toEqual(['credentials']);
    expect(kinds('http://deploy:SECRET@git.internal/apps')).toEqual(['credentials', 'plaintext']);
    expect(kinds('git://git.example.com/apps')).toEqual(['plaintext']);
    for (const url of ['https://robot:glpat-SECRET@h/x', 'http://robot:SECRET@h/x']) {
      expect(repoUrlAdvisories(url).map((a) => a.message).join(' ')).not.toMatch(/SECRET|robot/);
    }
    expect(repoUrlAdvisories('http://u:p@h/x')[1]?.message).toMatch(/plaintext http:\/\/.* and read the credentials; use https$/);
  });

  it('has nothing to say about https, ssh with a login name, local or refused URLs', () => {
    for (const url of ['https://github.com/org/apps', 'git@github.com:org/apps.git', 'ssh://git@host/x', '/srv/git/apps', 'fd::3', 'https://h/x?token=1']) {
      expect(kinds(url)).toEqual([]);
    }
  });
});
