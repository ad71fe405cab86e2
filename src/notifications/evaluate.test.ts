import { describe, expect, it } from '@jest/globals';
import { parseNotificationConfig } from './config.js';
import { evaluateNotifications, type Evaluation } from './evaluate.js';
import { parseSubscriptions } from './subscriptions.js';
import { app, nextCommit, synced } from './testing/apps.js';
import type { Application } from '../api/application.js';

const parsed = parseNotificationConfig({
  'service.webhook.hook': 'url: http://127.0.0.1:9/hook\n',
  'service.slack': 'webhookUrl: http://127.0.0.1:9/slack\n',
});
if (parsed.problems.length > 0) throw new Error(parsed.problems.join('\n'));

const subscriptions = parseSubscriptions({
  'capstan.dev/subscribe.on-sync-succeeded.hook': '',
  'notifications.argoproj.io/subscribe.on-sync-failed.slack': '#deploys;#oncall',
  'capstan.dev/subscribe.on-health-degraded.hook': '',
  'capstan.dev/subscribe.on-nothing.hook': '',
}).subscriptions;

function evaluate(a: Application, record: Map<string, string> = new Map(), delivering: (slot: string, outcome: string) => boolean = () => false): Evaluation {
  return evaluateNotifications({ app: a, subscriptions, config: parsed.config, record, delivering });
}

/** Each due notification as `<trigger> <service> <recipient> <outcome>`. */
const dueOf = (e: Evaluation): string[] => e.due.map((d) => `${d.trigger} ${d.service.name} ${d.recipient} ${d.outcome}`.trim());

/** The record once the due notifications were delivered. */
const delivered = (e: Evaluation): Map<string, string> => new Map([...e.record, ...e.due.map((d) => [d.slot, d.outcome] as const)]);

describe('evaluateNotifications', () => {
  it('a succeeded sync is due once per revision, with its template', () => {
    const first = evaluate(synced('Succeeded'));
    expect(dueOf(first)).toEqual([`on-sync-succeeded hook  ${'a'.repeat(40)}`]);
    expect(first.due[0]?.templates.map((t) => t.name)).toEqual(['app-on-sync-succeeded']);
    const record = delivered(first);
    // A self-heal sync of the same revision is not news.
    expect(dueOf(evaluate(synced('Succeeded', { finishedAt: '2026-01-01T00:09:00Z' }), record))).toEqual([]);
    // While the next sync runs, the record is kept; the next revision's success is due.
    const running = evaluate(synced('Running', { revision: nextCommit }), record);
    expect(dueOf(running)).toEqual([]);
    expect(running.record).toEqual(record);
    expect(dueOf(evaluate(synced('Succeeded', { revision: nextCommit }), running.record))).toEqual([`on-sync-succeeded hook  ${nextCommit}`]);
  });

  it('a failure goes to each recipient once, also across retries of the same revision', () => {
    const failed = evaluate(synced('Failed'));
    expect(dueOf(failed)).toEqual([`on-sync-failed slack #deploys ${'a'.repeat(40)}`, `on-sync-failed slack #oncall ${'a'.repeat(40)}`]);
    const record = delivered(failed);
    const retrying = evaluate(synced('Running'), record);
    expect(dueOf(retrying)).toEqual([]);
    expect(dueOf(evaluate(synced('Failed', { finishedAt: '2026-01-01T00:09:00Z' }), retrying.record))).toEqual([]);
  });

  it('a condition that stops holding drops its record: the next time it holds is news again', () => {
    const degraded = synced('Succeeded', { health: 'Degraded' });
    const first = evaluate(degraded);
    expect(dueOf(first)).toContain('on-health-degraded hook');
    const record = delivered(first);
    expect(dueOf(evaluate(degraded, record))).toEqual([]);
    const healthy = evaluate(synced('Succeeded'), record);
    expect([...healthy.record.keys()].some((slot) => slot.startsWith('on-health-degraded'))).toBe(false);
    expect(dueOf(evaluate(degraded, healthy.record))).toContain('on-health-degraded hook');
  });

  it('an outcome being delivered is not due again', () => {
    expect(dueOf(evaluate(synced('Succeeded'), new Map(), () => true))).toEqual([]);
  });

  it('triggers and services the config does not have are left out (they are reported as problems elsewhere)', () => {
    expect(dueOf(evaluate(app({})))).toEqual([]);
  });

  it('slots no longer subscribed are dropped from the record', () => {
    const record = new Map([['on-sync-running:0:hook:', 'x'], ...delivered(evaluate(synced('Succeeded')))]);
    const next = evaluate(synced('Succeeded'), record);
    expect([...next.record.keys()]).toEqual(['on-sync-succeeded:0:hook:']);
  });
});
