import { describe, expect, it } from '@jest/globals';
import { gitea } from './gitea.js';
import { fixtureBody, hmacSha256Hex } from './testing/webhook-requests.js';

const secret = 'test-gitea-secret';

describe('gitea provider (also Gogs)', () => {
  it('is detected by X-Gitea-Event or X-Gogs-Event', () => {
    expect(gitea.detect({ 'x-gitea-event': 'push' })).toBe(true);
    expect(gitea.detect({ 'x-gogs-event': 'push' })).toBe(true);
    expect(gitea.detect({ 'x-github-event': 'push' })).toBe(false);
    expect(gitea.eventName({ 'x-gogs-event': 'create' })).toBe('create');
    expect(gitea.isPushEvent('push')).toBe(true);
    expect(gitea.isPushEvent('create')).toBe(false);
  });

  it('accepts a hex HMAC-SHA256 without prefix in X-Gitea-Signature or X-Gogs-Signature', () => {
    const body = fixtureBody('gitea-push.json');
    const signature = hmacSha256Hex(body, secret);
    expect(gitea.verify({ 'x-gitea-signature': signature }, body, secret)).toBe(true);
    expect(gitea.verify({ 'x-gogs-signature': signature }, body, secret)).toBe(true);
    expect(gitea.verify({ 'x-gitea-signature': `sha256=${signature}` }, body, secret)).toBe(false);
    expect(gitea.verify({ 'x-gitea-signature': hmacSha256Hex(body, 'other') }, body, secret)).toBe(false);
    expect(gitea.verify({ 'x-hub-signature-256': `sha256=${signature}` }, body, secret)).toBe(false);
    expect(gitea.verify({}, body, secret)).toBe(false);
  });

  it('reads the repository URLs, the new commit, the ref and the pusher of a Gitea push', () => {
    expect(gitea.parse(JSON.parse(fixtureBody('gitea-push.json').toString()))).toEqual({
      provider: 'gitea',
      repoUrls: [
        'https://gitea.example.com/platform/deploy-config.git',
        'ssh://git@gitea.example.com:2222/platform/deploy-config.git',
        'https://gitea.example.com/platform/deploy-config',
      ],
      revision: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      ref: 'refs/heads/main',
      sender: 'alice',
    });
  });

  it('reads a Gogs push the same way, and finds the pusher by user name when login is blank', () => {
    const payload = JSON.parse(fixtureBody('gogs-push.json').toString()) as Record<string, unknown>;
    expect(gitea.parse(payload)?.repoUrls).toEqual([
      'https://gogs.example.com/platform/deploy-config.git',
      'git@gogs.example.com:platform/deploy-config.git',
      'https://gogs.example.com/platform/deploy-config',
    ]);
    expect(gitea.parse({ ...payload, pusher: { login: '', username: 'bob' } })?.sender).toBe('bob');
    expect(gitea.parse({ ...payload, pusher: undefined })?.sender).toBe('bob');
  });
});
