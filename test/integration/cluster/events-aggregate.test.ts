// Aggregated Event reasons against the real API server: Events of such a reason are one per
// object, whatever their message, as Kubernetes aggregates similar Events; each repeat bumps the
// count and puts in the latest message, also from a recorder that does not remember the Event.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeObject } from '../../../src/api/object.js';
import { EventRecorder } from '../../../src/cluster/events.js';
import { KubeHttp, type Verb } from '../../../src/cluster/http.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('events-agg');
const requests: Verb[] = [];
const http = new KubeHttp(kc, (verb) => { requests.push(verb); });
const errors: unknown[] = [];
const onError = (err: unknown): void => { errors.push(err); };

async function configMap(name: string): Promise<KubeObject> {
  const created = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name }, data: { k: 'v' } } });
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, uid: created.metadata?.uid ?? '' } };
}

async function eventsOf(name: string) {
  const list = await core.listNamespacedEvent({ namespace: ns, fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

beforeAll(async () => {
  await createNamespace(kc, ns);
});
afterAll(async () => {
  http.close();
  await deleteNamespace(kc, ns);
});

describe('EventRecorder with aggregated reasons', () => {
  it('keeps one Event per object and reason: each repeat is one PATCH of the count and the latest message', async () => {
    const recorder = new EventRecorder(http, 'capstan-test', onError, { aggregateReasons: ['SelfHealBackoff'] });
    const cm = await configMap('fought');
    requests.length = 0;
    for (const delay of ['2s', '4s', '8s']) await recorder.record(cm, 'Warning', 'SelfHealBackoff', `self-heal now waits ${delay}`);
    // Other reasons are still one Event per message.
    await recorder.record(cm, 'Normal', 'Synced', 'synced to abc');
    await recorder.record(cm, 'Normal', 'Synced', 'synced to def');
    expect(errors).toEqual([]);
    const events = await eventsOf('fought');
    const backoff = events.filter((e) => e.reason === 'SelfHealBackoff');
    expect(backoff.map((e) => [e.count, e.message, e.type])).toEqual([[3, 'self-heal now waits 8s', 'Warning']]);
    expect(events.filter((e) => e.reason === 'Synced').map((e) => e.message).sort()).toEqual(['synced to abc', 'synced to def']);
    expect(requests).toEqual(['create', 'patch', 'patch', 'create', 'create']);
  });

  it('a recorder that does not remember the Event (after a restart) reads its count once and puts in its message', async () => {
    const cm = await configMap('restarted');
    await new EventRecorder(http, 'capstan-test', onError, { aggregateReasons: ['SelfHealBackoff'] }).record(cm, 'Warning', 'SelfHealBackoff', 'self-heal now waits 2s');
    const fresh = new EventRecorder(http, 'capstan-test', onError, { aggregateReasons: ['SelfHealBackoff'] });
    await fresh.record(cm, 'Warning', 'SelfHealBackoff', 'self-heal now waits 4s');
    await fresh.record(cm, 'Warning', 'SelfHealBackoff', 'self-heal now waits 8s');
    expect(errors).toEqual([]);
    expect((await eventsOf('restarted')).map((e) => [e.count, e.message])).toEqual([[3, 'self-heal now waits 8s']]);
  });
});
