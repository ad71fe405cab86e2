// Acceptance 6: a manual app waits for a sync token; refresh=hard re-resolves at once; each
// annotation is handled once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy } from '../support/capstan.js';
import { deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { handledRefresh } from '../support/settle.js';

// Polling every 10 minutes: only the annotations can make things happen within the test.
const s = new Scenario('manual', { intervalMs: 600_000 });
let apps: AppsV1Api;

beforeAll(async () => {
  await s.setUp();
  apps = s.kc.makeApiClient(AppsV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

async function deploymentExists(namespace: string, name: string): Promise<boolean> {
  return apps.readNamespacedDeployment({ name, namespace }).then(() => true, () => false);
}

describe('manual sync policy', () => {
  const dest = s.destination('manual');

  it('stays OutOfSync until a sync token is annotated, then syncs and echoes the token', async () => {
    s.repo.write('m/web.yaml', deployment('web'));
    const sha = s.repo.commit('web');
    await s.apps.create('manual', { repoURL: s.repo.url, path: 'm', destinationNamespace: dest, automated: null, interval: '10m' });
    const waiting = await s.apps.waitFor('manual', 'OutOfSync', (a) => a.status?.sync?.status === 'OutOfSync');
    expect(waiting.status?.sync?.revision).toBe(sha);
    expect(waiting.status?.resources?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', status: 'OutOfSync', health: { status: 'Missing' } });
    // A full reconcile later it still waits: nothing applied, no operation started.
    const still = await handledRefresh(s.apps, 'manual');
    expect(still.status?.sync?.status).toBe('OutOfSync');
    expect(still.status?.operationState).toBeUndefined();
    expect(await deploymentExists(dest, 'web')).toBe(false);

    s.apps.annotate('manual', { 'capstan.dev/sync': 'deploy-1' });
    // The annotation is removed right after the status is written: handled means both.
    const synced = await s.apps.waitFor('manual', 'synced by token, the annotation removed', (a) =>
      a.status?.operationState?.syncToken === 'deploy-1' && isSyncedHealthy(a) && a.metadata.annotations?.['capstan.dev/sync'] === undefined);
    expect(synced.status?.operationState).toMatchObject({ phase: 'Succeeded', revision: sha, syncToken: 'deploy-1' });
    expect(synced.metadata.annotations?.['capstan.dev/sync']).toBeUndefined();
    expect(await deploymentExists(dest, 'web')).toBe(true);
    expect(synced.status?.history).toHaveLength(1);
  });

  it('re-resolves at once on refresh=hard and removes the annotation', async () => {
    s.repo.write('m/web.yaml', deployment('web', { replicas: 2 }));
    const next = s.repo.commit('two replicas');
    s.apps.annotate('manual', { 'capstan.dev/refresh': 'hard' });
    const refreshed = await s.apps.waitFor('manual', `revision ${next}, the annotation removed`, (a) =>
      a.status?.sync?.revision === next && a.metadata.annotations?.['capstan.dev/refresh'] === undefined, 15_000);
    expect(refreshed.status?.sync?.status).toBe('OutOfSync');
    expect(refreshed.metadata.annotations?.['capstan.dev/refresh']).toBeUndefined();
    // A manual app does not apply the new revision by itself.
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: dest })).spec?.replicas).toBe(1);

    // Argo CD's spelling is handled the same way.
    s.repo.write('m/web.yaml', deployment('web', { replicas: 3 }));
    const third = s.repo.commit('three replicas');
    s.apps.annotate('manual', { 'argocd.argoproj.io/refresh': 'hard' });
    const byArgoSpelling = await s.apps.waitFor('manual', `revision ${third}, Argo CD's refresh annotation removed`, (a) =>
      a.status?.sync?.revision === third && a.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined, 15_000);
    expect(byArgoSpelling.status?.sync?.status).toBe('OutOfSync');
    s.repo.write('m/web.yaml', deployment('web', { replicas: 2 }));
    const back = s.repo.commit('two replicas again');
    s.apps.annotate('manual', { 'argocd.argoproj.io/refresh': 'normal' });
    await s.apps.waitFor('manual', `revision ${back}`, (a) => a.status?.sync?.revision === back && a.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined, 15_000);
  });

  it('handles each token once: the same token again does nothing, a new one syncs again', async () => {
    const before = await s.apps.mustGet('manual');
    const finishedBefore = before.status?.operationState?.finishedAt;
    s.apps.annotate('manual', { 'capstan.dev/sync': 'deploy-1' });
    await s.apps.waitFor('manual', 'the repeated token to be removed unhandled', (a) => a.metadata.annotations?.['capstan.dev/sync'] === undefined || a.status?.operationState?.finishedAt !== finishedBefore, 15_000);
    const after = await s.apps.mustGet('manual');
    expect(after.status?.operationState?.finishedAt).toBe(finishedBefore);
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: dest })).spec?.replicas).toBe(1);

    s.apps.annotate('manual', { 'capstan.dev/sync': 'deploy-2' });
    const synced = await s.apps.waitFor('manual', 'synced by the second token', (a) => a.status?.operationState?.syncToken === 'deploy-2' && a.status.operationState.phase === 'Succeeded');
    expect(synced.status?.history?.length).toBe(2);
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: dest })).spec?.replicas).toBe(2);
  });
});
