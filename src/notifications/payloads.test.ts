import { describe, expect, it } from '@jest/globals';
import { parseNotificationConfig } from './config.js';
import { buildRequest, type Notification, type SecretLookup } from './payloads.js';
import { verifySignature } from './signature.js';
import { commit, synced } from './testing/apps.js';
import type { Service, Template } from './types.js';
import type { Application } from '../api/application.js';

const secrets: SecretLookup = (key) => ({ hmac: 's3cret', 'slack-url': 'https://chat.example/hook', token: 'ghp_x', auth: 'Bearer abc' })[key];

const parsed = parseNotificationConfig({
  'service.webhook.plain': 'url: http://127.0.0.1:9/hook\nsecret: $hmac\nheaders:\n- {name: Authorization, value: $auth}\n',
  'service.webhook.custom': 'url: http://127.0.0.1:9/base/\n',
  'service.webhook.missing': 'url: $nope\n',
  'service.slack': 'webhookUrl: $slack-url\n',
  'service.github': 'token: $token\n',
  'template.custom': [
    'message: "{{.app.metadata.name}}: {{.app.status.operationState.message}}"',
    'webhook:',
    '  custom:',
    '    method: PUT',
    '    path: apps/{{.app.metadata.name}}',
    '    body: \'{"text": "{{.app.status.operationState.message}}", "revision": "{{.app.status.sync.revision | trunc 7}}"}\'',
    'slack:',
    '  attachments: \'[{"title": "{{.app.metadata.name}}", "text": "{{.app.status.operationState.message}}"}]\'',
  ].join('\n'),
  'template.titled': 'message: "{{.app.metadata.name}} failed"\ntitle: "Sync of {{.app.metadata.name}}"\n',
  'template.text-body': 'message: x\nwebhook:\n  custom:\n    body: "app={{.app.metadata.name}}"\n',
});
if (parsed.problems.length > 0) throw new Error(parsed.problems.join('\n'));

function service(name: string): Service {
  const s = parsed.config.services.get(name);
  if (s === undefined) throw new Error(name);
  return s;
}

function template(name: string): Template {
  const t = parsed.config.templates.get(name);
  if (t === undefined) throw new Error(name);
  return t;
}

function notification(app: Application, templateName = 'app-on-sync-failed', recipient = ''): Notification {
  return { app, trigger: 'on-sync-failed', template: template(templateName), recipient, context: { dashboardUrl: 'https://capstan.example' } };
}

const failed = synced('Failed', { message: 'hook "migrate" failed: exit 1' });

describe('webhook requests', () => {
  it('POST a default JSON body, signed with the secret, with the configured headers', () => {
    const request = buildRequest(service('plain'), notification(failed), secrets);
    expect(request.ok).toBe(true);
    if (!request.ok) return;
    expect(request.value.method).toBe('POST');
    expect(request.value.url).toBe('http://127.0.0.1:9/hook');
    expect(JSON.parse(request.value.body)).toEqual({
      app: 'guestbook',
      namespace: 'capstan',
      trigger: 'on-sync-failed',
      revision: commit,
      message: `The sync of application guestbook at revision ${commit} has failed: hook "migrate" failed: exit 1`,
    });
    expect(request.value.headers).toMatchObject({ 'Content-Type': 'application/json', Authorization: 'Bearer abc' });
    expect(verifySignature(request.value.body, 's3cret', request.value.headers['X-Capstan-Signature'])).toBe(true);
  });

  it("uses the template's method, path and body, the body's values JSON-escaped", () => {
    const request = buildRequest(service('custom'), notification(failed, 'custom'), secrets);
    if (!request.ok) throw new Error(request.error);
    expect(request.value).toMatchObject({ method: 'PUT', url: 'http://127.0.0.1:9/base/apps/guestbook', headers: { 'Content-Type': 'application/json' } });
    expect(JSON.parse(request.value.body)).toEqual({ text: 'hook "migrate" failed: exit 1', revision: 'aaaaaaa' });
    expect(request.value.headers['X-Capstan-Signature']).toBeUndefined();
  });

  it('sends a body that is not JSON as text', () => {
    const request = buildRequest(service('custom'), notification(failed, 'text-body'), secrets);
    if (!request.ok) throw new Error(request.error);
    expect(request.value.body).toBe('app=guestbook');
    expect(request.value.headers['Content-Type']).toBe('text/plain; charset=utf-8');
  });

  it('says which Secret key is missing', () => {
    const request = buildRequest(service('missing'), notification(failed), secrets);
    expect(request).toEqual({ ok: false, error: 'url: Secret capstan-notifications-secret has no key nope' });
  });
});

