// Objects in the controller's own namespace (its ServiceAccount, token and Deployment live there)
// are refused: ProtectedNamespace (Stalled, a Warning Event naming them) and nothing applied,
// whether Git names the namespace, the destination is that namespace, or Git declares it as a
// Namespace object. Removing the object from Git lets the app sync.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('protectns', { intervalMs: 600_000, protectOwnNamespace: true });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

async function configMapNames(namespace: string): Promise<string[]> {
  const list = await core.listNamespacedConfigMap({ namespace }).catch(() => ({ items: [] }));
  return list.items.map((c) => c.metadata?.name ?? '').filter((n) => n !== 'kube-root-ca.crt').sort();
}

async function expectRefused(name: string, named: string): Promise<void> {
  const app = await s.apps.waitFor(name, 'ProtectedNamespace', (a) => readyCondition(a)?.reason === 'ProtectedNamespace');
  expect(readyCondition(app)?.message).toContain(named);
  expect(readyCondition(app)?.message).toContain('--allow-own-namespace');
  expect(app.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'ProtectedNamespace' });
  const warning = await eventually('a Warning Event ProtectedNamespace', async () =>
    (await s.apps.events(name)).find((e) => e.type === 'Warning' && e.reason === 'ProtectedNamespace'));
  expect(warning.message).toContain(named);
}

describe("the controller's own namespace", () => {
  it('refuses an object Git places there, applies nothing else, and syncs once Git drops it', async () => {
    const dest = s.destination('protect-dest');
    s.repo.write('intrude/own.yaml', configMap('planted').replace('metadata:\n', `metadata:\n  namespace: ${s.namespace}\n`));
    s.repo.write('intrude/dest.yaml', configMap('innocent'));
    s.repo.commit('an object in the controller namespace');
    await s.apps.create('intrude', { repoURL: s.repo.url, path: 'intrude', destinationNamespace: dest });
    await expectRefused('intrude', `ConfigMap ${s.namespace}/planted`);
    expect(await configMapNames(s.namespace)).toEqual([]);
    expect(await configMapNames(dest)).toEqual([]);

    s.repo.remove('intrude/own.yaml');
    s.repo.commit('only the destination');
    s.apps.annotate('intrude', { 'capstan.dev/refresh': 'normal' });
    await s.apps.waitFor('intrude', 'Synced once Git drops the object', isSyncedHealthy);
    expect(await configMapNames(dest)).toEqual(['innocent']);
  });

  it('refuses a destination that is the controller namespace', async () => {
    s.repo.write('plain/settings.yaml', configMap('settings'));
    s.repo.commit('plain');
    await s.apps.create('inside', { repoURL: s.repo.url, path: 'plain', destinationNamespace: s.namespace });
    await expectRefused('inside', `ConfigMap ${s.namespace}/settings`);
    expect(await configMapNames(s.namespace)).toEqual([]);
  });

  it('refuses a Namespace object that is the controller namespace (pruning it would delete the controller)', async () => {
    s.repo.write('ns/namespace.yaml', `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${s.namespace}\n`);
    s.repo.commit('the controller namespace as an object');
    await s.apps.create('claims-ns', { repoURL: s.repo.url, path: 'ns', destinationNamespace: s.destination('protect-ns') });
    await expectRefused('claims-ns', `Namespace/${s.namespace}`);
    const ns = await core.readNamespace({ name: s.namespace });
    expect(ns.metadata?.annotations?.['capstan.dev/tracking-id']).toBeUndefined();
  });

  it('refuses a hook Git places there: a Job in the controller namespace would run with what lives there', async () => {
    s.repo.write('hook/migrate.json', JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: s.namespace, annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    }));
    s.repo.write('hook/settings.yaml', configMap('settings'));
    s.repo.commit('a hook in the controller namespace');
    const dest = s.destination('protect-hook');
    await s.apps.create('hook', { repoURL: s.repo.url, path: 'hook', destinationNamespace: dest });
    await expectRefused('hook', `Job ${s.namespace}/migrate`);
    const jobs = await s.kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: s.namespace });
    expect(jobs.items).toEqual([]);
    expect(await configMapNames(dest)).toEqual([]);
  });
});
