import { describe, expect, it } from '@jest/globals';
import { NotificationSettings } from './settings.js';

const argo = { 'service.webhook.hook': 'url: http://127.0.0.1:9/argo\n', 'service.slack': 'webhookUrl: http://127.0.0.1:9/slack\n', context: 'argocdUrl: https://argo.example\n' };

describe('NotificationSettings', () => {
  it("reads a base configuration beneath capstan-config's: capstan-config's keys win, the rest stays", () => {
    const settings = new NotificationSettings(argo);
    expect([...settings.parsed.config.services.keys()].sort()).toEqual(['hook', 'slack']);
    expect(settings.context).toEqual({ argocdUrl: 'https://argo.example' });
    expect(settings.read({ 'service.webhook.hook': 'url: http://127.0.0.1:9/capstan\n' })).toEqual([]);
    const hook = settings.parsed.config.services.get('hook');
    expect(hook?.type === 'webhook' ? hook.url : undefined).toEqual({ literal: 'http://127.0.0.1:9/capstan' });
    expect(settings.parsed.config.services.has('slack')).toBe(true);
    settings.clear();
    const back = settings.parsed.config.services.get('hook');
    expect(back?.type === 'webhook' ? back.url : undefined).toEqual({ literal: 'http://127.0.0.1:9/argo' });
  });

  it('without a base, a cleared configuration has only the built-in triggers and no services', () => {
    const settings = new NotificationSettings();
    settings.read({ 'service.webhook.hook': 'url: http://127.0.0.1:9/x\n' });
    settings.clear();
    expect(settings.parsed.config.services.size).toBe(0);
    expect(settings.parsed.config.triggers.has('on-sync-succeeded')).toBe(true);
  });
});
