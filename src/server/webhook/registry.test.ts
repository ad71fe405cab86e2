import { describe, expect, it } from '@jest/globals';
import { detectProvider } from './registry.js';

describe('detectProvider', () => {
  it('names each provider from its own headers', () => {
    expect(detectProvider({ 'x-github-event': 'push', 'content-type': 'application/json' })?.provider).toBe('github');
    expect(detectProvider({ 'x-gitlab-event': 'Push Hook', 'content-type': 'application/json' })?.provider).toBe('gitlab');
    expect(detectProvider({ 'x-event-key': 'repo:push', 'content-type': 'application/json' })?.provider).toBe('bitbucket');
    expect(detectProvider({ 'x-gogs-event': 'push', 'content-type': 'application/json' })?.provider).toBe('gitea');
    expect(detectProvider({ 'content-type': 'application/json' })?.provider).toBe('generic');
  });

  it('prefers Gitea when a request also carries GitHub headers, as Gitea sends', () => {
    const headers = { 'x-gitea-event': 'push', 'x-gogs-event': 'push', 'x-github-event': 'push', 'content-type': 'application/json' };
    expect(detectProvider(headers)?.provider).toBe('gitea');
  });

  it('finds none without a provider header or a JSON body', () => {
    expect(detectProvider({ 'content-type': 'text/plain' })).toBeUndefined();
    expect(detectProvider({ 'x-github-event': '  ' })).toBeUndefined();
    expect(detectProvider({})).toBeUndefined();
  });
});
