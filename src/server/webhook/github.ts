/** GitHub: `X-GitHub-Event`, signed with `X-Hub-Signature-256: sha256=<hex>`. */
import { commitOrUndefined, distinct, headerValue, stringAt } from './payload.js';
import { hmacSha256Matches, prefixedSha256 } from './signature.js';
import type { ProviderAdapter, PushEvent } from './types.js';

export const github: ProviderAdapter = {
  provider: 'github',
  detect: (headers) => headerValue(headers, 'x-github-event') !== undefined,
  ownHeaders: ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'],
  eventName: (headers) => headerValue(headers, 'x-github-event') ?? '',
  isPushEvent: (eventName) => eventName === 'push',
  signsBody: true,
  verify: (headers, body, secret) =>
    hmacSha256Matches(body, secret, prefixedSha256(headerValue(headers, 'x-hub-signature-256'))),
  deliveryId: (headers) => headerValue(headers, 'x-github-delivery'),
  parse(json: unknown): PushEvent | undefined {
    const repoUrls = distinct(['clone_url', 'ssh_url', 'html_url', 'git_url'].map((f) => stringAt(json, 'repository', f)));
    if (repoUrls.length === 0) return undefined;
    return {
      provider: 'github',
      repoUrls,
      revision: commitOrUndefined(stringAt(json, 'after')),
      ref: stringAt(json, 'ref'),
      sender: stringAt(json, 'sender', 'login') ?? stringAt(json, 'pusher', 'name'),
    };
  },
};
