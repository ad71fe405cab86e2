// Field validation: an object with a field its kind does not have is refused, as kubectl and
// Argo CD refuse it (InvalidObject naming the field, nothing applied), never retried as if the
// API server had failed (it answers 500). Server-side apply never drops such a field, so the
// message says that Validate=false does not help.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { kubectl, kubectlApply, readyCondition, waitForCrdsEstablished } from '../support/capstan.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('validate', { intervalMs: 600_000 });
const group = `${s.namespace}.capstan.test`;
let core: CoreV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  custom = s.kc.makeApiClient(CustomObjectsApi);
  kubectlApply({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` },
    spec: {
      group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  });
  await waitForCrdsEstablished(`widgets.${group}`);
});
afterAll(async () => {
  await s.tearDown();
  kubectl('delete', 'crd', `widgets.${group}`, '--ignore-not-found');
});

const widget = (annotations: Record<string, string> = {}): string =>
  JSON.stringify({ apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w', annotations }, spec: { size: 3, colour: 'teal' } });

async function readWidget(namespace: string): Promise<Record<string, unknown> | undefined> {
  return (await custom.getNamespacedCustomObject({ group, version: 'v1', namespace, plural: 'widgets', name: 'w' }).catch(() => undefined)) as Record<string, unknown> | undefined;
}

describe('field validation', () => {
  it('refuses a ConfigMap with a field ConfigMaps do not have: InvalidObject, nothing applied, not retried', async () => {
    const dest = s.destination('validate-cm');
    s.repo.write('cm/cm.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo' }, data: { k: 'v' }, dataa: { k: 'typo' } }));
    s.repo.commit('a typo');
    await s.apps.create('cm', { repoURL: s.repo.url, path: 'cm', destinationNamespace: dest });
    const refused = await s.apps.waitFor('cm', 'InvalidObject', (a) => readyCondition(a)?.reason === 'InvalidObject');
    expect(readyCondition(refused)?.message).toMatch(/\.dataa: field not declared in schema/);
    expect(refused.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'InvalidObject' });
    expect(await core.readNamespacedConfigMap({ name: 'typo', namespace: dest }).catch(() => undefined)).toBeUndefined();
  });

  it('refuses a custom resource with a field its schema does not declare, and says that Validate=false cannot drop it', async () => {
    s.repo.write('strict/w.json', widget());
    s.repo.write('loose/w.json', widget({ 'argocd.argoproj.io/sync-options': 'Validate=false' }));
    s.repo.commit('widgets with an undeclared field');
    for (const name of ['strict', 'loose']) {
      const dest = s.destination(`validate-${name}`);
      await s.apps.create(name, { repoURL: s.repo.url, path: name, destinationNamespace: dest });
      const refused = await s.apps.waitFor(name, 'InvalidObject', (a) => readyCondition(a)?.reason === 'InvalidObject');
      expect(readyCondition(refused)?.message).toMatch(/\.spec\.colour: field not declared in schema/);
      expect(readyCondition(refused)?.message).toContain('Validate=false or not: remove it, or add it to the CRD');
      expect(await readWidget(dest)).toBeUndefined();
    }
  });
});
