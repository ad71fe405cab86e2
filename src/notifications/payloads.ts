/** The HTTP request each service makes for one notification. Pure: secrets come through a lookup. */

import type { Application } from '../api/application.js';
import type { Result } from '../api/result.js';
import { notificationsSecretName } from './config-values.js';
import { appRepository, commitOf, commitState, statusDescription } from './github-status.js';
import { signatureHeader, signBody } from './signature.js';
import { renderTemplate, rendersJson } from './template.js';
import type { ConfigValue, GitHubService, NotificationRequest, Service, SlackService, Template, WebhookService } from './types.js';

/** One notification to send: the app as it is now, the trigger that fired, its template, the recipient. */
export interface Notification {
  readonly app: Application;
  readonly trigger: string;
  readonly template: Template;
  /** The subscription's recipient ('' for none): a Slack channel, or whatever the receiver makes of it. */
  readonly recipient: string;
  /** What templates read as `.context` (dashboardUrl, …). */
  readonly context: Readonly<Record<string, string>>;
  /** The page of the app, linked from a commit status. */
  readonly targetUrl?: string;
}

/** A value of Secret capstan-notifications-secret by key, undefined when it has none. */
export type SecretLookup = (key: string) => string | undefined;

const json = 'application/json';

export function buildRequest(service: Service, notification: Notification, secrets: SecretLookup): Result<NotificationRequest, string> {
  switch (service.type) {
    case 'webhook': return webhookRequest(service, notification, secrets);
    case 'slack': return slackRequest(service, notification, secrets);
    case 'github': return gitHubStatusRequest(service, notification, secrets);
  }
}

/** What templates see: `.app`, `.context`, `.trigger`, `.recipient`. */
export function templateData(n: Notification): Record<string, unknown> {
  return { app: n.app, context: n.context, trigger: n.trigger, recipient: n.recipient };
}

export function webhookRequest(service: WebhookService, n: Notification, secrets: SecretLookup): Result<NotificationRequest, string> {
  const base = resolve(service.url, 'url', secrets);
  if (!base.ok) return base;
  const spec = n.template.webhook.get(service.name);
  const data = templateData(n);
  const path = spec?.path === undefined ? '' : renderTemplate(spec.path, data, 'url');
  const url = path === '' ? base.value : `${base.value.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const method = spec?.method ?? 'POST';
  let body: string;
  let bodyIsJson = true;
  if (spec?.body !== undefined) {
    bodyIsJson = rendersJson(spec.body);
    body = renderTemplate(spec.body, data, bodyIsJson ? 'json' : 'text');
  } else {
    body = method === 'GET' ? '' : defaultWebhookBody(n);
  }
  const headers: Record<string, string> = {};
  if (body !== '') headers['Content-Type'] = bodyIsJson ? json : 'text/plain; charset=utf-8';
  for (const header of service.headers) {
    const value = resolve(header.value, `headers ${header.name}`, secrets);
    if (!value.ok) return value;
    headers[header.name] = value.value;
  }
  if (service.secret !== undefined) {
    const secret = resolve(service.secret, 'secret', secrets);
    if (!secret.ok) return secret;
    headers[signatureHeader] = signBody(body, secret.value);
  }
  return { ok: true, value: { method, url, headers, body } };
}

/** `{app, namespace, trigger, revision, message, title?}`: what a webhook gets when its template sets no body. */
export function defaultWebhookBody(n: Notification): string {
  const status = n.app.status;
  const data = templateData(n);
  return JSON.stringify({
    app: n.app.metadata.name ?? '',
    namespace: n.app.metadata.namespace ?? '',
    trigger: n.trigger,
    revision: status?.operationState?.revision ?? status?.sync?.revision ?? '',
    message: renderTemplate(n.template.message, data),
    ...(n.template.title === undefined ? {} : { title: renderTemplate(n.template.title, data) }),
  });
}

/** `{text, channel?, attachments?, blocks?}`; a title comes first in text, in bold. */
export function slackRequest(service: SlackService, n: Notification, secrets: SecretLookup): Result<NotificationRequest, string> {
  const url = resolve(service.url, 'webhookUrl', secrets);
  if (!url.ok) return url;
  const data = templateData(n);
  const message = renderTemplate(n.template.message, data);
  const title = n.template.title === undefined ? '' : renderTemplate(n.template.title, data);
  const payload: Record<string, unknown> = { text: title === '' ? message : `*${title}*\n${message}` };
  if (n.recipient !== '') payload.channel = n.recipient;
  for (const field of ['attachments', 'blocks'] as const) {
    const template = n.template.slack?.[field];
    if (template === undefined) continue;
    const rendered = renderTemplate(template, data, 'json');
    try {
      payload[field] = JSON.parse(rendered) as unknown;
    } catch {
      return { ok: false, error: `template ${n.template.name}: slack.${field} did not render JSON` };
    }
  }
  return { ok: true, value: { method: 'POST', url: url.value, headers: { 'Content-Type': json }, body: JSON.stringify(payload) } };
}

export function gitHubStatusRequest(service: GitHubService, n: Notification, secrets: SecretLookup): Result<NotificationRequest, string> {
  const token = resolve(service.token, 'token', secrets);
  if (!token.ok) return token;
  const repository = appRepository(n.app);
  if (repository === undefined) return { ok: false, error: 'the app\'s repoURL does not name a GitHub repository (owner/repo)' };
  const sha = commitOf(n.app);
  if (sha === undefined) return { ok: false, error: 'the app has no commit to set a status on' };
  const state = commitState(n.app);
  if (state === undefined) return { ok: false, error: 'the app has no sync or health outcome to report' };
  const name = n.app.metadata.name ?? '';
  const body = JSON.stringify({
    state,
    description: statusDescription(renderTemplate(n.template.message, templateData(n))),
    context: `capstan/${name}`,
    ...(n.targetUrl === undefined ? {} : { target_url: n.targetUrl }),
  });
  const path = `/repos/${encodeURIComponent(repository.owner)}/${encodeURIComponent(repository.repo)}/statuses/${sha}`;
  return {
    ok: true,
    value: {
      method: 'POST',
      url: `${service.apiURL}${path}`,
      headers: { Authorization: `token ${token.value}`, Accept: 'application/vnd.github+json', 'Content-Type': json, 'User-Agent': 'capstan' },
      body,
    },
  };
}

function resolve(value: ConfigValue, field: string, secrets: SecretLookup): Result<string, string> {
  if ('literal' in value) return { ok: true, value: value.literal };
  const secret = secrets(value.secretKey);
  return secret === undefined || secret === ''
    ? { ok: false, error: `${field}: Secret ${notificationsSecretName} has no key ${value.secretKey}` }
    : { ok: true, value: secret };
}
