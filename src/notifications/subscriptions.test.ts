import { describe, expect, it } from '@jest/globals';
import { parseNotificationConfig } from './config.js';
import { checkSubscriptions, mergeSubscriptions, parseSubscriptions } from './subscriptions.js';

describe('parseSubscriptions', () => {
  it("reads Capstan's and Argo CD's spellings, recipients split at ;", () => {
    const { subscriptions, problems } = parseSubscriptions({
      'capstan.dev/subscribe.on-sync-succeeded.slack': '#deploys; #team ;',
      'notifications.argoproj.io/subscribe.on-sync-failed.receiver': '',
      'capstan.dev/refresh': 'hard',
    });
    expect(problems).toEqual([]);
    expect(subscriptions).toEqual([
      { trigger: 'on-sync-succeeded', service: 'slack', recipients: ['#deploys', '#team'], annotation: 'capstan.dev/subscribe.on-sync-succeeded.slack' },
      { trigger: 'on-sync-failed', service: 'receiver', recipients: [], annotation: 'notifications.argoproj.io/subscribe.on-sync-failed.receiver' },
    ]);
  });

  it('reports annotations it cannot read', () => {
    const { subscriptions, problems } = parseSubscriptions({
      'capstan.dev/subscribe.on-sync-succeeded': '#x',
      'capstan.dev/subscribe.on-sync-succeeded.': '#x',
      'notifications.argoproj.io/subscribe.on-x.a.b': '#x',
      'notifications.argoproj.io/subscriptions': '- trigger: [on-x]',
    });
    expect(subscriptions).toEqual([]);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('capstan.dev/subscribe.on-sync-succeeded: expected capstan.dev/subscribe.<trigger>.<service>');
    expect(problems.join('\n')).toContain('notifications.argoproj.io/subscriptions: Capstan reads one annotation per subscription');
  });

  it('reads no annotations', () => {
    expect(parseSubscriptions(undefined)).toEqual({ subscriptions: [], problems: [] });
  });
});

describe('mergeSubscriptions', () => {
  it("joins the app's and the project's recipients of one trigger and service", () => {
    const app = parseSubscriptions({ 'capstan.dev/subscribe.on-sync-failed.slack': '#a;#b' }).subscriptions;
    const project = parseSubscriptions({ 'notifications.argoproj.io/subscribe.on-sync-failed.slack': '#b;#c', 'capstan.dev/subscribe.on-deployed.github': '' }).subscriptions;
    const merged = mergeSubscriptions(app, project);
    expect(merged.map((s) => [s.trigger, s.service, s.recipients])).toEqual([
      ['on-sync-failed', 'slack', ['#a', '#b', '#c']],
      ['on-deployed', 'github', []],
    ]);
  });
});

describe('checkSubscriptions', () => {
  it('names unknown and refused triggers and services', () => {
    const parsed = parseNotificationConfig({ 'service.slack': 'webhookUrl: https://chat.example', 'service.webhook.broken': 'headers: []' });
    const { subscriptions } = parseSubscriptions({
      'capstan.dev/subscribe.on-sync-failed.slack': '#a',
      'capstan.dev/subscribe.on-nothing.slack': '#a',
      'capstan.dev/subscribe.on-deployed.broken': '',
      'capstan.dev/subscribe.on-deployed.missing': '',
    });
    expect(checkSubscriptions(subscriptions, parsed)).toEqual([
      'capstan.dev/subscribe.on-deployed.broken: service broken is not used (service.webhook.broken: url is required: the URL the webhook posts to)',
      'capstan.dev/subscribe.on-deployed.missing: there is no service missing in capstan-config',
      'capstan.dev/subscribe.on-nothing.slack: there is no trigger on-nothing',
    ]);
  });
});
