/** Which Git host a request comes from, told by its headers alone, and never guessed. */
import { bitbucket } from './bitbucket.js';
import { generic } from './generic.js';
import { gitea } from './gitea.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import type { ProviderAdapter, WebhookHeaders } from './types.js';

export const providerAdapters: readonly ProviderAdapter[] = [gitea, gitlab, bitbucket, github, generic];

/** The hosts with an event header of their own; the generic sender has none. */
const eventProviders: readonly ProviderAdapter[] = [gitea, gitlab, bitbucket, github];

export type Classified = { readonly ok: true; readonly adapter: ProviderAdapter } | { readonly ok: false; readonly message: string };

/**
 * The provider a request is checked as:
 * - the one host whose event header it carries (X-GitHub-Event, X-Gitlab-Event, X-Event-Key,
 *   X-Gitea-Event or X-Gogs-Event). Gitea also sends GitHub's headers, so with a Gitea or Gogs
 *   event header GitHub's say nothing more; any other mix names two hosts and is refused.
 * - generic only for a JSON request that carries no header of any other host (a host's
 *   signature without its event header is refused, not read as generic).
 * The request must then prove itself with that provider's secret; which one it picked never
 * decides whether a secret applies (admission.ts).
 */
export function classifyRequest(headers: WebhookHeaders): Classified {
  const present = eventProviders.filter((adapter) => adapter.detect(headers));
  const hosts = present.includes(gitea) ? present.filter((adapter) => adapter !== github) : present;
  const [only, second] = hosts;
  if (second !== undefined) {
    return { ok: false, message: `ambiguous webhook: event headers of ${hosts.map((a) => a.provider).join(' and ')}` };
  }
  if (only !== undefined) return { ok: true, adapter: only };
  const foreign = eventProviders.filter((adapter) => adapter.ownHeaders.some((name) => headers[name] !== undefined));
  if (foreign.length > 0) {
    return { ok: false, message: `${foreign.map((a) => a.provider).join(' and ')} headers without an event header` };
  }
  if (generic.detect(headers)) return { ok: true, adapter: generic };
  return { ok: false, message: 'unrecognised webhook: no Git host event header and no JSON body' };
}
