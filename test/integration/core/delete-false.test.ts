// Correctness issue, acceptance 3: a PVC marked Delete=false survives deletion of its
// Application; the app's other objects are deleted.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('deletefalse', { intervalMs: 600_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations:
    argocd.argoproj.io/sync-options: Delete=false
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
`;

describe('Delete=false', () => {
  it('keeps the PVC when the Application is deleted, and deletes the rest', async () => {
    const dest = s.destination('keep');
    s.repo.write('keep/pvc.yaml', pvc);
    s.repo.write('keep/app.yaml', `${deployment('web')}---\n${configMap('settings')}`);
    const sha = s.repo.commit('a PVC to keep');
    await s.apps.create('keep', { repoURL: s.repo.url, path: 'keep', destinationNamespace: dest });
    await s.apps.waitFor('keep', 'Synced', (a) => a.status?.sync?.status === 'Synced' && a.status.sync.revision === sha);
    const before = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: dest });

    await s.apps.delete('keep', { wait: true });
    const managed = kubectl('-n', dest, 'get', 'deployment,configmap', '-l', 'app.capstan.dev/managed-by=capstan', '-o', 'name').trim();
    await eventually('the Deployment and ConfigMap to be gone', () => Promise.resolve(
      kubectl('-n', dest, 'get', 'deployment,configmap', '-l', 'app.capstan.dev/managed-by=capstan', '-o', 'name').trim() === '' ? true : undefined), 60_000)
      .catch((err: unknown) => { throw new Error(`${String(err)}; still there: ${managed}`); });
    const after = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: dest });
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.metadata?.deletionTimestamp).toBeUndefined();
    // No longer tracked by the deleted app, so another app may adopt it.
    expect(after.metadata?.annotations?.['capstan.dev/tracking-id']).toBeUndefined();
    expect(after.metadata?.labels?.['app.capstan.dev/managed-by']).toBeUndefined();
  });
});
