/** The providers in detection order, and the lookup the handler uses. */
import { bitbucket } from './bitbucket.js';
import { generic } from './generic.js';
import { gitea } from './gitea.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import type { ProviderAdapter, WebhookHeaders } from './types.js';

/**
 * Order matters: Gitea also sends GitHub's headers, so it is asked first; every host sends
 * JSON, so the generic sender is asked last.
 */
export const providerAdapters: readonly ProviderAdapter[] = [gitea, gitlab, bitbucket, github, generic];

/** The provider whose headers the request carries, or undefined when none matches. */
export function detectProvider(headers: WebhookHeaders): ProviderAdapter | undefined {
  return providerAdapters.find((adapter) => adapter.detect(headers));
}
