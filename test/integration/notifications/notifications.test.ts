// Notifications against the real control plane (issue 15, acceptance 3): an app subscribed to
// on-sync-succeeded and on-sync-failed through a signed webhook, a Slack-compatible webhook and
// two more receivers on loopback. A success and a failure each POST once to the webhook (the test
// verifies every HMAC signature) and once, in Slack's format, to the Slack receiver; a receiver
// that answers 500 twice gets the message on the third try; a receiver that holds its answer holds
// up nothing (the app's drift is corrected meanwhile); a restarted controller does not tell again
// what it told before, and a retry of a failed sync is not a new failure. A plan that awaits
// approval is told once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { Application } from '../../../src/api/application.js';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { verifySignature } from '../../../src/notifications/signature.js';
import { kubectl, kubectlApply } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { startReceiver, type Receiver, type ReceivedRequest } from '../support/receivers.js';
import { Scenario } from '../support/scenario.js';

const metrics = new ControllerMetrics();
const s = new Scenario('notify', { intervalMs: 600_000, metrics });
const dest = s.destination('notify');
const hmacKey = randomBytes(16).toString('hex');
let hook: Receiver;
let slack: Receiver;
let flaky: Receiver;
let slow: Receiver;
let releaseSlow: () => void = () => undefined;
const slowReleased = new Promise<void>((resolve) => { releaseSlow = resolve; });

/** The JSON bodies a receiver got with the given trigger. */
const bodies = (r: Receiver, trigger: string): Record<string, unknown>[] =>
  r.requests.map((q) => JSON.parse(q.body) as Record<string, unknown>).filter((b) => b.trigger === trigger);
const slackTexts = (): { text: string; channel?: string }[] => slack.requests.map((q) => JSON.parse(q.body) as { text: string; channel?: string });
const op = (a: Application) => a.status?.operationState;

/** A PreSync Job whose pod no node will take: it fails at its one-second deadline. */
const failingHook = JSON.stringify({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
  spec: {
    backoffLimit: 0, activeDeadlineSeconds: 1,
    template: { spec: { restartPolicy: 'Never', nodeSelector: { [`capstan.dev/test-never-${s.namespace}`]: 'open' }, containers: [{ name: 'main', image: 'busybox' }] } },
  },
});

beforeAll(async () => {
  hook = await startReceiver();
  slack = await startReceiver();
  flaky = await startReceiver((_request, index) => (index < 2 ? 500 : 200));
  slow = await startReceiver(async () => { await slowReleased; return 200; });
  await s.setUp();
  kubectlApply({
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'capstan-notifications-secret', namespace: s.namespace },
    stringData: { hmac: hmacKey, 'slack-url': `${slack.url}/services/T0/B0/x` },
  });
  kubectlApply({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: s.namespace },
    data: {
      'service.webhook.hook': `url: ${hook.url}/capstan\nsecret: $hmac\n`,
      'service.slack': 'webhookUrl: $slack-url\n',
      'service.webhook.flaky': `url: ${flaky.url}/flaky\n`,
      'service.webhook.slow': `url: ${slow.url}/slow\n`,
    },
  });
  // Started again, the controller reads the configuration before its first reconcile.
  await s.stopController();
  await s.startController();
});
afterAll(async () => {
  releaseSlow();
  await s.tearDown();
  await Promise.all([hook, slack, flaky, slow].map((r) => r.close()));
});

function signed(request: ReceivedRequest): boolean {
  const header = request.headers['x-capstan-signature'];
  return verifySignature(request.body, hmacKey, typeof header === 'string' ? header : undefined);
}

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, string | number> }[];
  return values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value ?? 0;
}

