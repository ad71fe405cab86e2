import { describe, expect, it } from '@jest/globals';
import { bitbucket } from './bitbucket.js';
import { fixtureBody, hmacSha256Hex } from './testing/webhook-requests.js';

const secret = 'test-bitbucket-secret';
const body = fixtureBody('bitbucket-push.json');
const payload = (): Record<string, unknown> => JSON.parse(body.toString()) as Record<string, unknown>;

describe('bitbucket provider', () => {
  it('is detected by X-Event-Key; only repo:push is a push', () => {
    expect(bitbucket.detect({ 'x-event-key': 'repo:push' })).toBe(true);
    expect(bitbucket.detect({ 'x-github-event': 'push' })).toBe(false);
    expect(bitbucket.isPushEvent(bitbucket.eventName({ 'x-event-key': 'repo:push' }))).toBe(true);
    expect(bitbucket.isPushEvent('pullrequest:created')).toBe(false);
  });

  it('accepts the HMAC-SHA256 of the raw body in X-Hub-Signature and nothing else', () => {
    const signature = hmacSha256Hex(body, secret);
    expect(bitbucket.verify({ 'x-hub-signature': `sha256=${signature}` }, body, secret)).toBe(true);
    expect(bitbucket.verify({ 'x-hub-signature': `sha256=${hmacSha256Hex(body, 'other')}` }, body, secret)).toBe(false);
    expect(bitbucket.verify({ 'x-hub-signature': signature }, body, secret)).toBe(false);
    expect(bitbucket.verify({}, body, secret)).toBe(false);
  });

  it('reads the web URL, derives the clone URLs from the full name, and reads the last change', () => {
    expect(bitbucket.parse(payload())).toEqual({
      provider: 'bitbucket',
      repoUrls: [
        'https://bitbucket.org/acme/deploy-config',
        'https://bitbucket.org/acme/deploy-config.git',
        'git@bitbucket.org:acme/deploy-config.git',
      ],
      revision: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
      ref: 'refs/heads/main',
      sender: 'jdoe',
    });
  });

  it('names a pushed tag as a tag ref, takes the last of several changes, and falls back to the display name', () => {
    const tagChange = {
      old: null,
      new: { type: 'tag', name: 'v2.0.0', target: { type: 'commit', hash: 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d' } },
    };
    const push = bitbucket.parse({
      ...payload(),
      push: { changes: [(payload().push as { changes: unknown[] }).changes[0], tagChange] },
      actor: { display_name: 'Jane Doe', type: 'user' },
    });
    expect(push?.ref).toBe('refs/tags/v2.0.0');
    expect(push?.revision).toBe('aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d');
    expect(push?.sender).toBe('Jane Doe');
  });

  it('keeps the ref but gives no revision for a deleted branch', () => {
    const deleted = { old: { type: 'branch', name: 'feature', target: { hash: '1e65c05c1d5171631d92438a13901ca7dae9618c' } }, new: null };
    const push = bitbucket.parse({ ...payload(), push: { changes: [deleted] } });
    expect(push?.ref).toBe('refs/heads/feature');
    expect(push?.revision).toBeUndefined();
  });

  it('finds no push without a repository', () => {
    expect(bitbucket.parse({ push: payload().push })).toBeUndefined();
  });
});
