import { describe, expect, it } from '@jest/globals';
import { isLocalRepoUrl, localReposRefused, parseRepoUrl, type RepoUrlCheck } from './repo-url.js';

const strict = { allowLocal: false };
const local = { allowLocal: true };

function reason(check: RepoUrlCheck): string {
  return check.ok ? `accepted as ${check.repo.transport} ${check.repo.remote}` : check.reason;
}

describe('parseRepoUrl: local repositories', () => {
  const localForms = [
    'file:///srv/git/apps', 'FILE:///srv/git/apps', 'File://localhost/srv/git/apps', 'file:/srv/git/apps', 'file:apps',
    '/srv/git/apps', './apps', '../apps', 'apps', 'apps/sub', '.', '~/apps', './dir:with/colon', 'C:\\repos\\apps', 'c:/repos/apps',
    'C:', '\\\\server\\share\\apps', '--upload-pack=touch /tmp/pwned', '-u touch',
  ];

  it.each(localForms)('refuses %s without allowLocal', (url) => {
    const check = parseRepoUrl(url, strict);
    expect(check.ok).toBe(false);
    // Either it is a local repository, or it is malformed (whitespace): never handed to git.
    if (!/\s/.test(url)) expect(reason(check)).toBe(localReposRefused);
  });

  it('accepts local repositories with allowLocal, as absolute paths or file:// URLs', () => {
    expect(parseRepoUrl('file:///srv/git/apps', local)).toEqual({ ok: true, repo: { transport: 'local', remote: 'file:///srv/git/apps' } });
    expect(parseRepoUrl('FILE:///srv/git/apps', local)).toEqual({ ok: true, repo: { transport: 'local', remote: 'file:///srv/git/apps' } });
    expect(parseRepoUrl('/srv/git/apps', local)).toEqual({ ok: true, repo: { transport: 'local', remote: '/srv/git/apps' } });
    const relative = parseRepoUrl('./apps', local);
    expect(relative.ok && relative.repo.remote).toBe(`${process.cwd()}/apps`);
    expect(reason(parseRepoUrl('file:apps', local))).toBe('a file: URL must be file:///absolute/path');
    expect(isLocalRepoUrl('./dir:with/colon')).toBe(true);
    expect(isLocalRepoUrl('host:org/repo')).toBe(false);
    expect(isLocalRepoUrl('https://host/repo')).toBe(false);
  });
});

