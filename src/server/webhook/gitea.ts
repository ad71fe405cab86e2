/**
 * Gitea (`X-Gitea-Event`) and Gogs (`X-Gogs-Event`), signed with `X-Gitea-Signature` or
 * `X-Gogs-Signature`: a hex HMAC-SHA256 without prefix. Both share the secret key `gitea`.
 */
import { commitOrUndefined, distinct, headerValue, stringAt } from './payload.js';
import { hmacSha256Matches } from './signature.js';
import type { ProviderAdapter, PushEvent, WebhookHeaders } from './types.js';

export const gitea: ProviderAdapter = {
  provider: 'gitea',
  detect: (headers) => eventHeader(headers) !== undefined,
  ownHeaders: ['x-gitea-event', 'x-gogs-event', 'x-gitea-signature', 'x-gogs-signature', 'x-gitea-delivery', 'x-gogs-delivery'],
  eventName: (headers) => eventHeader(headers) ?? '',
  isPushEvent: (eventName) => eventName === 'push',
  signsBody: true,
  verify: (headers, body, secret) =>
    hmacSha256Matches(body, secret, headerValue(headers, 'x-gitea-signature') ?? headerValue(headers, 'x-gogs-signature')),
  deliveryId: (headers) =>
    headerValue(headers, 'x-gitea-delivery') ?? headerValue(headers, 'x-gogs-delivery') ?? headerValue(headers, 'x-github-delivery'),
  parse(json: unknown): PushEvent | undefined {
    const repoUrls = distinct(['clone_url', 'ssh_url', 'html_url'].map((f) => stringAt(json, 'repository', f)));
    if (repoUrls.length === 0) return undefined;
    return {
      provider: 'gitea',
      repoUrls,
      revision: commitOrUndefined(stringAt(json, 'after')),
      ref: stringAt(json, 'ref'),
      sender:
        stringAt(json, 'pusher', 'login') ??
        stringAt(json, 'pusher', 'username') ??
        stringAt(json, 'sender', 'login') ??
        stringAt(json, 'sender', 'username'),
    };
  },
};

function eventHeader(headers: WebhookHeaders): string | undefined {
  return headerValue(headers, 'x-gitea-event') ?? headerValue(headers, 'x-gogs-event');
}
