// App of apps: a parent Application whose Git declares a child Application (wave 0) and a
// ConfigMap (wave 1). The child's sync waits on a PreSync hook; the parent's wave 1 waits until
// the child is synced and healthy, then goes on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { kubectl } from '../support/capstan.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('appofapps', { intervalMs: 600_000 });
let core: CoreV1Api;
let gate = '';

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  gate = `capstan.dev/test-gate-${s.namespace}`;
});
afterAll(async () => {
  // The child goes with the parent (it is one of the parent's objects).
  await s.tearDown();
  kubectl('label', 'nodes', '--all', `${gate}-`);
});

const op = (a: Application) => a.status?.operationState;

describe('app of apps', () => {
  it("a parent's later wave waits for its child Application to be synced and healthy", async () => {
    const parentDest = s.destination('aoa-parent');
    const childDest = s.destination('aoa-child');
    s.repo.write('child/migrate.json', JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', nodeSelector: { [gate]: 'open' }, containers: [{ name: 'main', image: 'busybox' }] } } },
    }));
    s.repo.write('child/settings.yaml', configMap('child-settings'));
    s.repo.write('parent/child.json', JSON.stringify({
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
      metadata: { name: 'child', namespace: s.namespace, annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
      spec: {
        source: { repoURL: s.repo.url, path: 'child' }, destination: { namespace: childDest },
        syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] }, interval: '10m',
      },
    }));
    s.repo.write('parent/after.yaml', configMap('after', { wave: '1' }, { 'argocd.argoproj.io/sync-wave': '1' }));
    s.repo.commit('a parent with a child app');
    await s.apps.create('parent', { repoURL: s.repo.url, path: 'parent', destinationNamespace: parentDest });

    const waiting = await s.apps.waitFor('parent', 'the parent to wait for its child', (a) => op(a)?.phase === 'Running' && op(a)?.waitingFor?.includes('Application/child') === true, 90_000);
    expect(op(waiting)?.waitingFor).toBe('Application/child to become healthy before Sync wave 1');
    const child = await s.apps.waitFor('child', 'the child to wait on its hook', (a) => op(a)?.phase === 'Running' && op(a)?.syncPhase === 'PreSync');
    expect(child.status?.sync?.status).toBe('OutOfSync');
    expect(await core.readNamespacedConfigMap({ name: 'after', namespace: parentDest }).catch(() => undefined)).toBeUndefined();

    kubectl('label', '--overwrite', 'nodes', '--all', `${gate}=open`);
    await s.apps.waitFor('child', 'the child to be synced', (a) => op(a)?.phase === 'Succeeded' && a.status?.sync?.status === 'Synced', 90_000);
    const parent = await s.apps.waitFor('parent', 'the parent to finish', (a) => op(a)?.phase === 'Succeeded', 90_000);
    expect(parent.status?.resources?.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['Application/child', 'ConfigMap/after']);
    expect(await core.readNamespacedConfigMap({ name: 'after', namespace: parentDest })).toBeDefined();
  });
});
