import { describe, expect, it } from '@jest/globals';
import { generic } from './generic.js';
import { fixtureBody, hmacSha256Hex } from './testing/webhook-requests.js';

const secret = 'test-generic-secret';
const body = fixtureBody('generic-push.json');

describe('generic provider', () => {
  it('is detected by a JSON content type, with or without parameters', () => {
    expect(generic.detect({ 'content-type': 'application/json' })).toBe(true);
    expect(generic.detect({ 'content-type': 'Application/JSON; charset=utf-8' })).toBe(true);
    expect(generic.detect({ 'content-type': 'text/plain' })).toBe(false);
    expect(generic.detect({})).toBe(false);
    expect(generic.isPushEvent(generic.eventName({}))).toBe(true);
  });

  it('accepts the HMAC-SHA256 of the raw body in X-Capstan-Signature', () => {
    const signature = hmacSha256Hex(body, secret);
    expect(generic.verify({ 'x-capstan-signature': `sha256=${signature}` }, body, secret)).toBe(true);
    expect(generic.verify({ 'x-capstan-signature': `SHA256=${signature.toUpperCase()}` }, body, secret)).toBe(true);
    expect(generic.verify({ 'x-capstan-signature': `sha256=${hmacSha256Hex(body, 'other')}` }, body, secret)).toBe(false);
    expect(generic.verify({ 'x-capstan-signature': signature }, body, secret)).toBe(false);
    expect(generic.verify({}, body, secret)).toBe(false);
  });

  it('reads repoURL, revision and the optional ref and sender', () => {
    expect(generic.parse(JSON.parse(body.toString()))).toEqual({
      provider: 'generic',
      repoUrls: ['https://git.example.com/platform/deploy-config.git'],
      revision: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      ref: 'refs/heads/main',
      sender: 'release-pipeline',
    });
    expect(generic.parse({ repoURL: 'git@git.example.com:platform/deploy-config.git' })).toEqual({
      provider: 'generic',
      repoUrls: ['git@git.example.com:platform/deploy-config.git'],
    });
  });

  it('finds no push without a repoURL string', () => {
    expect(generic.parse({ revision: 'main' })).toBeUndefined();
    expect(generic.parse({ repoURL: '  ' })).toBeUndefined();
    expect(generic.parse({ repoURL: ['https://git.example.com/a.git'] })).toBeUndefined();
    expect(generic.parse([])).toBeUndefined();
  });
});
