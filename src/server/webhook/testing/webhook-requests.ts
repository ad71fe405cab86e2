/** Builders of realistic webhook requests for tests: fixture bodies with each provider's headers and signature. */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebhookProvider, WebhookRequest } from '../types.js';

export const fixtureNames = {
  github: 'github-push.json',
  gitlab: 'gitlab-push.json',
  bitbucket: 'bitbucket-push.json',
  gitea: 'gitea-push.json',
  generic: 'generic-push.json',
} as const satisfies Record<WebhookProvider, string>;

export function fixtureBody(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}

export function hmacSha256Hex(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export interface RequestOptions {
  /** Signs (or, for GitLab, carries the token) with this secret; unsigned when absent. */
  readonly secret?: string;
  /** The provider's event name; its push event by default. */
  readonly event?: string;
  /** The delivery id in the provider's header; a new one for every request by default. */
  readonly delivery?: string;
}

const pushEventNames: Record<WebhookProvider, string> = {
  github: 'push',
  gitlab: 'Push Hook',
  bitbucket: 'repo:push',
  gitea: 'push',
  generic: 'push',
};

/** The headers the provider would send with `body`. */
export function providerHeaders(provider: WebhookProvider, body: Buffer, options: RequestOptions = {}): Record<string, string> {
  const event = options.event ?? pushEventNames[provider];
  const signature = options.secret === undefined ? undefined : hmacSha256Hex(body, options.secret);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const delivery = options.delivery ?? randomUUID();
  switch (provider) {
    case 'github':
      headers['x-github-event'] = event;
      headers['x-github-delivery'] = delivery;
      if (signature !== undefined) headers['x-hub-signature-256'] = `sha256=${signature}`;
      break;
    case 'gitlab':
      headers['x-gitlab-event'] = event;
      headers['x-gitlab-event-uuid'] = delivery;
      if (options.secret !== undefined) headers['x-gitlab-token'] = options.secret;
      break;
    case 'bitbucket':
      headers['x-event-key'] = event;
      headers['x-hook-uuid'] = 'cb1f8a2e-4e0b-4d8e-9a1c-1b2c3d4e5f60';
      headers['x-request-uuid'] = delivery;
      if (signature !== undefined) headers['x-hub-signature'] = `sha256=${signature}`;
      break;
    case 'gitea':
      // Gitea also sends GitHub's and Gogs's headers.
      headers['x-gitea-event'] = event;
      headers['x-gogs-event'] = event;
      headers['x-github-event'] = event;
      headers['x-gitea-delivery'] = delivery;
      headers['x-github-delivery'] = delivery;
      if (signature !== undefined) {
        headers['x-gitea-signature'] = signature;
        headers['x-gogs-signature'] = signature;
      }
      break;
    case 'generic':
      headers['x-capstan-delivery'] = delivery;
      if (signature !== undefined) headers['x-capstan-signature'] = `sha256=${signature}`;
      break;
  }
  return headers;
}

export function providerRequest(provider: WebhookProvider, body: Buffer, options: RequestOptions = {}): WebhookRequest {
  return { headers: providerHeaders(provider, body, options), body };
}
