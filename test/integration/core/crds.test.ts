// Correctness issue, acceptance 4: one app declares 40 CRDs and one custom resource of each:
// it reaches Synced in one sync (CRDs first, then the CRs once their kinds are served); while
// it syncs, another app's drift is still healed; and once its 40 kinds are watched, the
// controller still heals drift (more than 32 watches never stall other requests).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiextensionsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('crds', { intervalMs: 600_000 });
const count = 40;
const group = `${s.namespace}.capstan.test`;
const gateLabel = `capstan.dev/test-gate-${s.namespace}`;
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
  kubectl('label', 'nodes', '--all', `${gateLabel}-`);
  const ext = s.kc.makeApiClient(ApiextensionsV1Api);
  for (let i = 0; i < count; i++) await ext.deleteCustomResourceDefinition({ name: `gadget${i}s.${group}` }).catch(() => undefined);
});

function crd(i: number): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadget${i}s.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { plural: gadget${i}s, singular: gadget${i}, kind: Gadget${i}, listKind: Gadget${i}List }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer, default: 1 }, colour: { type: string } } }
`;
}

const customResource = (i: number): string =>
  `apiVersion: ${group}/v1\nkind: Gadget${i}\nmetadata:\n  name: g${i}\nspec:\n  colour: teal\n`;

/** Changes the ConfigMap behind the controller's back and waits until it is put back. */
async function driftAndHeal(namespace: string, value: string): Promise<void> {
  kubectl('-n', namespace, 'patch', 'configmap', 'settings', '--type', 'merge', '-p', JSON.stringify({ data: { colour: value } }));
  await eventually(`drift ${value} to be healed`, async () =>
    ((await core.readNamespacedConfigMap({ name: 'settings', namespace })).data?.['colour'] === 'blue' ? true : undefined), 30_000);
}

describe('an app that ships its CRDs with their custom resources', () => {
  it('syncs 40 CRDs and their CRs in one go, and other apps keep being healed meanwhile', async () => {
    const other = s.destination('crds-other');
    s.repo.write('other/settings.yaml', configMap('settings', { colour: 'blue' }));
    for (let i = 0; i < count; i++) s.repo.write(`gadgets/crd-${i}.yaml`, crd(i)).write(`gadgets/gadget-${i}.yaml`, customResource(i));
    // Wave 1 stays unhealthy until the test opens the gate, so the sync is seen running.
    s.repo.write('gadgets/gate.yaml', deployment('gate', { annotations: { 'capstan.dev/sync-wave': '1' } })
      .replace('    spec:\n      containers:', `    spec:\n      nodeSelector:\n        ${gateLabel}: open\n      containers:`));
    s.repo.write('gadgets/after.yaml', configMap('after', { wave: '2' }, { 'capstan.dev/sync-wave': '2' }));
    const sha = s.repo.commit('40 CRDs with their CRs');
    await s.apps.create('other', { repoURL: s.repo.url, path: 'other', destinationNamespace: other });
    await s.apps.waitFor('other', 'Synced', isSyncedHealthy);

    const dest = s.destination('crds');
    await s.apps.create('gadgets', { repoURL: s.repo.url, path: 'gadgets', destinationNamespace: dest });
    await eventually('the 40 custom resources to be applied', () => {
      const listed = kubectl('-n', dest, 'get', `gadget${count - 1}s.${group}`, '-o', 'name', '--ignore-not-found');
      return Promise.resolve(listed.includes(`g${count - 1}`) ? true : undefined);
    }, 120_000);
    const running = await s.apps.mustGet('gadgets');
    expect(running.status?.operationState).toMatchObject({ phase: 'Running', revision: sha });
    await driftAndHeal(other, 'red');
    expect((await s.apps.mustGet('gadgets')).status?.operationState?.phase).toBe('Running');

    kubectl('label', '--overwrite', 'nodes', '--all', `${gateLabel}=open`);
    const synced = await s.apps.waitFor('gadgets', 'Synced and Healthy', (a) => isSyncedHealthy(a) && a.status?.operationState?.phase === 'Succeeded', 120_000);
    expect(synced.status?.operationState?.revision).toBe(sha);
    expect(synced.status?.history).toHaveLength(1);
    expect(synced.status?.resources?.filter((r) => r.group === group)).toHaveLength(count);
    for (let i = 0; i < count; i++) {
      expect(kubectl('-n', dest, 'get', `gadget${i}s.${group}`, `g${i}`, '-o', 'jsonpath={.spec.size}/{.spec.colour}')).toBe('1/teal');
    }
    expect(kubectl('-n', dest, 'get', 'configmap', 'after', '-o', 'jsonpath={.data.wave}')).toBe('2');

    // The app's 40 kinds are now watched too; the controller still answers at once.
    s.apps.annotate('gadgets', { 'capstan.dev/refresh': 'normal' });
    const refreshed = await s.apps.waitFor('gadgets', 'refresh handled', (a) => a.metadata.annotations?.['capstan.dev/refresh'] === undefined);
    expect(refreshed.status?.sync?.status).toBe('Synced');
    expect(refreshed.status?.managedKinds?.filter((k) => k.group === group)).toHaveLength(count);
    await driftAndHeal(other, 'green');
  });
});