describe('parseRepoUrl: transports', () => {
  it('accepts https, http, ssh (three spellings), scp-like and git://, lower-casing the scheme', () => {
    expect(parseRepoUrl('https://github.com/org/apps.git', strict)).toEqual({ ok: true, repo: { transport: 'https', remote: 'https://github.com/org/apps.git' } });
    expect(parseRepoUrl('HTTPS://GitHub.com/org/apps', strict)).toEqual({ ok: true, repo: { transport: 'https', remote: 'https://GitHub.com/org/apps' } });
    expect(parseRepoUrl('http://git.internal:8080/apps', strict)).toEqual({ ok: true, repo: { transport: 'http', remote: 'http://git.internal:8080/apps' } });
    for (const scheme of ['ssh', 'git+ssh', 'SSH+GIT']) {
      expect(parseRepoUrl(`${scheme}://git@host:2222/org/apps`, strict)).toEqual({ ok: true, repo: { transport: 'ssh', remote: `${scheme.toLowerCase()}://git@host:2222/org/apps` } });
    }
    expect(parseRepoUrl('git@github.com:org/apps.git', strict)).toEqual({ ok: true, repo: { transport: 'ssh', remote: 'git@github.com:org/apps.git' } });
    expect(parseRepoUrl('[::1]:org/apps', strict)).toEqual({ ok: true, repo: { transport: 'ssh', remote: '[::1]:org/apps' } });
    expect(parseRepoUrl('git://git.example.com/apps', strict)).toEqual({ ok: true, repo: { transport: 'git', remote: 'git://git.example.com/apps' } });
  });

  it.each([
    ['ext::sh -c touch% /tmp/pwned', /whitespace/],
    ['ext::sh%20-c%20id', /remote helpers \("ext::"\)/],
    ['fd::17', /remote helpers \("fd::"\)/],
    ['FD::17/x', /remote helpers/],
    ['git+file:///srv/git/apps', /the git\+file:\/\/ transport is not supported/],
    ['ftp://host/apps', /ftp:\/\/ transport is not supported/],
    ['testgit::/tmp/x', /remote helpers/],
    ['persistent-https://host/x', /persistent-https:\/\/ transport is not supported/],
  ])('refuses %s', (url, why) => {
    expect(reason(parseRepoUrl(url, local))).toMatch(why);
  });

  it('refuses ssh URLs that would put an option on ssh\'s command line', () => {
    expect(reason(parseRepoUrl('ssh://-oProxyCommand=touch%20x/org/apps', local))).toBe('a host name cannot start with "-"');
    expect(reason(parseRepoUrl('ssh://-oProxyCommand=x@host/org/apps', local))).toBe('a user name cannot start with "-"');
    expect(reason(parseRepoUrl('ssh://host:-oProxyCommand=x/org/apps', local))).toBe('the port is not a number');
    expect(reason(parseRepoUrl('-oProxyCommand=x:org/apps', local))).toMatch(/cannot be empty or start with "-"/);
    expect(reason(parseRepoUrl('git@-oProxyCommand=x:org/apps', local))).toMatch(/cannot be empty or start with "-"/);
    expect(reason(parseRepoUrl('https://-host/x', local))).toBe('a host name cannot start with "-"');
    expect(reason(parseRepoUrl('https:///x', local))).toBe('it names no host');
  });

  it('refuses query strings and fragments (git cannot use them), whitespace and control characters', () => {
    expect(reason(parseRepoUrl('https://host/org/apps.git?private_token=glpat-SECRET', strict))).toBe('a query string or fragment is not supported (git cannot pass it on)');
    expect(reason(parseRepoUrl('https://host/org/apps.git#main', strict))).toMatch(/query string or fragment/);
    expect(reason(parseRepoUrl('https://host/org/apps\n.git', strict))).toMatch(/whitespace or control/);
    expect(reason(parseRepoUrl('', strict))).toBe('it is empty');
  });
});

describe('parseRepoUrl: credentials', () => {
  it('takes http(s) credentials out of the URL git gets, percent-decoded', () => {
    expect(parseRepoUrl('https://deploy:p%40ss%3Aw0rd@git.example.com/org/apps.git', strict)).toEqual({
      ok: true, repo: { transport: 'https', remote: 'https://git.example.com/org/apps.git', username: 'deploy', password: 'p@ss:w0rd' },
    });
    expect(parseRepoUrl('https://ghp_TOKEN@github.com/org/apps', strict)).toEqual({
      ok: true, repo: { transport: 'https', remote: 'https://github.com/org/apps', username: 'ghp_TOKEN', password: '' },
    });
    expect(reason(parseRepoUrl('https://bad%zz@host/x', strict))).toBe('the user part is not valid percent-encoding');
  });

  it('keeps an ssh login name, and refuses an ssh password (ssh would get it on its command line)', () => {
    expect(parseRepoUrl('ssh://deploy@host/org/apps', strict)).toEqual({ ok: true, repo: { transport: 'ssh', remote: 'ssh://deploy@host/org/apps' } });
    expect(reason(parseRepoUrl('ssh://deploy:hunter2@host/org/apps', strict))).toBe('ssh does not take a password from the URL; use a key');
    expect(reason(parseRepoUrl('deploy:hunter2@host:org/apps', strict))).toBe('ssh does not take a password from the URL; use a key');
    expect(reason(parseRepoUrl('git://user:pw@host/apps', strict))).toBe('git:// has no authentication; remove the user part');
  });

  it('never quotes the URL in a reason', () => {
    for (const url of ['https://deploy:SECRET@host/x?token=SECRET', 'ssh://u:SECRET@host/x', 'git://u:SECRET@h/x', 'https://SECRET%zz@h/x', 'file:///SECRET']) {
      expect(reason(parseRepoUrl(url, strict))).not.toContain('SECRET');
    }
  });
});
