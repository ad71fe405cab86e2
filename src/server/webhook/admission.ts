/**
 * What the headers alone decide, before a byte of the body is read: which provider, whether it
 * can be authenticated at all, whether the event is a push, and whether the delivery was seen.
 */
import type { DeliveryLog } from './deliveries.js';
import { printable } from './describe-push.js';
import type { LogThrottle } from './log-throttle.js';
import { classifyRequest } from './registry.js';
import type { ProviderAdapter, WebhookHeaders, WebhookLogger, WebhookProvider, WebhookResponse, WebhookSecrets } from './types.js';

export interface AdmissionOptions {
  /** Accept pushes of providers without a secret, marked unverified (--webhook-allow-unsigned). */
  readonly allowUnsigned: boolean;
  readonly deliveries: DeliveryLog;
  readonly logger: WebhookLogger;
  /** Providers already warned about (missing secret, unsigned pushes accepted): once each per server. */
  readonly warned: Set<WebhookProvider>;
  readonly throttle: LogThrottle;
}

export type Admission =
  | { readonly ok: false; readonly provider?: WebhookProvider; readonly response: WebhookResponse }
  | {
      readonly ok: true;
      readonly adapter: ProviderAdapter;
      readonly headers: WebhookHeaders;
      readonly event: string;
      /** The secret the body must be verified with; undefined for a push accepted unsigned. */
      readonly secret: string | undefined;
      /** The delivery's key in the DeliveryLog, when the host names its deliveries. */
      readonly deliveryKey: string | undefined;
    };

/** The provider's secret, or undefined when none is set (an empty value counts as unset). */
export function secretOf(secrets: WebhookSecrets, provider: WebhookProvider): string | undefined {
  const secret = secrets[provider];
  return secret === undefined || secret === '' ? undefined : secret;
}

export function admitRequest(headers: WebhookHeaders, secrets: WebhookSecrets, options: AdmissionOptions): Admission {
  const log = options.logger;
  const classified = classifyRequest(headers);
  if (!classified.ok) {
    log.debug({ reason: classified.message }, 'webhook request refused');
    return { ok: false, response: { status: 400, body: { message: classified.message } } };
  }
  const { adapter } = classified;
  const provider = adapter.provider;
  const event = printable(adapter.eventName(headers));
  const secret = secretOf(secrets, provider);
  if (secret === undefined && !options.allowUnsigned) {
    warnOnce(options, provider, `webhook requests from ${provider} are refused: set the "${provider}" key of the capstan-webhook Secret`);
    log.debug({ provider, event }, 'webhook rejected: no secret for the provider');
    return { ok: false, provider, response: { status: 401, body: { message: `no ${provider} secret is configured` } } };
  }
  if (secret === undefined) {
    warnOnce(options, provider, `webhook requests from ${provider} are accepted unsigned (--webhook-allow-unsigned): set the "${provider}" key of the capstan-webhook Secret`);
  } else if (!adapter.signsBody && !adapter.verify(headers, Buffer.alloc(0), secret)) {
    options.throttle.warn(log, `${provider}/token`, { provider, event }, 'webhook rejected: invalid token');
    return { ok: false, provider, response: { status: 401, body: { message: 'invalid signature' } } };
  }
  if (!adapter.isPushEvent(event)) {
    // Nothing is done for it, so nothing needs proving: the body is not read.
    log.debug({ provider, event }, 'webhook event ignored');
    return { ok: false, provider, response: { status: 200, body: { queued: [], message: `ignored event ${event}` } } };
  }
  const delivery = adapter.deliveryId(headers);
  const deliveryKey = delivery === undefined ? undefined : `${provider}\n${delivery}`;
  if (deliveryKey !== undefined && options.deliveries.has([deliveryKey])) {
    log.info({ provider, delivery: printable(delivery ?? '') }, 'webhook delivery seen before: ignored');
    return { ok: false, provider, response: { status: 200, body: { queued: [], message: 'duplicate delivery' } } };
  }
  return { ok: true, adapter, headers, event, secret, deliveryKey };
}

function warnOnce(options: AdmissionOptions, provider: WebhookProvider, message: string): void {
  if (options.warned.has(provider)) return;
  options.warned.add(provider);
  options.logger.warn({ provider }, message);
}
