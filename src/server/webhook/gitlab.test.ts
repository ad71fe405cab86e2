import { describe, expect, it } from '@jest/globals';
import { gitlab } from './gitlab.js';
import { fixtureBody } from './testing/webhook-requests.js';

const secret = 'test-gitlab-token';
const parseFixture = (name: string): unknown => JSON.parse(fixtureBody(name).toString());

describe('gitlab provider', () => {
  it('is detected by X-Gitlab-Event; push and tag push hooks are pushes', () => {
    expect(gitlab.detect({ 'x-gitlab-event': 'Push Hook' })).toBe(true);
    expect(gitlab.detect({ 'x-github-event': 'push' })).toBe(false);
    expect(gitlab.isPushEvent(gitlab.eventName({ 'x-gitlab-event': 'Push Hook' }))).toBe(true);
    expect(gitlab.isPushEvent('Tag Push Hook')).toBe(true);
    expect(gitlab.isPushEvent('Merge Request Hook')).toBe(false);
  });

  it('accepts X-Gitlab-Token only when it equals the secret exactly', () => {
    const body = fixtureBody('gitlab-push.json');
    expect(gitlab.verify({ 'x-gitlab-token': secret }, body, secret)).toBe(true);
    expect(gitlab.verify({ 'x-gitlab-token': `${secret}x` }, body, secret)).toBe(false);
    expect(gitlab.verify({ 'x-gitlab-token': secret.slice(1) }, body, secret)).toBe(false);
    expect(gitlab.verify({ 'x-gitlab-token': secret.toUpperCase() }, body, secret)).toBe(false);
    expect(gitlab.verify({ 'x-gitlab-token': '' }, body, secret)).toBe(false);
    expect(gitlab.verify({}, body, secret)).toBe(false);
  });

  it('reads the project URLs, the checkout commit, the ref and the user of a push', () => {
    expect(gitlab.parse(parseFixture('gitlab-push.json'))).toEqual({
      provider: 'gitlab',
      repoUrls: [
        'https://gitlab.example.com/platform/deploy-config.git',
        'git@gitlab.example.com:platform/deploy-config.git',
        'https://gitlab.example.com/platform/deploy-config',
      ],
      revision: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      ref: 'refs/heads/main',
      sender: 'jsmith',
    });
  });

  it('takes the commit of a tag push, not the annotated tag object', () => {
    const push = gitlab.parse(parseFixture('gitlab-tag-push.json'));
    expect(push?.ref).toBe('refs/tags/v1.4.0');
    expect(push?.revision).toBe('da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
  });

  it('falls back to `after` when there is no checkout_sha, and to none for a deleted branch', () => {
    const push = parseFixture('gitlab-push.json') as Record<string, unknown>;
    expect(gitlab.parse({ ...push, checkout_sha: null })?.revision).toBe('da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
    expect(gitlab.parse({ ...push, checkout_sha: null, after: '0000000000000000000000000000000000000000' })?.revision).toBeUndefined();
  });

  it('finds no push in other object kinds', () => {
    expect(gitlab.parse(parseFixture('gitlab-merge-request.json'))).toBeUndefined();
    expect(gitlab.parse({ project: { web_url: 'https://gitlab.example.com/a/b' } })).toBeUndefined();
  });
});
