import { describe, expect, it } from '@jest/globals';
import { isLocalRepoUrl as isLocalRepo } from './repo-url.js';
import { normalizeRepoUrl, redactText, redactUrl } from './url.js';

describe('normalizeRepoUrl', () => {
  it('gives one form for https, scp-like ssh, ssh:// and http with a trailing slash', () => {
    const forms = ['https://Host/Org/Repo.git', 'git@host:org/repo', 'ssh://git@host/org/repo', 'http://host/org/repo/'];
    expect(new Set(forms.map(normalizeRepoUrl))).toEqual(new Set(['host/org/repo']));
  });

  it('drops credentials, default ports, .git/ and duplicate slashes', () => {
    expect(normalizeRepoUrl('https://user:secret@git.example.com:443/org//apps.git/')).toBe('git.example.com/org/apps');
    expect(normalizeRepoUrl('ssh://git@git.example.com:22/org/apps')).toBe('git.example.com/org/apps');
    expect(normalizeRepoUrl('git://git.example.com:9418/org/apps')).toBe('git.example.com/org/apps');
    expect(normalizeRepoUrl('  https://git.example.com/org/apps  ')).toBe('git.example.com/org/apps');
  });

  it('keeps a non-default port and tells hosts and paths apart', () => {
    expect(normalizeRepoUrl('https://git.example.com:8443/org/apps')).toBe('git.example.com:8443/org/apps');
    expect(normalizeRepoUrl('ssh://git@[::1]:2222/org/apps')).toBe('[::1]:2222/org/apps');
    expect(normalizeRepoUrl('https://a.example.com/org/apps')).not.toBe(normalizeRepoUrl('https://b.example.com/org/apps'));
    expect(normalizeRepoUrl('https://a.example.com/org/apps')).not.toBe(normalizeRepoUrl('https://a.example.com/org/apps2'));
  });

  it('treats a plain path and its file:// URL as one local repository, keeping case and .git', () => {
    expect(normalizeRepoUrl('/srv/git/Apps.git')).toBe('file:///srv/git/Apps.git');
    expect(normalizeRepoUrl('file:///srv/git/Apps.git/')).toBe('file:///srv/git/Apps.git');
    expect(normalizeRepoUrl('/srv/git/./x/../Apps.git')).toBe('file:///srv/git/Apps.git');
    expect(normalizeRepoUrl('/srv/git/apps')).not.toBe(normalizeRepoUrl('/srv/git/Apps'));
    expect(normalizeRepoUrl('/srv/git/apps')).not.toBe(normalizeRepoUrl('/srv/git/apps.git'));
  });

  it('reads a colon after a slash as part of a local path, as git does', () => {
    expect(normalizeRepoUrl('./dir:with/colon')).toBe('file://dir:with/colon');
    expect(isLocalRepo('./dir:with/colon')).toBe(true);
    expect(isLocalRepo('host:org/repo')).toBe(false);
    expect(isLocalRepo('file:///srv/repo')).toBe(true);
    expect(isLocalRepo('https://host/repo')).toBe(false);
  });
});

describe('redactUrl', () => {
  it('removes user and password from http(s) and git URLs', () => {
    expect(redactUrl('https://user:s3cret@git.example.com/org/apps.git')).toBe('https://git.example.com/org/apps.git');
    expect(redactUrl('https://ghp_token123@github.com/org/apps')).toBe('https://github.com/org/apps');
    expect(redactUrl('http://u:p@ss@host:8080/x?y=1')).toBe('http://host:8080/x?y=redacted');
  });

  it('removes every query value and any fragment: tokens are passed as ?private_token=…', () => {
    expect(redactUrl('https://host/org/apps.git?private_token=glpat-SECRET')).toBe('https://host/org/apps.git?private_token=redacted');
    expect(redactUrl('https://host/x?a=1&glpat-BARE&b=&c')).toBe('https://host/x?a=redacted&redacted&b=&redacted');
    expect(redactUrl('https://u:p@host/x#tok-SECRET')).toBe('https://host/x#redacted');
    expect(redactUrl('HTTPS://host/x?Access_Token=abc')).toBe('HTTPS://host/x?Access_Token=redacted');
    expect(redactUrl('/srv/git/apps?token=abc')).toBe('/srv/git/apps?token=redacted');
  });

  it('keeps the ssh login name but not a password', () => {
    expect(redactUrl('ssh://git@host/org/repo')).toBe('ssh://git@host/org/repo');
    expect(redactUrl('ssh://deploy:hunter2@host:2222/org/repo')).toBe('ssh://deploy@host:2222/org/repo');
    expect(redactUrl('git@host:org/repo')).toBe('git@host:org/repo');
    expect(redactUrl('deploy:hunter2@host:org/repo')).toBe('deploy@host:org/repo');
  });

  it('leaves URLs without credentials and local paths unchanged', () => {
    expect(redactUrl('https://host/org/repo')).toBe('https://host/org/repo');
    expect(redactUrl('file:///srv/git/apps')).toBe('file:///srv/git/apps');
    expect(redactUrl('/srv/git/apps')).toBe('/srv/git/apps');
  });
});

describe('redactText', () => {
  it('redacts every URL in a message', () => {
    const text = "fatal: Authentication failed for 'https://bob:pw@host/a.git/' (see https://tok@host/b)";
    expect(redactText(text)).toBe("fatal: Authentication failed for 'https://host/a.git/' (see https://host/b)");
    expect(redactText('ssh://git:pw@host/x')).toBe('ssh://git@host/x');
  });

  it('redacts query values of URLs, token parameters anywhere, and Authorization headers', () => {
    expect(redactText("unable to access 'https://host/a.git?private_token=glpat-X/info/refs?service=git-upload-pack': 401"))
      .toBe("unable to access 'https://host/a.git?private_token=redacted': 401");
    expect(redactText('retry with access_token=ya29.SECRET and password=hunter2;')).toBe('retry with access_token=redacted and password=redacted;');
    expect(redactText('> Authorization: Basic ZGVwbG95OnNlY3JldA==')).toBe('> Authorization: Basic redacted');
    expect(redactText('nothing secret here: exit code 128, https://host/a.git')).toBe('nothing secret here: exit code 128, https://host/a.git');
  });
});
