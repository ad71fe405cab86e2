// Acceptance 9: a synced app stays Synced over further refreshes with zero writes: the only
// change a refresh leaves is the removal of its own annotation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import type { Application, ApplicationStatus } from '../../../src/api/application.js';
import { isSyncedHealthy, kubectl, kubectlApply, waitForCrdsEstablished } from '../support/capstan.js';
import { configMap, deployment, secret, service } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { eventCounts, handledRefresh, settled } from '../support/settle.js';

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
  await waitForCrdsEstablished(crdName);
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

/** Everything the controller could write for the app. */
interface Picture {
  readonly status: ApplicationStatus | undefined;
  readonly metadata: Pick<Application['metadata'], 'generation' | 'labels' | 'annotations' | 'finalizers'>;
  /** Managed objects: kind/name → resourceVersion. */
  readonly objects: Record<string, string>;
  /** The app's Events: name → count. */
  readonly events: Record<string, number>;
}

async function picture(dest: string): Promise<Picture> {
  const app = await s.apps.mustGet('steady');
  const { generation, labels, annotations, finalizers } = app.metadata;
  return {
    status: app.status,
    metadata: { generation, labels, annotations, finalizers },
    objects: resourceVersions(dest),
    events: eventCounts(await s.apps.events('steady')),
  };
}

describe('no sync loops', () => {
  it('stays Synced over 3 refreshes without writing anything but the removal of the refresh annotation', async () => {
    const dest = s.destination('steady');
    s.repo.write('steady/web.yaml', `${deployment('web', { replicas: 2 })}---\n${service('web')}`);
    s.repo.write('steady/config.yaml', configMap('config', { a: '1', b: 'two' }));
    s.repo.write('steady/secret.yaml', secret('creds', { username: 'admin', password: 'sécret ✓' }));
    s.repo.write('steady/gadget.yaml', 'apiVersion: noloops.capstan.dev/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec:\n  colour: teal\n');
    s.repo.commit('steady state');
    await s.apps.create('steady', { repoURL: s.repo.url, path: 'steady', destinationNamespace: dest, interval: '10m' });
    const synced = await s.apps.waitFor('steady', 'Synced and Healthy', isSyncedHealthy, 90_000);
    expect(synced.status?.resources).toHaveLength(5);
    // The rollout and the controller have come to rest: one handled refresh changed nothing.
    const before = await settled(s.apps, 'steady', () => picture(dest));
    expect(kubectl('-n', dest, 'get', 'gadget', 'g1', '-o', 'jsonpath={.spec.size}')).toBe('1');
    expect(Object.keys(before.objects).sort()).toEqual(['ConfigMap/config', 'Deployment/web', 'Gadget/g1', 'Secret/creds', 'Service/web']);
    expect(before.status?.reconciledAt).toBeDefined();
    expect(before.status?.operationState?.phase).toBe('Succeeded');
    expect(Object.keys(before.events).length).toBeGreaterThan(0);

    // Each refresh is a full reconcile: the revision resolved again, every object compared. Each
    // check also covers what the reconcile before it might have written late (an Event, or the
    // reconcile that the removal of the annotation triggers).
    for (let i = 1; i <= 3; i++) {
      await handledRefresh(s.apps, 'steady');
      // Same status (reconciledAt and operationState included), same metadata, same
      // resourceVersions, and no Event created or repeated.
      expect(await picture(dest)).toEqual(before);
    }
    const final = await s.apps.mustGet('steady');
    expect(final.status?.history).toHaveLength(1);
    expect(isSyncedHealthy(final)).toBe(true);
  });
});
