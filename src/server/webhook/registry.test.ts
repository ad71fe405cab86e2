import { describe, expect, it } from '@jest/globals';
import { classifyRequest } from './registry.js';
import type { WebhookHeaders } from './types.js';

const json = { 'content-type': 'application/json' };
const providerOf = (headers: WebhookHeaders): string => {
  const classified = classifyRequest(headers);
  return classified.ok ? classified.adapter.provider : `refused: ${classified.message}`;
};

describe('classifyRequest', () => {
  it('names each provider from its own event header', () => {
    expect(providerOf({ ...json, 'x-github-event': 'push' })).toBe('github');
    expect(providerOf({ ...json, 'x-gitlab-event': 'Push Hook' })).toBe('gitlab');
    expect(providerOf({ ...json, 'x-event-key': 'repo:push' })).toBe('bitbucket');
    expect(providerOf({ ...json, 'x-gogs-event': 'push' })).toBe('gitea');
    expect(providerOf({ ...json, 'x-gitea-event': 'push' })).toBe('gitea');
    expect(providerOf(json)).toBe('generic');
    expect(providerOf({ 'content-type': 'application/json; charset=utf-8', 'x-capstan-signature': 'sha256=00' })).toBe('generic');
  });

  it('takes Gitea when a request also carries GitHub headers, as Gitea sends', () => {
    const headers = { ...json, 'x-gitea-event': 'push', 'x-gogs-event': 'push', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' };
    expect(providerOf(headers)).toBe('gitea');
  });

  it('refuses event headers of two hosts at once', () => {
    expect(providerOf({ ...json, 'x-github-event': 'push', 'x-gitlab-event': 'Push Hook' })).toBe('refused: ambiguous webhook: event headers of gitlab and github');
    expect(providerOf({ ...json, 'x-gitea-event': 'push', 'x-event-key': 'repo:push' })).toMatch(/^refused: ambiguous/);
    expect(providerOf({ ...json, 'x-event-key': 'repo:push', 'x-github-event': 'push' })).toMatch(/^refused: ambiguous/);
  });

  it('never reads a request with another host\'s signature, token or delivery header as generic', () => {
    for (const header of ['x-hub-signature-256', 'x-hub-signature', 'x-gitlab-token', 'x-gitea-signature', 'x-gogs-signature', 'x-github-delivery', 'x-request-uuid', 'x-gitlab-event-uuid']) {
      expect(providerOf({ ...json, [header]: 'x' })).toMatch(/^refused: .* headers without an event header$/);
    }
  });

  it('finds none without a provider header or a JSON body', () => {
    expect(providerOf({ 'content-type': 'text/plain' })).toMatch(/^refused: unrecognised/);
    expect(providerOf({ 'x-github-event': '  ' })).toMatch(/^refused: /);
    expect(providerOf({ 'content-type': 'application/x-www-form-urlencoded' })).toMatch(/^refused: unrecognised/);
    expect(providerOf({})).toMatch(/^refused: unrecognised/);
  });
});
