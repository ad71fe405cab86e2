/** Bitbucket Cloud: `X-Event-Key: repo:push`, signed with `X-Hub-Signature: sha256=<hex>`. */
import { commitOrUndefined, distinct, fieldAt, headerValue, stringAt } from './payload.js';
import { hmacSha256Matches, prefixedSha256 } from './signature.js';
import type { ProviderAdapter, PushEvent } from './types.js';

export const bitbucket: ProviderAdapter = {
  provider: 'bitbucket',
  detect: (headers) => headerValue(headers, 'x-event-key') !== undefined,
  ownHeaders: ['x-event-key', 'x-hub-signature', 'x-request-uuid', 'x-hook-uuid'],
  eventName: (headers) => headerValue(headers, 'x-event-key') ?? '',
  isPushEvent: (eventName) => eventName === 'repo:push',
  signsBody: true,
  verify: (headers, body, secret) =>
    hmacSha256Matches(body, secret, prefixedSha256(headerValue(headers, 'x-hub-signature'))),
  // X-Request-UUID names the delivery (a retry keeps it); X-Hook-UUID names the webhook, the same for every push.
  deliveryId: (headers) => headerValue(headers, 'x-request-uuid'),
  parse(json: unknown): PushEvent | undefined {
    // The payload carries no clone URLs: derive the https and ssh forms from the full name.
    const fullName = stringAt(json, 'repository', 'full_name');
    const repoUrls = distinct([
      stringAt(json, 'repository', 'links', 'html', 'href'),
      fullName === undefined ? undefined : `https://bitbucket.org/${fullName}.git`,
      fullName === undefined ? undefined : `git@bitbucket.org:${fullName}.git`,
    ]);
    if (repoUrls.length === 0) return undefined;
    const change = lastChange(json);
    // A deleted branch or tag has no `new` side: it still names the ref, but no revision.
    const side = fieldAt(change, 'new') ?? fieldAt(change, 'old');
    return {
      provider: 'bitbucket',
      repoUrls,
      revision: commitOrUndefined(stringAt(change, 'new', 'target', 'hash')),
      ref: refName(stringAt(side, 'type'), stringAt(side, 'name')),
      sender: stringAt(json, 'actor', 'nickname') ?? stringAt(json, 'actor', 'display_name'),
    };
  },
};

function lastChange(json: unknown): unknown {
  const changes = fieldAt(json, 'push', 'changes');
  return Array.isArray(changes) ? (changes as unknown[]).at(-1) : undefined;
}

/** Bitbucket gives `{ type: 'branch', name: 'main' }`; Capstan speaks of refs. */
function refName(type: string | undefined, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (type === 'branch') return `refs/heads/${name}`;
  if (type === 'tag') return `refs/tags/${name}`;
  return name;
}
