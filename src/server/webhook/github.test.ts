import { describe, expect, it } from '@jest/globals';
import { github } from './github.js';
import { fixtureBody, hmacSha256Hex } from './testing/webhook-requests.js';

const secret = 'test-github-secret';
const body = fixtureBody('github-push.json');

describe('github provider', () => {
  it('is detected by X-GitHub-Event and reads the event name from it', () => {
    expect(github.detect({ 'x-github-event': 'push' })).toBe(true);
    expect(github.detect({ 'content-type': 'application/json' })).toBe(false);
    expect(github.eventName({ 'x-github-event': 'ping' })).toBe('ping');
    expect(github.isPushEvent('push')).toBe(true);
    expect(github.isPushEvent('ping')).toBe(false);
  });

  it('accepts the HMAC-SHA256 of the raw body in X-Hub-Signature-256', () => {
    const signature = `sha256=${hmacSha256Hex(body, secret)}`;
    expect(github.verify({ 'x-hub-signature-256': signature }, body, secret)).toBe(true);
  });

  it('rejects a signature made with another secret, of another body, or in another form', () => {
    const signature = hmacSha256Hex(body, secret);
    expect(github.verify({ 'x-hub-signature-256': `sha256=${hmacSha256Hex(body, 'other')}` }, body, secret)).toBe(false);
    expect(github.verify({ 'x-hub-signature-256': `sha256=${signature}` }, Buffer.from(`${body.toString()} `), secret)).toBe(false);
    expect(github.verify({ 'x-hub-signature-256': signature }, body, secret)).toBe(false);
    expect(github.verify({ 'x-hub-signature-256': `sha256=${signature.slice(0, 40)}` }, body, secret)).toBe(false);
    expect(github.verify({ 'x-hub-signature-256': 'sha256=zz' }, body, secret)).toBe(false);
    // The SHA-1 header of older hooks is not enough.
    expect(github.verify({ 'x-hub-signature': `sha256=${signature}` }, body, secret)).toBe(false);
    expect(github.verify({}, body, secret)).toBe(false);
  });

  it('reads every repository URL, the new commit, the ref and the sender of a push', () => {
    expect(github.parse(JSON.parse(body.toString()))).toEqual({
      provider: 'github',
      repoUrls: [
        'https://github.com/Acme/deploy-config.git',
        'git@github.com:Acme/deploy-config.git',
        'https://github.com/Acme/deploy-config',
        'git://github.com/Acme/deploy-config.git',
      ],
      revision: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      ref: 'refs/heads/main',
      sender: 'octocat',
    });
  });

  it('gives no revision for a deleted branch, whose new commit is all zeros', () => {
    const payload = { ...(JSON.parse(body.toString()) as object), after: '0000000000000000000000000000000000000000', deleted: true };
    expect(github.parse(payload)?.revision).toBeUndefined();
  });

  it('finds no push in a payload without repository URLs', () => {
    expect(github.parse({ ref: 'refs/heads/main', repository: { name: 'x' } })).toBeUndefined();
    expect(github.parse('push')).toBeUndefined();
    expect(github.parse(null)).toBeUndefined();
  });
});
