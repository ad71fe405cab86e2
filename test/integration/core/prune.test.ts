// Acceptance 4: a file removed from Git is pruned with prune: true, kept and reported with
// prune: false, and never pruned when annotated Prune=false.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('prune', { intervalMs: 2_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

async function configMapNames(namespace: string): Promise<string[]> {
  const list = await core.listNamespacedConfigMap({ namespace });
  return list.items.map((c) => c.metadata?.name ?? '').filter((n) => n !== 'kube-root-ca.crt').sort();
}

describe('prune', () => {
  it('deletes an object whose file was removed when prune is on, but never one annotated Prune=false', async () => {
    const dest = s.destination('prune-on');
    s.repo.write('on/a.yaml', configMap('a'));
    s.repo.write('on/b.yaml', configMap('b'));
    s.repo.write('on/keep.yaml', configMap('keep', { k: 'v' }, { 'capstan.dev/sync-options': 'Prune=false' }));
    const first = s.repo.commit('three config maps');
    await s.apps.create('prune-on', { repoURL: s.repo.url, path: 'on', destinationNamespace: dest, automated: { prune: true }, interval: '2s' });
    await s.apps.waitFor('prune-on', 'Synced', (a) => a.status?.sync?.revision === first && isSyncedHealthy(a));
    expect(await configMapNames(dest)).toEqual(['a', 'b', 'keep']);

    s.repo.remove('on/b.yaml').remove('on/keep.yaml');
    const second = s.repo.commit('drop b and keep');
    const app = await s.apps.waitFor('prune-on', 'b pruned', (a) => a.status?.sync?.revision === second && a.status.operationState?.revision === second);
    await eventually('b to be gone', async () => ((await configMapNames(dest)).includes('b') ? undefined : true));
    expect(await configMapNames(dest)).toEqual(['a', 'keep']);
    const pruned = app.status?.operationState?.resources?.filter((r) => r.action === 'pruned').map((r) => r.name);
    expect(pruned).toEqual(['b']);
    const keep = app.status?.resources?.find((r) => r.name === 'keep');
    expect(keep).toMatchObject({ kind: 'ConfigMap', requiresPruning: true, status: 'OutOfSync' });
    const events = await s.apps.events('prune-on');
    expect(events.some((e) => e.reason === 'Pruned' && e.message?.includes('ConfigMap') === true && e.message.includes('/b'))).toBe(true);
  });

  it('keeps the object with prune off, lists it as requiresPruning and reports OutOfSync', async () => {
    const dest = s.destination('prune-off');
    s.repo.write('off/a.yaml', configMap('a'));
    s.repo.write('off/b.yaml', configMap('b'));
    const first = s.repo.commit('two config maps');
    await s.apps.create('prune-off', { repoURL: s.repo.url, path: 'off', destinationNamespace: dest, automated: { prune: false }, interval: '2s' });
    await s.apps.waitFor('prune-off', 'Synced', (a) => a.status?.sync?.revision === first && isSyncedHealthy(a));

    s.repo.remove('off/b.yaml');
    const second = s.repo.commit('drop b');
    const app = await s.apps.waitFor('prune-off', 'OutOfSync with b requiring pruning',
      (a) => a.status?.sync?.revision === second && a.status.sync.status === 'OutOfSync');
    expect(app.status?.resources?.find((r) => r.name === 'b')).toMatchObject({ requiresPruning: true, status: 'OutOfSync' });
    expect(app.status?.conditions?.find((c) => c.type === 'Ready')?.message).toContain('requires pruning: ConfigMap/b');
    expect(await configMapNames(dest)).toEqual(['a', 'b']);
  });
});
