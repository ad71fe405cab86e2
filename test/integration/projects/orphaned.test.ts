// Orphaned resources on the real control plane: with its project's orphanedResources.warn, an app
// whose destination namespace holds a ConfigMap no app manages shows it in an
// OrphanedResourceWarning condition (with a Warning Event), never its own objects nor what
// Kubernetes creates in every namespace; adding the ConfigMap to the ignore entries removes it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy } from '../support/capstan.js';
import { createNamespace, eventually, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { applyProject } from './support.js';

const s = new Scenario('projorphans', { intervalMs: 600_000 });
const destination = s.destination(uniqueName('orphans'));

beforeAll(async () => {
  await s.setUp();
  await createNamespace(s.kc, destination);
  await s.kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: destination, body: { metadata: { name: 'stray' }, data: { left: 'behind' } } });
  s.repo.write('app/settings.yaml', configMap('settings'));
  s.repo.commit('settings');
}, 120_000);
afterAll(async () => {
  await s.tearDown();
}, 120_000);

const warningOf = (app: Application) => app.status?.conditions?.find((c) => c.type === 'OrphanedResourceWarning');
const spec = (ignore: { kind: string; name: string }[]) => ({
  sourceRepos: ['*'], destinations: [{ server: '*', namespace: destination }], orphanedResources: { warn: true, ignore },
});

describe('orphanedResources with warn: true', () => {
  it('names the unmanaged ConfigMap of the destination namespace until an ignore entry matches it', async () => {
    applyProject(s.namespace, 'watching', spec([]));
    await s.apps.create('watched', { repoURL: s.repo.url, path: 'app', destinationNamespace: destination, syncOptions: [], extraSpec: { project: 'watching' } });
    const app = await s.apps.waitFor('watched', 'Synced with an orphaned resource warning', (a) => isSyncedHealthy(a) && warningOf(a) !== undefined);
    const warning = warningOf(app);
    expect(warning).toMatchObject({ status: 'True', reason: 'OrphanedResources' });
    expect(warning?.message).toContain(`1 orphaned resource in namespace ${destination}: ConfigMap stray`);
    expect(warning?.message).not.toContain('settings');
    expect(warning?.message).not.toContain('kube-root-ca.crt');
    const event = await eventually('a Warning Event OrphanedResourceWarning', async () =>
      (await s.apps.events('watched')).find((e) => e.type === 'Warning' && e.reason === 'OrphanedResourceWarning'));
    expect(event.message).toContain('ConfigMap stray');

    applyProject(s.namespace, 'watching', spec([{ kind: 'ConfigMap', name: 'stray' }]));
    await s.apps.waitFor('watched', 'no orphaned resource warning once stray is ignored', (a) => isSyncedHealthy(a) && warningOf(a) === undefined);
  }, 120_000);
});