describe('notifications', () => {
  it('tells each receiver of a success and a failure once, retries a failing one, and never holds up a reconcile', async () => {
    s.repo.write('web/settings.yaml', configMap('settings', { mode: 'blue' }));
    const first = s.repo.commit('settings');
    await s.apps.create('web', {
      repoURL: s.repo.url, path: 'web', destinationNamespace: dest,
      extraSpec: { syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'], retry: { limit: 1, backoff: { duration: '2s' } } } },
    });
    s.apps.annotate('web', {
      'capstan.dev/subscribe.on-sync-succeeded.hook': '',
      'capstan.dev/subscribe.on-sync-failed.hook': '',
      'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': '#deploys',
      'notifications.argoproj.io/subscribe.on-sync-failed.slack': '#deploys',
      'capstan.dev/subscribe.on-sync-succeeded.flaky': '',
      'capstan.dev/subscribe.on-sync-succeeded.slow': '',
    });

    // The success, signed, to the webhook; in Slack's format to the Slack receiver.
    const succeeded = await eventually('the webhook to hear of the success', () => Promise.resolve(bodies(hook, 'on-sync-succeeded')[0]));
    expect(succeeded).toEqual({
      app: 'web', namespace: s.namespace, trigger: 'on-sync-succeeded', revision: first,
      message: `Application web has been successfully synced at revision ${first}.`,
    });
    expect(hook.requests.every(signed)).toBe(true);
    expect(hook.requests[0]).toMatchObject({ method: 'POST', path: '/capstan' });
    expect(hook.requests[0]?.headers['content-type']).toBe('application/json');
    const slackSuccess = await eventually('Slack to hear of the success', () => Promise.resolve(slackTexts()[0]));
    expect(slackSuccess).toEqual({ text: `Application web has been successfully synced at revision ${first}.`, channel: '#deploys' });
    expect(slack.requests[0]?.path).toBe('/services/T0/B0/x');

    // The receiver that answers 500 twice gets it on the third try.
    await eventually('the flaky receiver to take the third try', () => Promise.resolve(flaky.answered() >= 3 ? true : undefined));
    const sent = await eventually('the NotificationSent Event of the flaky receiver', async () =>
      (await s.apps.events('web')).find((e) => e.reason === 'NotificationSent' && e.message?.includes('through flaky') === true));
    expect(sent.message).toBe('on-sync-succeeded through flaky: delivered after 3 tries');
    expect(await counter('capstan_notification_retries_total', { service: 'flaky' })).toBe(2);
    expect(await counter('capstan_notification_deliveries_total', { trigger: 'on-sync-succeeded', service: 'flaky', result: 'delivered' })).toBe(1);

    // While the slow receiver holds its answer, the controller goes on: drift is corrected.
    await eventually('the slow receiver to be asked', () => Promise.resolve(slow.requests.length > 0 ? true : undefined));
    kubectl('-n', dest, 'patch', 'configmap', 'settings', '--type', 'merge', '-p', '{"data":{"mode":"green"}}');
    await eventually('the drift to be corrected', () => Promise.resolve(kubectl('-n', dest, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}') === 'blue' ? true : undefined));
    expect(slow.answered()).toBe(0);
    releaseSlow();
    await eventually('the slow receiver to be told', async () =>
      (await s.apps.events('web')).find((e) => e.reason === 'NotificationSent' && e.message?.startsWith('on-sync-succeeded through slow') === true));

    // What was told is recorded on the app; a restarted controller does not tell it again.
    const recorded = await s.apps.waitFor('web', 'the record of all four deliveries', (a) => {
      const record = JSON.parse(a.metadata.annotations?.['capstan.dev/notified'] ?? '{}') as Record<string, string>;
      return ['hook', 'slack', 'flaky', 'slow'].every((service) => Object.entries(record).some(([slot, outcome]) => slot.includes(`:${service}:`) && outcome === first));
    });
    expect(op(recorded)?.phase).toBe('Succeeded');
    await s.stopController();
    await s.startController();

    // A commit whose PreSync hook fails: told once, also after the retry of the same revision fails.
    s.repo.write('web/migrate.json', failingHook).write('web/settings.yaml', configMap('settings', { mode: 'red' }));
    const failing = s.repo.commit('a failing migration');
    s.apps.annotate('web', { 'capstan.dev/refresh': 'normal' });
    await s.apps.waitFor('web', 'the retry of the failing revision to fail too', (a) => op(a)?.revision === failing && op(a)?.phase === 'Failed' && op(a)?.retryCount === 1, 90_000);
    const failure = await eventually('the webhook to hear of the failure', () => Promise.resolve(bodies(hook, 'on-sync-failed')[0]));
    expect(failure).toMatchObject({ app: 'web', trigger: 'on-sync-failed', revision: failing });
    expect(String(failure.message)).toContain(`The sync of application web at revision ${failing} has failed: PreSync hook Job/migrate failed`);
    await eventually('Slack to hear of the failure', () => Promise.resolve(slackTexts().find((t) => t.text.includes('has failed'))));

    // A good commit after it: its success comes after anything the failure or the restart could have sent again.
    s.repo.remove('web/migrate.json');
    const fixed = s.repo.commit('no migration');
    s.apps.annotate('web', { 'capstan.dev/refresh': 'normal' });
    await eventually('the webhook to hear of the fix', () => Promise.resolve(bodies(hook, 'on-sync-succeeded').find((b) => b.revision === fixed)));
    await eventually('Slack to hear of the fix', () => Promise.resolve(slackTexts().find((t) => t.text.includes(fixed))));
    expect(bodies(hook, 'on-sync-succeeded').map((b) => b.revision)).toEqual([first, fixed]);
    expect(bodies(hook, 'on-sync-failed').map((b) => b.revision)).toEqual([failing]);
    expect(slackTexts().map((t) => t.channel)).toEqual(['#deploys', '#deploys', '#deploys']);
    expect(hook.requests.every(signed)).toBe(true);
    expect(flaky.requests.length).toBe(4);
    expect(bodies(hook, 'on-approval-required')).toEqual([]);
  });

  it('tells that a plan awaits approval, once per plan', async () => {
    s.repo.write('gated/settings.yaml', configMap('gated'));
    const revision = s.repo.commit('a gated app');
    await s.apps.create('gated', {
      repoURL: s.repo.url, path: 'gated', destinationNamespace: dest,
      extraSpec: { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'], approval: { required: true } } },
    });
    s.apps.annotate('gated', { 'capstan.dev/subscribe.on-approval-required.hook': '' });
    const waiting = await s.apps.waitFor('gated', 'the plan to await approval', (a) => a.status?.plan?.state === 'AwaitingApproval');
    const hash = waiting.status?.plan?.hash ?? '';
    const told = await eventually('the webhook to hear of the plan', () => Promise.resolve(bodies(hook, 'on-approval-required')[0]));
    expect(told).toMatchObject({ app: 'gated', trigger: 'on-approval-required', message: `Application gated awaits approval of plan ${hash} for revision ${revision}.` });
    // Reconciled again with the same plan: not told again (the refresh's status write comes before the check).
    s.apps.annotate('gated', { 'capstan.dev/refresh': 'normal' });
    await s.apps.waitFor('gated', 'the refresh to be handled', (a) => a.metadata.annotations?.['capstan.dev/refresh'] === undefined);
    await s.apps.waitFor('gated', 'the record of the notification', (a) => (a.metadata.annotations?.['capstan.dev/notified'] ?? '').includes(hash));
    expect(bodies(hook, 'on-approval-required')).toHaveLength(1);
    expect(slow.requests.length).toBeGreaterThanOrEqual(1);
  });
});