describe('Slack requests', () => {
  it('POST {text} to the incoming webhook, with the channel when the subscription names one', () => {
    const request = buildRequest(service('slack'), notification(synced('Succeeded'), 'app-on-sync-succeeded', '#deploys'), secrets);
    if (!request.ok) throw new Error(request.error);
    expect(request.value.url).toBe('https://chat.example/hook');
    expect(JSON.parse(request.value.body)).toEqual({ text: `Application guestbook has been successfully synced at revision ${commit}.`, channel: '#deploys' });
  });

  it('adds the rendered attachments, escaped', () => {
    const request = buildRequest(service('slack'), notification(failed, 'custom'), secrets);
    if (!request.ok) throw new Error(request.error);
    expect(JSON.parse(request.value.body)).toEqual({
      text: 'guestbook: hook "migrate" failed: exit 1',
      attachments: [{ title: 'guestbook', text: 'hook "migrate" failed: exit 1' }],
    });
  });
});

describe('titles', () => {
  it('add title to the default webhook body and, in bold, to the Slack text', () => {
    const webhook = buildRequest(service('custom'), notification(failed, 'titled'), secrets);
    const slack = buildRequest(service('slack'), notification(failed, 'titled'), secrets);
    if (!webhook.ok || !slack.ok) throw new Error('no request');
    expect(JSON.parse(webhook.value.body)).toMatchObject({ message: 'guestbook failed', title: 'Sync of guestbook' });
    expect(JSON.parse(slack.value.body)).toEqual({ text: '*Sync of guestbook*\nguestbook failed' });
  });
});

describe('GitHub commit status requests', () => {
  it('POST the state to /repos/{owner}/{repo}/statuses/{sha} with the token', () => {
    const request = buildRequest(service('github'), { ...notification(failed), targetUrl: 'https://capstan.example/apps/guestbook' }, secrets);
    if (!request.ok) throw new Error(request.error);
    expect(request.value.url).toBe(`https://api.github.com/repos/example/guestbook/statuses/${commit}`);
    expect(request.value.headers.Authorization).toBe('token ghp_x');
    const body = JSON.parse(request.value.body) as Record<string, unknown>;
    expect(body).toMatchObject({ state: 'failure', context: 'capstan/guestbook', target_url: 'https://capstan.example/apps/guestbook' });
    expect(String(body.description).length).toBeLessThanOrEqual(140);
  });

  it('reports success, pending and error', () => {
    const state = (app: Application): unknown => {
      const request = buildRequest(service('github'), notification(app), secrets);
      return request.ok ? (JSON.parse(request.value.body) as { state: unknown }).state : request.error;
    };
    expect(state(synced('Succeeded'))).toBe('success');
    expect(state(synced('Running'))).toBe('pending');
    expect(state(synced('Error'))).toBe('error');
  });

  it('refuses an app whose repository is not owner/repo or whose revision is not a commit', () => {
    const other = { ...failed, spec: { ...failed.spec, source: { repoURL: 'https://charts.example/stable/x/y' } } };
    expect(buildRequest(service('github'), notification(other), secrets).ok).toBe(false);
    expect(buildRequest(service('github'), notification(synced('Failed', { revision: '1.2.3' })), secrets).ok).toBe(false);
  });
});
