/** GitLab: `X-Gitlab-Event`, authenticated by `X-Gitlab-Token` equal to the secret. */
import { commitOrUndefined, distinct, headerValue, stringAt } from './payload.js';
import { sameToken } from './signature.js';
import type { ProviderAdapter, PushEvent } from './types.js';

const pushEvents = new Set(['Push Hook', 'Tag Push Hook']);
const pushKinds = new Set(['push', 'tag_push']);
/** Older payloads repeat the URLs under `repository` and as `http_url`/`ssh_url`. */
const urlFields: readonly (readonly [string, string])[] = [
  ['project', 'git_http_url'],
  ['project', 'git_ssh_url'],
  ['project', 'web_url'],
  ['project', 'http_url'],
  ['project', 'ssh_url'],
  ['repository', 'git_http_url'],
  ['repository', 'git_ssh_url'],
  ['repository', 'homepage'],
];

export const gitlab: ProviderAdapter = {
  provider: 'gitlab',
  detect: (headers) => headerValue(headers, 'x-gitlab-event') !== undefined,
  ownHeaders: ['x-gitlab-event', 'x-gitlab-token', 'x-gitlab-event-uuid', 'x-gitlab-webhook-uuid', 'x-gitlab-instance'],
  eventName: (headers) => headerValue(headers, 'x-gitlab-event') ?? '',
  isPushEvent: (eventName) => pushEvents.has(eventName),
  // The token is a header: it is checked before the body is read.
  signsBody: false,
  verify: (headers, _body, secret) => sameToken(headers['x-gitlab-token'], secret),
  // Idempotency-Key (GitLab 17.4+) stays the same when a delivery is retried; X-Gitlab-Event-UUID before it.
  deliveryId: (headers) => headerValue(headers, 'idempotency-key') ?? headerValue(headers, 'x-gitlab-event-uuid'),
  parse(json: unknown): PushEvent | undefined {
    const kind = stringAt(json, 'object_kind');
    if (kind === undefined || !pushKinds.has(kind)) return undefined;
    const repoUrls = distinct(urlFields.map(([parent, field]) => stringAt(json, parent, field)));
    if (repoUrls.length === 0) return undefined;
    return {
      provider: 'gitlab',
      repoUrls,
      // checkout_sha is the commit even for an annotated tag, where `after` is the tag object.
      revision: commitOrUndefined(stringAt(json, 'checkout_sha') ?? stringAt(json, 'after')),
      ref: stringAt(json, 'ref'),
      sender: stringAt(json, 'user_username') ?? stringAt(json, 'user_name'),
    };
  },
};
