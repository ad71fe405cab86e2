/**
 * Any other sender (a CI job, a script): `Content-Type: application/json` with
 * `{ "repoURL": "...", "revision": "...", "ref"?: "...", "sender"?: "..." }`,
 * signed with `X-Capstan-Signature: sha256=<hex>`, optionally with a delivery id in `X-Capstan-Delivery`.
 * Chosen only for a request that carries no other host's headers (see registry.ts).
 */
import { headerValue, mediaType, stringAt } from './payload.js';
import { hmacSha256Matches, prefixedSha256 } from './signature.js';
import type { ProviderAdapter, PushEvent } from './types.js';

export const generic: ProviderAdapter = {
  provider: 'generic',
  detect: (headers) => mediaType(headers) === 'application/json',
  ownHeaders: ['x-capstan-signature', 'x-capstan-delivery'],
  eventName: () => 'push',
  isPushEvent: (eventName) => eventName === 'push',
  signsBody: true,
  verify: (headers, body, secret) =>
    hmacSha256Matches(body, secret, prefixedSha256(headerValue(headers, 'x-capstan-signature'))),
  deliveryId: (headers) => headerValue(headers, 'x-capstan-delivery'),
  parse(json: unknown): PushEvent | undefined {
    const repoURL = stringAt(json, 'repoURL');
    if (repoURL === undefined) return undefined;
    return {
      provider: 'generic',
      repoUrls: [repoURL],
      revision: stringAt(json, 'revision'),
      ref: stringAt(json, 'ref'),
      sender: stringAt(json, 'sender'),
    };
  },
};
