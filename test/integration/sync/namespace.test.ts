// CreateNamespace=true with managedNamespaceMetadata: the destination namespace is created with
// the labels and annotations the app names, and they follow the spec on the next sync; labels
// others put on the namespace are kept.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('nsmeta', { intervalMs: 600_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

describe('managedNamespaceMetadata', () => {
  it('creates the namespace with its labels and annotations and keeps them as the spec says', async () => {
    const dest = s.destination('nsmeta');
    s.repo.write('ns/settings.yaml', configMap('settings'));
    s.repo.commit('settings');
    await s.apps.create('ns', {
      repoURL: s.repo.url, path: 'ns', destinationNamespace: dest,
      extraSpec: { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { team: 'payments' }, annotations: { 'example.com/owner': 'alice' } } } },
    });
    await s.apps.waitFor('ns', 'Synced', (a) => a.status?.sync?.status === 'Synced' && a.status.operationState?.phase === 'Succeeded');
    const created = await core.readNamespace({ name: dest });
    expect(created.metadata?.labels?.['team']).toBe('payments');
    expect(created.metadata?.annotations?.['example.com/owner']).toBe('alice');

    kubectl('label', 'namespace', dest, 'other=kept');
    s.apps.patchSpec('ns', { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { team: 'billing' }, annotations: null } } });
    await eventually('the namespace labels to follow the spec', async () => {
      const ns = await core.readNamespace({ name: dest });
      return ns.metadata?.labels?.['team'] === 'billing' && ns.metadata.annotations?.['example.com/owner'] === undefined ? ns : undefined;
    }, 60_000);
    expect((await core.readNamespace({ name: dest })).metadata?.labels?.['other']).toBe('kept');
  });
});
