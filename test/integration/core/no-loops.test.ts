// Acceptance 9: a synced app stays Synced over further refreshes with zero writes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl, kubectlApply } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment, secret, service } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('noloops', { intervalMs: 600_000 });
const crdName = 'gadgets.noloops.capstan.dev';

beforeAll(async () => {
  await s.setUp();
  // The server defaults spec.size: a defaulted field must not read as a difference.
  kubectlApply({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: crdName },
    spec: {
      group: 'noloops.capstan.dev', scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', default: 1 }, colour: { type: 'string' } } } } } },
      }],
    },
  });
  kubectl('wait', '--for=condition=Established', '--timeout=60s', `crd/${crdName}`);
});
afterAll(async () => {
  await s.tearDown();
  await s.kc.makeApiClient(ApiextensionsV1Api).deleteCustomResourceDefinition({ name: crdName }).catch(() => undefined);
});

function resourceVersions(namespace: string): Record<string, string> {
  const out = kubectl('-n', namespace, 'get', 'deployment,service,configmap,secret,gadgets', '-l', 'app.capstan.dev/managed-by=capstan',
    '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}');
  return Object.fromEntries(out.trim().split('\n').map((l) => l.split('=') as [string, string]));
}

describe('no sync loops', () => {
  it('stays Synced over 3 refreshes without writing to any managed object', async () => {
    const dest = s.destination('steady');
    s.repo.write('steady/web.yaml', `${deployment('web', { replicas: 2 })}---\n${service('web')}`);
    s.repo.write('steady/config.yaml', configMap('config', { a: '1', b: 'two' }));
    s.repo.write('steady/secret.yaml', secret('creds', { username: 'admin', password: 'sécret ✓' }));
    s.repo.write('steady/gadget.yaml', 'apiVersion: noloops.capstan.dev/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n  colour: teal\n');
    s.repo.commit('steady state');
    await s.apps.create('steady', { repoURL: s.repo.url, path: 'steady', destinationNamespace: dest, interval: '10m' });
    const synced = await s.apps.waitFor('steady', 'Synced and Healthy', isSyncedHealthy, 90_000);
    expect(synced.status?.resources).toHaveLength(5);
    // Let the rollout settle, then take the picture.
    await new Promise((r) => setTimeout(r, 2_000));
    const before = resourceVersions(dest);
    expect(kubectl('-n', dest, 'get', 'gadget', 'g1', '-o', 'jsonpath={.spec.size}')).toBe('1');
    expect(Object.keys(before).sort()).toEqual(['ConfigMap/config', 'Deployment/web', 'Gadget/g1', 'Secret/creds', 'Service/web']);
    const operation = (await s.apps.mustGet('steady')).status?.operationState;

    for (let i = 1; i <= 3; i++) {
      const previous = (await s.apps.mustGet('steady')).status?.reconciledAt;
      s.apps.annotate('steady', { 'capstan.dev/refresh': 'normal' });
      const app = await s.apps.waitFor('steady', `refresh ${i} handled`, (a) =>
        a.metadata.annotations?.['capstan.dev/refresh'] === undefined && a.status?.reconciledAt !== previous);
      expect(app.status?.sync?.status).toBe('Synced');
      expect(app.status?.operationState).toEqual(operation);
    }
    await eventually('nothing else to happen', () => Promise.resolve(true));
    expect(resourceVersions(dest)).toEqual(before);
    const final = await s.apps.mustGet('steady');
    expect(final.status?.history).toHaveLength(1);
    expect(isSyncedHealthy(final)).toBe(true);
  });
});
