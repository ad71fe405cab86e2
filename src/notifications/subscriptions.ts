/**
 * Subscription annotations on an Application or AppProject:
 * `capstan.dev/subscribe.<trigger>.<service>: <recipient>[;<recipient>…]`, and Argo CD's
 * `notifications.argoproj.io/subscribe.<trigger>.<service>` spelling. An empty value subscribes
 * a service without recipients (a webhook, the commit status API).
 */

import type { ParsedNotificationConfig } from './config.js';
import type { Subscription } from './types.js';

export const subscribePrefixes = ['capstan.dev/subscribe.', 'notifications.argoproj.io/subscribe.'] as const;
/** Argo CD's YAML list of subscriptions in one annotation, which Capstan does not read. */
const yamlListAnnotations = ['capstan.dev/subscriptions', 'notifications.argoproj.io/subscriptions'];
const name = /^[A-Za-z0-9_-]+$/;

export interface ParsedSubscriptions {
  readonly subscriptions: Subscription[];
  /** Annotations that are wrong, one sentence each, starting with the annotation. */
  readonly problems: string[];
}

export function parseSubscriptions(annotations: Readonly<Record<string, string>> | undefined): ParsedSubscriptions {
  const subscriptions: Subscription[] = [];
  const problems: string[] = [];
  for (const [annotation, value] of Object.entries(annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (yamlListAnnotations.includes(annotation)) {
      problems.push(`${annotation}: Capstan reads one annotation per subscription (${subscribePrefixes[0]}<trigger>.<service>); this one has no effect`);
      continue;
    }
    const prefix = subscribePrefixes.find((p) => annotation.startsWith(p));
    if (prefix === undefined) continue;
    const rest = annotation.slice(prefix.length);
    const dot = rest.indexOf('.');
    const trigger = dot < 0 ? '' : rest.slice(0, dot);
    const service = dot < 0 ? '' : rest.slice(dot + 1);
    if (!name.test(trigger) || !name.test(service)) {
      problems.push(`${annotation}: expected ${prefix}<trigger>.<service> (letters, digits, - and _)`);
      continue;
    }
    const recipients = value.split(';').map((r) => r.trim()).filter((r) => r !== '');
    subscriptions.push({ trigger, service, recipients, annotation });
  }
  return { subscriptions, problems };
}

/** The app's subscriptions and its project's, each trigger/service once with the recipients of both. */
export function mergeSubscriptions(...lists: readonly (readonly Subscription[])[]): Subscription[] {
  const merged = new Map<string, Subscription>();
  for (const subscription of lists.flat()) {
    const key = `${subscription.trigger}.${subscription.service}`;
    const seen = merged.get(key);
    const recipients = [...new Set([...(seen?.recipients ?? []), ...subscription.recipients])];
    merged.set(key, { ...(seen ?? subscription), recipients });
  }
  return [...merged.values()];
}

/** Subscriptions that name a trigger or service the config does not have (or refuses), as problems. */
export function checkSubscriptions(subscriptions: readonly Subscription[], parsed: ParsedNotificationConfig): string[] {
  const problems: string[] = [];
  for (const s of subscriptions) {
    if (!parsed.config.triggers.has(s.trigger)) {
      const refused = parsed.refusedTriggers.get(s.trigger);
      problems.push(`${s.annotation}: ${refused === undefined ? `there is no trigger ${s.trigger}` : `trigger ${s.trigger} is not used (${refused})`}`);
    }
    if (!parsed.config.services.has(s.service)) {
      const refused = parsed.refusedServices.get(s.service);
      problems.push(`${s.annotation}: ${refused === undefined ? `there is no service ${s.service} in capstan-config` : `service ${s.service} is not used (${refused})`}`);
    }
  }
  return problems;
}
