/** The shapes of Capstan's notifications: triggers, templates and services of capstan-config, and subscriptions. */

import type { Condition } from './conditions.js';
import type { CompiledTemplate } from './template.js';

/** The triggers Capstan knows without configuration; `trigger.<name>` in capstan-config replaces one. */
export const builtInTriggerNames = [
  'on-sync-succeeded',
  'on-sync-failed',
  'on-sync-running',
  'on-health-degraded',
  'on-deployed',
  'on-approval-required',
] as const;
export type BuiltInTriggerName = (typeof builtInTriggerNames)[number];

/** One `when` of a trigger: while it holds, its templates are sent (once per oncePer value). */
export interface TriggerCondition {
  /** The condition as written (what messages and keys show). */
  readonly when: string;
  readonly condition: Condition;
  /** Template names, each defined (checked when the config is read). */
  readonly send: readonly string[];
  /** A dotted field of the Application (`app.status.sync.revision`): the trigger fires once per value of it. */
  readonly oncePer?: string;
}

export interface Trigger {
  readonly name: string;
  readonly conditions: readonly TriggerCondition[];
  /** Built in, or read from capstan-config key `trigger.<name>`. */
  readonly origin: 'built-in' | 'config';
}

/** What a template sends through a webhook service of that name. */
export interface WebhookTemplate {
  readonly method?: string;
  readonly path?: CompiledTemplate;
  readonly body?: CompiledTemplate;
}

export interface SlackTemplate {
  /** JSON text (a list of attachments), with placeholders. */
  readonly attachments?: CompiledTemplate;
  /** JSON text (a list of blocks), with placeholders. */
  readonly blocks?: CompiledTemplate;
}

export interface Template {
  readonly name: string;
  readonly message: CompiledTemplate;
  readonly title?: CompiledTemplate;
  /** By webhook service name. */
  readonly webhook: ReadonlyMap<string, WebhookTemplate>;
  readonly slack?: SlackTemplate;
  readonly origin: 'built-in' | 'config';
}

/** A value written in the config (`url`), or `$<key>`: the key of Secret capstan-notifications-secret holding it. */
export type ConfigValue = { readonly literal: string } | { readonly secretKey: string };

export interface WebhookHeader {
  readonly name: string;
  readonly value: ConfigValue;
}

/** `service.webhook.<name>`: a generic HTTP receiver, its body signed when a secret is set. */
export interface WebhookService {
  readonly type: 'webhook';
  readonly name: string;
  readonly url: ConfigValue;
  readonly headers: readonly WebhookHeader[];
  /** The HMAC-SHA256 key of header X-Capstan-Signature. */
  readonly secret?: ConfigValue;
}

/** `service.slack` or `service.slack.<name>`: a Slack-compatible incoming webhook. */
export interface SlackService {
  readonly type: 'slack';
  readonly name: string;
  readonly url: ConfigValue;
}

/** `service.github`: GitHub's (or a compatible server's) commit status API. */
export interface GitHubService {
  readonly type: 'github';
  readonly name: string;
  readonly token: ConfigValue;
  /** Without a trailing slash; default https://api.github.com. */
  readonly apiURL: string;
}

export type Service = WebhookService | SlackService | GitHubService;

export interface NotificationConfig {
  /** The built-in triggers and the configured ones (a configured one replaces the built-in of its name). */
  readonly triggers: ReadonlyMap<string, Trigger>;
  readonly templates: ReadonlyMap<string, Template>;
  /** By the name subscriptions use: `<name>` of service.webhook.<name> / service.slack.<name>, `slack`, `github`. */
  readonly services: ReadonlyMap<string, Service>;
}

/** One subscription annotation: send the trigger's notifications through the service to each recipient. */
export interface Subscription {
  readonly trigger: string;
  readonly service: string;
  /** Empty for services with no recipients (a webhook, the commit status API). */
  readonly recipients: readonly string[];
  /** The annotation it was read from. */
  readonly annotation: string;
}

/** An HTTP request a service makes, ready to send: the body is the exact bytes signed. */
export interface NotificationRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}
