/** The webhook receiver's vocabulary: providers, what a push says, and the port to the controller. */
import type { RefreshHint } from '../../controller/webhook-target.js';

export const webhookProviders = ['github', 'gitlab', 'bitbucket', 'gitea', 'generic'] as const;
export type WebhookProvider = (typeof webhookProviders)[number];

/** What a push says: the repo (every URL form the payload gives) and the revision. */
export interface PushEvent {
  readonly provider: WebhookProvider;
  /** As the payload gives them (clone, ssh, web URL...), not normalised. */
  readonly repoUrls: string[];
  /** Commit SHA after the push, when the payload gives one (absent for a deleted branch). */
  readonly revision?: string;
  /** e.g. refs/heads/main */
  readonly ref?: string;
  readonly sender?: string;
}

/** From the Secret `capstan-webhook` (keys github, gitlab, bitbucket, gitea, generic). An empty value counts as unset. */
export type WebhookSecrets = Partial<Record<WebhookProvider, string>>;

/** The controller side of the receiver (a port; tests use an in-memory fake). */
export type { RefreshHint, WebhookTarget } from '../../controller/webhook-target.js';

/**
 * The same port for a replica that must ask the API server which apps use a repository and
 * hand the refresh on (a standby: it annotates the apps, and the leader acts on them).
 */
export interface AsyncWebhookTarget {
  /** Keys ('ns/name') of the Applications whose repoURL is one of these (normalizeRepoUrl form). */
  applicationsFor(normalizedUrls: readonly string[]): Promise<string[]>;
  /** Resolves once the refresh of these apps is recorded; rejects (a 500 to the Git host) when it could not be. */
  refresh(appKeys: readonly string[], repoUrls: readonly string[], reason: string, hint?: RefreshHint): Promise<void>;
}

/** Header names are lower case, as node:http gives them. */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

export interface WebhookRequest {
  readonly headers: WebhookHeaders;
  readonly body: Buffer;
}

export interface WebhookResponse {
  readonly status: number;
  readonly body: { readonly queued?: string[]; readonly message?: string };
}

/** The pino subset the receiver logs through. */
export interface WebhookLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** One Git host's dialect: how to recognise its requests, check them, and read a push. */
export interface ProviderAdapter {
  readonly provider: WebhookProvider;
  /** True when the headers carry this host's event header. */
  detect(headers: WebhookHeaders): boolean;
  /** Headers only this host sends (event, signature, token, delivery id), lower case. */
  readonly ownHeaders: readonly string[];
  /** The event name the host gives ('push', 'ping', 'Push Hook', 'repo:push'...), for routing and logs. */
  eventName(headers: WebhookHeaders): string;
  /** True for the event names that announce a push. */
  isPushEvent(eventName: string): boolean;
  /**
   * True when the signature covers the body (an HMAC), so `verify` needs it; false when the
   * request proves itself by a header alone (GitLab's token), which is checked before the body is read.
   */
  readonly signsBody: boolean;
  /** True when the request carries a valid signature or token for `secret`. */
  verify(headers: WebhookHeaders, body: Buffer, secret: string): boolean;
  /** The id the host gives each delivery (the same on a redelivery), when it gives one. */
  deliveryId(headers: WebhookHeaders): string | undefined;
  /** The push a decoded payload describes, or undefined when it names no repository. */
  parse(json: unknown): PushEvent | undefined;
}
