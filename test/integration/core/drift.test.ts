// Acceptance 5: drift in the cluster is reverted by a watch within seconds with selfHeal, and
// only reported without it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { handledRefresh } from '../support/settle.js';

// A poll interval of 10 minutes: anything that happens within seconds is driven by the watch.
const s = new Scenario('drift', { intervalMs: 600_000 });
let apps: AppsV1Api;

beforeAll(async () => {
  await s.setUp();
  apps = s.kc.makeApiClient(AppsV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

describe('drift', () => {
  it('reverts a changed replica count and label within seconds when selfHeal is on', async () => {
    const dest = s.destination('heal');
    s.repo.write('heal/web.yaml', deployment('web', { replicas: 2 }));
    s.repo.commit('web');
    await s.apps.create('heal', { repoURL: s.repo.url, path: 'heal', destinationNamespace: dest, automated: { prune: true, selfHeal: true }, interval: '10m' });
    await s.apps.waitFor('heal', 'Synced and Healthy', isSyncedHealthy);

    kubectl('-n', dest, 'scale', 'deployment/web', '--replicas=5');
    kubectl('-n', dest, 'label', '--overwrite', 'deployment/web', 'app.capstan.dev/managed-by=someone-else');
    await eventually('replicas and label to be restored', async () => {
      const web = await apps.readNamespacedDeployment({ name: 'web', namespace: dest });
      return web.spec?.replicas === 2 && web.metadata?.labels?.['app.capstan.dev/managed-by'] === 'capstan' ? true : undefined;
    }, 15_000, 100);
    const events = await eventually('a DriftCorrected event', async () => {
      const list = await s.apps.events('heal');
      return list.some((e) => e.reason === 'DriftCorrected') ? list : undefined;
    });
    expect(events.find((e) => e.reason === 'DriftCorrected')?.message).toContain('Deployment/web');
  });

  it('reports OutOfSync and names the drifted object without reverting when selfHeal is off', async () => {
    const dest = s.destination('noheal');
    s.repo.write('noheal/web.yaml', deployment('web', { replicas: 1 }));
    s.repo.commit('web');
    await s.apps.create('noheal', { repoURL: s.repo.url, path: 'noheal', destinationNamespace: dest, automated: { prune: true, selfHeal: false }, interval: '10m' });
    await s.apps.waitFor('noheal', 'Synced and Healthy', isSyncedHealthy);

    kubectl('-n', dest, 'scale', 'deployment/web', '--replicas=3');
    const app = await s.apps.waitFor('noheal', 'OutOfSync', (a) => a.status?.sync?.status === 'OutOfSync', 15_000);
    expect(app.status?.resources?.find((r) => r.kind === 'Deployment')).toMatchObject({ name: 'web', status: 'OutOfSync' });
    const ready = app.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready?.reason).toBe('OutOfSync');
    expect(ready?.message).toContain('Deployment/web');
    expect(ready?.message).toContain('spec.replicas');
    // A full reconcile after the drift was reported: it saw the drift again and left it alone.
    const after = await handledRefresh(s.apps, 'noheal');
    expect(after.status?.sync?.status).toBe('OutOfSync');
    expect(after.status?.operationState).toEqual(app.status?.operationState);
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: dest })).spec?.replicas).toBe(3);
  });
});
