import { describe, expect, it } from '@jest/globals';
import { parseNotificationConfig } from './config.js';
import { builtInTriggerNames } from './types.js';
import { evaluateCondition } from './conditions.js';
import { synced } from './testing/apps.js';

describe('parseNotificationConfig', () => {
  it('has the built-in triggers, each with its default template, with no config', () => {
    const { config, problems } = parseNotificationConfig({});
    expect(problems).toEqual([]);
    expect([...config.triggers.keys()].sort()).toEqual([...builtInTriggerNames].sort());
    for (const name of builtInTriggerNames) {
      const send = config.triggers.get(name)?.conditions[0]?.send;
      expect(send).toEqual([`app-${name}`]);
      expect(config.templates.has(`app-${name}`)).toBe(true);
    }
    const succeeded = config.triggers.get('on-sync-succeeded')?.conditions[0];
    expect(succeeded && evaluateCondition(succeeded.condition, synced('Succeeded'))).toBe(true);
    expect(succeeded && evaluateCondition(succeeded.condition, synced('Failed'))).toBe(false);
    const failed = config.triggers.get('on-sync-failed')?.conditions[0];
    expect(failed && evaluateCondition(failed.condition, synced('Error'))).toBe(true);
    expect(config.services.size).toBe(0);
  });

  it("reads Argo CD's shapes of triggers, templates and services", () => {
    const { config, problems } = parseNotificationConfig({
      'trigger.on-sync-succeeded': "- when: app.status.operationState.phase in ['Succeeded']\n  oncePer: app.status.sync.revision\n  send: [sync-ok]\n  description: done\n",
      'template.sync-ok': [
        'message: "{{.app.metadata.name}} synced"',
        'title: Synced',
        'webhook:',
        '  receiver:',
        '    method: put',
        '    path: /apps/{{.app.metadata.name}}',
        '    body: \'{"app": "{{.app.metadata.name}}"}\'',
        'slack:',
        '  attachments: \'[{"text": "{{.app.metadata.name}}"}]\'',
      ].join('\n'),
      'service.webhook.receiver': 'url: https://hooks.example/base\nheaders:\n- name: X-Team\n  value: platform\n- name: Authorization\n  value: $receiver-token\nsecret: $receiver-hmac\n',
      'service.slack': 'webhookUrl: $slack-url\n',
      'service.slack.ops': 'url: https://chat.example/hooks/1\n',
      'service.github': 'token: $github-token\napiURL: https://ghe.example/api/v3/\n',
      'resource.customizations.health.apps_Deployment': 'return {}',
    });
    expect(problems).toEqual([]);
    const trigger = config.triggers.get('on-sync-succeeded');
    expect(trigger?.origin).toBe('config');
    expect(trigger?.conditions[0]?.oncePer).toBe('app.status.sync.revision');
    expect(config.templates.get('sync-ok')?.webhook.get('receiver')?.method).toBe('PUT');
    expect(config.templates.get('sync-ok')?.slack?.attachments).toBeDefined();
    expect(config.services.get('receiver')).toEqual({
      type: 'webhook',
      name: 'receiver',
      url: { literal: 'https://hooks.example/base' },
      headers: [{ name: 'X-Team', value: { literal: 'platform' } }, { name: 'Authorization', value: { secretKey: 'receiver-token' } }],
      secret: { secretKey: 'receiver-hmac' },
    });
    expect(config.services.get('slack')).toEqual({ type: 'slack', name: 'slack', url: { secretKey: 'slack-url' } });
    expect(config.services.get('ops')).toEqual({ type: 'slack', name: 'ops', url: { literal: 'https://chat.example/hooks/1' } });
    expect(config.services.get('github')).toEqual({ type: 'github', name: 'github', token: { secretKey: 'github-token' }, apiURL: 'https://ghe.example/api/v3' });
  });

  it('defaults the GitHub API URL', () => {
    const { config } = parseNotificationConfig({ 'service.github': 'token: $t' });
    expect(config.services.get('github')).toMatchObject({ apiURL: 'https://api.github.com' });
  });

  it('a configured template of a built-in name replaces it', () => {
    const { config, problems } = parseNotificationConfig({ 'template.app-on-sync-failed': 'message: failed!' });
    expect(problems).toEqual([]);
    expect(config.templates.get('app-on-sync-failed')?.origin).toBe('config');
  });

  it.each([
    [{ 'trigger.on-x': 'when: [' }, 'trigger.on-x: not YAML'],
    [{ 'trigger.on-x': 'when: x' }, 'trigger.on-x: expected a list'],
    [{ 'trigger.on-x': "- when: app.a > 1\n  send: [app-on-sync-failed]" }, 'trigger.on-x: [0]: when: column 7'],
    [{ 'trigger.on-x': "- when: app.a == 'x'\n  send: []" }, 'trigger.on-x: [0]: send must be a list of template names'],
    [{ 'trigger.on-x': "- when: app.a == 'x'\n  send: [nope]" }, 'trigger.on-x: it sends template "nope", but there is no template.nope'],
    [{ 'trigger.on-x': "- when: app.a == 'x'\n  send: [t]\n  oncePer: len(app.x)" }, 'trigger.on-x: [0]: oncePer must be a field of the app'],
    [{ 'trigger.on-x': "- when: app.a == 'x'\n  send: [t]\n  other: 1" }, 'trigger.on-x: [0]: other is not a field of a trigger condition'],
    [{ 'trigger.on.x': '- when: app.a\n  send: [t]' }, 'trigger.on.x: expected trigger.<name>'],
    [{ trigger: '- when: app.a' }, 'trigger: expected trigger.<name>'],
    [{ 'template.t': 'message: "{{ .a | upper }}"' }, 'template.t: message: {{ .a | upper }}'],
    [{ 'template.t': 'title: x' }, 'template.t: message is required'],
    [{ 'template.t': 'message: x\nemail: {subject: y}' }, 'template.t: email is not a field of a template'],
    [{ 'template.t': 'message: x\nwebhook:\n  nowhere: {body: x}' }, 'template.t: webhook.nowhere: there is no webhook service "nowhere"'],
    [{ 'template.t': 'message: x\nwebhook:\n  h: {method: TRACE}', 'service.webhook.h': 'url: https://h.example' }, 'template.t: webhook.h.method must be one of'],
    [{ 'template.t': "message: x\nslack:\n  attachments: '{\"a\": 1}'" }, 'template.t: slack.attachments must be a JSON list'],
    [{ 'service.webhook.h': 'headers: []' }, 'service.webhook.h: url is required'],
    [{ 'service.webhook.h': 'url: ftp://h.example' }, 'service.webhook.h: url: "ftp://h.example" is not an http or https URL'],
    [{ 'service.webhook.h': 'url: https://h\nheaders:\n- name: "bad name"\n  value: x' }, 'service.webhook.h: headers[0] must be {name, value}'],
    [{ 'service.webhook.h': 'url: https://h\nheaders:\n- name: X\n  value: "a\\r\\nB: c"' }, 'service.webhook.h: headers[0].value must be one line'],
    [{ 'service.webhook.h': 'url: https://h\nsecret: $bad key' }, 'service.webhook.h: secret: "bad key" is not a Secret key'],
    [{ 'service.webhook': 'url: https://h' }, 'service.webhook: expected service.webhook.<name>'],
    [{ 'service.slack': 'token: $t' }, 'service.slack: token: Capstan sends to Slack through an incoming webhook'],
    [{ 'service.slack': 'channel: x' }, 'service.slack: channel is not a field of a Slack service'],
    [{ 'service.github': 'appID: 1\ninstallationID: 2\nprivateKey: $k' }, 'service.github: appID: Capstan authenticates to the commit status API with a token'],
    [{ 'service.email': 'host: smtp' }, 'service.email: unknown service type "email"'],
    [{ 'service.slack.h': 'url: https://a', 'service.webhook.h': 'url: https://b' }, 'service.webhook.h: another key (service.slack.h) already defines service "h"'],
  ])('says what is wrong with %j', (data, message) => {
    const { problems } = parseNotificationConfig(data);
    expect(problems.join('\n')).toContain(message);
  });

  it('does not use a trigger whose key has a problem, nor one that sends a refused template', () => {
    const parsed = parseNotificationConfig({
      'trigger.on-sync-failed': 'nope: [',
      'trigger.on-custom': "- when: app.a == 'x'\n  send: [broken]",
      'template.broken': 'message: "{{ .a"',
    });
    expect(parsed.config.triggers.has('on-sync-failed')).toBe(false);
    expect(parsed.config.triggers.has('on-custom')).toBe(false);
    expect(parsed.config.templates.has('broken')).toBe(false);
    expect(parsed.refusedTriggers.get('on-custom')).toContain('template.broken has a problem');
    expect(parsed.problems).toHaveLength(3);
  });

  it('drops a built-in trigger whose default template is refused, and says so', () => {
    const parsed = parseNotificationConfig({ 'template.app-on-deployed': 'message: "{{"' });
    expect(parsed.config.triggers.has('on-deployed')).toBe(false);
    expect(parsed.problems).toContain('built-in trigger on-deployed: it sends template "app-on-deployed", but template.app-on-deployed has a problem; the trigger is not used');
  });

  it('records refused services for subscriptions to say why', () => {
    const parsed = parseNotificationConfig({ 'service.webhook.h': 'headers: []' });
    expect(parsed.refusedServices.get('h')).toContain('url is required');
  });
});
