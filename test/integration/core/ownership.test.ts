// An object declared by two apps stays with the first (the second reports SharedResource);
// objects Capstan did not create are never pruned; an object whose tracking id names an
// Application that does not exist (a leftover, or planted by someone who may create ConfigMaps)
// stops the app with OrphanedOwner instead of silently running with the planted content; an
// object Capstan adopted (it existed untracked) is managed but never pruned or deleted.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, readyCondition } from '../support/capstan.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('ownership', { intervalMs: 2_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

describe('ownership', () => {
  it('lets the first app keep a shared object; the second reports SharedResource and does not take it over', async () => {
    const dest = s.destination('shared');
    s.repo.write('first/shared.yaml', configMap('shared', { owner: 'first' }));
    s.repo.write('second/shared.yaml', configMap('shared', { owner: 'second' }));
    s.repo.write('second/own.yaml', configMap('second-own'));
    s.repo.commit('two apps, one object');
    await s.apps.create('first', { repoURL: s.repo.url, path: 'first', destinationNamespace: dest });
    await s.apps.waitFor('first', 'Synced', isSyncedHealthy);
    await s.apps.create('second', { repoURL: s.repo.url, path: 'second', destinationNamespace: dest });
    const second = await s.apps.waitFor('second', 'SharedResource', (a) => readyCondition(a)?.reason === 'SharedResource');
    expect(readyCondition(second)?.message).toContain(`ConfigMap/shared (owned by ${s.namespace}/first)`);
    expect(second.status?.resources?.find((r) => r.name === 'shared')).toMatchObject({ status: 'Unknown', message: `owned by Application ${s.namespace}/first` });

    const cm = await core.readNamespacedConfigMap({ name: 'shared', namespace: dest });
    expect(cm.data).toEqual({ owner: 'first' });
    expect(cm.metadata?.annotations?.['capstan.dev/tracking-id']).toBe(`${s.namespace}/first:/ConfigMap:${dest}/shared`);
    // The second app still deploys what is only its own.
    expect((await core.readNamespacedConfigMap({ name: 'second-own', namespace: dest })).metadata?.annotations?.['capstan.dev/tracking-id'])
      .toBe(`${s.namespace}/second:/ConfigMap:${dest}/second-own`);
    const events = await s.apps.events('second');
    expect(events.some((e) => e.type === 'Warning' && e.reason === 'SharedResource')).toBe(true);
  });

  it('never prunes objects that Capstan did not create, even labelled or carrying a copied tracking id', async () => {
    const dest = s.destination('foreign');
    s.repo.write('third/a.yaml', configMap('a'));
    s.repo.write('third/b.yaml', configMap('b'));
    s.repo.commit('third app');
    await s.apps.create('third', { repoURL: s.repo.url, path: 'third', destinationNamespace: dest, automated: { prune: true, selfHeal: true } });
    await s.apps.waitFor('third', 'Synced', isSyncedHealthy);
    const b = await core.readNamespacedConfigMap({ name: 'b', namespace: dest });
    // Made by hand: one unlabelled; one that copies b's label and tracking id (a copy is not b).
    await core.createNamespacedConfigMap({ namespace: dest, body: { metadata: { name: 'by-hand' }, data: { x: '1' } } });
    await core.createNamespacedConfigMap({
      namespace: dest,
      body: { metadata: { name: 'copy-of-b', labels: b.metadata?.labels ?? {}, annotations: { 'capstan.dev/tracking-id': b.metadata?.annotations?.['capstan.dev/tracking-id'] ?? '' } }, data: { x: '2' } },
    });
    s.repo.remove('third/b.yaml');
    const sha = s.repo.commit('drop b');
    await s.apps.waitFor('third', 'b pruned', (a) => a.status?.operationState?.revision === sha && a.status.operationState.phase === 'Succeeded');
    const names = (await core.listNamespacedConfigMap({ namespace: dest })).items.map((c) => c.metadata?.name).sort();
    expect(names).toEqual(['a', 'by-hand', 'copy-of-b', 'kube-root-ca.crt']);
  });

  it('refuses to run with an object planted under the tracking id of an Application that does not exist', async () => {
    const dest = s.destination('squat');
    await core.createNamespace({ body: { metadata: { name: dest } } });
    await core.createNamespacedConfigMap({
      namespace: dest,
      body: { metadata: { name: 'app-config', annotations: { 'capstan.dev/tracking-id': `${s.namespace}/ghost:/ConfigMap:${dest}/app-config` } }, data: { url: 'https://attacker.example' } },
    });
    s.repo.write('squatted/config.yaml', configMap('app-config', { url: 'https://db.internal' }));
    s.repo.write('squatted/other.yaml', configMap('other'));
    s.repo.commit('an app whose config map was planted');
    await s.apps.create('squatted', { repoURL: s.repo.url, path: 'squatted', destinationNamespace: dest });
    const app = await s.apps.waitFor('squatted', 'OrphanedOwner', (a) => readyCondition(a)?.reason === 'OrphanedOwner');
    expect(readyCondition(app)?.message).toContain(`ConfigMap ${dest}/app-config (tracking id of ${s.namespace}/ghost)`);
    expect(app.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'OrphanedOwner' });
    // Nothing was applied: not even the object that is only this app's.
    const names = (await core.listNamespacedConfigMap({ namespace: dest })).items.map((c) => c.metadata?.name).sort();
    expect(names).toEqual(['app-config', 'kube-root-ca.crt']);

    // Removing the planted tracking id lets the app take the object over, with Git's content.
    await core.patchNamespacedConfigMap({ name: 'app-config', namespace: dest, body: [{ op: 'remove', path: '/metadata/annotations/capstan.dev~1tracking-id' }] });
    s.apps.annotate('squatted', { 'capstan.dev/refresh': 'normal' });
    await s.apps.waitFor('squatted', 'Synced after the annotation is removed', isSyncedHealthy);
    expect((await core.readNamespacedConfigMap({ name: 'app-config', namespace: dest })).data).toEqual({ url: 'https://db.internal' });
  });

  it('manages an object it adopted, but neither prunes nor deletes it', async () => {
    const dest = s.destination('adopt');
    await core.createNamespace({ body: { metadata: { name: dest } } });
    await core.createNamespacedConfigMap({ namespace: dest, body: { metadata: { name: 'pre-existing' }, data: { made: 'by hand' } } });
    s.repo.write('adopter/pre-existing.yaml', configMap('pre-existing', { made: 'by git' }));
    s.repo.write('adopter/created.yaml', configMap('created'));
    s.repo.write('adopter/other-adopted.yaml', configMap('other-adopted'));
    await core.createNamespacedConfigMap({ namespace: dest, body: { metadata: { name: 'other-adopted' }, data: { key: 'value' } } });
    s.repo.commit('adopter');
    await s.apps.create('adopter', { repoURL: s.repo.url, path: 'adopter', destinationNamespace: dest, automated: { prune: true, selfHeal: true } });
    await s.apps.waitFor('adopter', 'Synced', isSyncedHealthy);
    const adopted = await core.readNamespacedConfigMap({ name: 'pre-existing', namespace: dest });
    expect(adopted.data).toEqual({ made: 'by git' });
    expect(adopted.metadata?.annotations?.['capstan.dev/adopted']).toBe('true');
    expect((await core.readNamespacedConfigMap({ name: 'created', namespace: dest })).metadata?.annotations?.['capstan.dev/adopted']).toBeUndefined();

    // Git drops an adopted object: it is not pruned (it shows as requiring pruning).
    s.repo.remove('adopter/other-adopted.yaml');
    const sha = s.repo.commit('drop other-adopted');
    await s.apps.waitFor('adopter', 'synced without other-adopted', (a) => a.status?.operationState?.revision === sha && a.status.operationState.phase === 'Succeeded');
    expect((await core.readNamespacedConfigMap({ name: 'other-adopted', namespace: dest })).data).toEqual({ key: 'value' });

    // Deleting the app deletes what it created and keeps, untracked, what it adopted.
    await s.apps.delete('adopter', { wait: true });
    const names = (await core.listNamespacedConfigMap({ namespace: dest })).items.map((c) => c.metadata?.name).sort();
    expect(names).toEqual(['kube-root-ca.crt', 'other-adopted', 'pre-existing']);
    const kept = await core.readNamespacedConfigMap({ name: 'pre-existing', namespace: dest });
    expect(kept.metadata?.annotations?.['capstan.dev/tracking-id']).toBeUndefined();
    const events = await s.apps.events('adopter');
    expect(events.some((e) => e.reason === 'Kept' && e.message?.includes('pre-existing') === true && e.message.includes('adopted'))).toBe(true);
  });
});
