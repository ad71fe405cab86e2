// The EventRecorder against the real API server: repeats of an Event are count bumps that cost
// one PATCH each and no read, objects with 253-character names keep their Events, messages are
// bounded, and the spam filter holds back what passes its burst.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeObject } from '../../../src/api/object.js';
import { EventRecorder } from '../../../src/cluster/events.js';
import { KubeHttp, type Verb } from '../../../src/cluster/http.js';
import { createNamespace, deleteNamespace, testKubeConfig, uniqueName } from '../support/kube.js';

const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('events');
const requests: { verb: Verb; status: number }[] = [];
const http = new KubeHttp(kc, (verb, status) => { requests.push({ verb, status }); });
const errors: unknown[] = [];

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

describe('EventRecorder', () => {
  it('counts repeats with one PATCH each and no GET, and bounds the message', async () => {
    const recorder = new EventRecorder(http, 'capstan-test', (err) => { errors.push(err); });
    const cm = await configMap('repeated');
    requests.length = 0;
    for (let i = 0; i < 5; i++) await recorder.record(cm, 'Warning', 'RenderError', `f.yaml: ${'A'.repeat(100_000)}`);
    expect(errors).toEqual([]);
    const [event, ...others] = await eventsOf('repeated');
    expect(others).toEqual([]);
    expect(event?.count).toBe(5);
    expect(event?.message?.length).toBeLessThanOrEqual(1024);
    expect(event?.message).toMatch(/^f\.yaml: A+… \(\d+ more characters\)$/);
    expect(requests.map((r) => r.verb)).toEqual(['create', 'patch', 'patch', 'patch', 'patch']);
  });

  it('a recorder that does not remember the Event (after a restart) reads its count once', async () => {
    const cm = await configMap('restarted');
    await new EventRecorder(http, 'capstan-test').record(cm, 'Normal', 'Synced', 'synced to abc');
    const fresh = new EventRecorder(http, 'capstan-test', (err) => { errors.push(err); });
    await fresh.record(cm, 'Normal', 'Synced', 'synced to abc');
    await fresh.record(cm, 'Normal', 'Synced', 'synced to abc');
    expect(errors).toEqual([]);
    expect((await eventsOf('restarted')).map((e) => e.count)).toEqual([3]);
  });

  it('records Events of an object whose name has 253 characters', async () => {
    const name = `${'a'.repeat(120)}.${'b'.repeat(132)}`;
    expect(name).toHaveLength(253);
    const cm = await configMap(name);
    await new EventRecorder(http, 'capstan-test', (err) => { errors.push(err); }).record(cm, 'Normal', 'Synced', 'synced');
    expect(errors).toEqual([]);
    const [event] = await eventsOf(name);
    expect(event?.metadata.name?.length).toBeLessThanOrEqual(253);
    expect(event?.involvedObject.name).toBe(name);
  });

  it('holds back Events past the burst of one object and reason; other reasons still go out', async () => {
    const dropped: string[] = [];
    const recorder = new EventRecorder(http, 'capstan-test', (err) => { errors.push(err); }, { spam: { burst: 3 }, onDropped: (reason) => dropped.push(reason) });
    const cm = await configMap('flooded');
    for (let i = 0; i < 10; i++) await recorder.record(cm, 'Normal', 'DriftCorrected', `restored ${i}`);
    await recorder.record(cm, 'Normal', 'Synced', 'synced');
    expect(errors).toEqual([]);
    const events = await eventsOf('flooded');
    expect(events.filter((e) => e.reason === 'DriftCorrected')).toHaveLength(3);
    expect(events.filter((e) => e.reason === 'Synced')).toHaveLength(1);
    expect(dropped).toEqual(Array.from({ length: 7 }, () => 'DriftCorrected'));
  });
});
