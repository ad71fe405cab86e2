// Acceptance 10: deleting an Application deletes its objects; removing the finalizer first
// (the documented opt-out) keeps them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { handledRefresh } from '../support/settle.js';

const s = new Scenario('deletion', { intervalMs: 600_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

function managed(namespace: string): string[] {
  return kubectl('-n', namespace, 'get', 'deployment,configmap', '-l', 'app.capstan.dev/managed-by=capstan', '-o', 'name').trim().split('\n').filter((l) => l !== '').sort();
}

describe('deleting an Application', () => {
  it('deletes the objects it manages, then the Application', async () => {
    const dest = s.destination('cascade');
    s.repo.write('cascade/all.yaml', `${deployment('web')}---\n${configMap('settings')}`);
    s.repo.commit('cascade');
    const created = await s.apps.create('cascade', { repoURL: s.repo.url, path: 'cascade', destinationNamespace: dest });
    const app = await s.apps.waitFor('cascade', 'Synced', isSyncedHealthy);
    expect(app.metadata.finalizers).toEqual(['capstan.dev/resources-finalizer']);
    expect(created.metadata.finalizers ?? []).toEqual([]);
    expect(managed(dest)).toEqual(['configmap/settings', 'deployment.apps/web']);
    await s.apps.delete('cascade', { wait: true });
    await eventually('the objects to be gone', () => Promise.resolve(managed(dest).length === 0 ? true : undefined), 30_000);
    // The namespace was created for the app but is not deleted with it.
    await core.readNamespace({ name: dest });
  });

  it('keeps the objects when the finalizer is removed before deleting', async () => {
    const dest = s.destination('orphan');
    const bystanderDest = s.destination('bystander');
    s.repo.write('orphan/all.yaml', `${deployment('web')}---\n${configMap('settings')}`);
    s.repo.write('bystander/settings.yaml', configMap('settings'));
    s.repo.commit('orphan and bystander');
    await s.apps.create('orphan', { repoURL: s.repo.url, path: 'orphan', destinationNamespace: dest });
    await s.apps.create('bystander', { repoURL: s.repo.url, path: 'bystander', destinationNamespace: bystanderDest });
    await s.apps.waitFor('orphan', 'Synced', isSyncedHealthy);
    await s.apps.waitFor('bystander', 'Synced', isSyncedHealthy);
    kubectl('-n', s.namespace, 'patch', 'capp', 'orphan', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
    kubectl('-n', s.namespace, 'delete', 'capp', 'orphan', '--wait=true');
    expect(await s.apps.get('orphan')).toBeUndefined();
    // The controller is done with the deletion: it watches both apps on one stream, so it saw the
    // deletion before this later annotation of another app, whose refresh it then handled.
    await handledRefresh(s.apps, 'bystander');
    expect(managed(dest)).toEqual(['configmap/settings', 'deployment.apps/web']);
  });
});
