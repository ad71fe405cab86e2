// Prune=confirm and Delete=confirm against the real control plane, approved with
// `capstan app confirm-prune`: the prune waits in the running sync until approved; deleting the
// app deletes the rest at once and the confirmed object only once approved.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { capstanCli, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('confirm', { intervalMs: 600_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

const exists = async (name: string, namespace: string): Promise<boolean> =>
  (await core.readNamespacedConfigMap({ name, namespace }).catch(() => undefined)) !== undefined;

describe('confirmation before deleting', () => {
  it('Prune=confirm: the sync waits for capstan app confirm-prune, then prunes', async () => {
    const dest = s.destination('confirm-prune');
    s.repo.write('prune/keep.yaml', configMap('keep'));
    s.repo.write('prune/old.yaml', configMap('old', { k: 'v' }, { 'argocd.argoproj.io/sync-options': 'Prune=confirm' }));
    s.repo.commit('two ConfigMaps');
    await s.apps.create('prune', { repoURL: s.repo.url, path: 'prune', destinationNamespace: dest });
    await s.apps.waitFor('prune', 'Synced', (a) => a.status?.sync?.status === 'Synced' && a.status.operationState?.phase === 'Succeeded');
    s.repo.remove('prune/old.yaml');
    s.repo.commit('drop old');
    s.apps.annotate('prune', { 'capstan.dev/refresh': 'normal' });
    const waiting = await s.apps.waitFor('prune', 'the prune to wait for a confirmation', (a) => a.status?.operationState?.waitingFor?.startsWith('confirmation to prune') === true);
    expect(waiting.status?.operationState?.waitingFor).toBe(`confirmation to prune ConfigMap/old (Prune=confirm): capstan app confirm-prune prune`);
    expect(await exists('old', dest)).toBe(true);

    const confirmed = await capstanCli(['app', 'confirm-prune', 'prune', '-n', s.namespace]);
    expect(confirmed).toMatchObject({ code: 0 });
    expect(confirmed.stdout).toContain('confirmation to prune ConfigMap/old');
    await s.apps.waitFor('prune', 'the sync to succeed', (a) => a.status?.operationState?.phase === 'Succeeded' && a.status.sync?.status === 'Synced', 60_000);
    // Pruned with Foreground propagation: the API server's garbage collector removes the object once its finalizer is done.
    await eventually('ConfigMap/old to be gone', async () => ((await exists('old', dest)) ? undefined : true));
    expect(await exists('keep', dest)).toBe(true);
  });

  it('Delete=confirm: deleting the app deletes the rest, and that object once confirmed', async () => {
    const dest = s.destination('confirm-delete');
    s.repo.write('delete/plain.yaml', configMap('plain'));
    s.repo.write('delete/precious.yaml', configMap('precious', { k: 'v' }, { 'argocd.argoproj.io/sync-options': 'Delete=confirm' }));
    s.repo.commit('a precious ConfigMap');
    await s.apps.create('delete', { repoURL: s.repo.url, path: 'delete', destinationNamespace: dest });
    await s.apps.waitFor('delete', 'Synced', (a) => a.status?.sync?.status === 'Synced' && a.status.operationState?.phase === 'Succeeded');
    await s.apps.delete('delete');
    const waiting = await s.apps.waitFor('delete', 'the deletion to wait for a confirmation', (a) => readyCondition(a)?.message.startsWith('waiting for confirmation') === true, 60_000);
    expect(readyCondition(waiting)?.message).toBe('waiting for confirmation to delete ConfigMap/precious (Delete=confirm): capstan app confirm-prune delete');
    expect(await exists('plain', dest)).toBe(false);
    expect(await exists('precious', dest)).toBe(true);

    expect(await capstanCli(['app', 'confirm-prune', 'delete', '-n', s.namespace])).toMatchObject({ code: 0 });
    await eventually('the app to be gone', async () => ((await s.apps.get('delete')) === undefined ? true : undefined), 60_000);
    await eventually('ConfigMap/precious to be gone', async () => ((await exists('precious', dest)) ? undefined : true));
  });
});
