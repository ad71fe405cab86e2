// Correctness issue, acceptance 2 and "accept only what is implemented": a spec that uses a
// field or value Capstan does not implement is refused with InvalidSpec (Stalled, a Warning
// Event, the field named) and nothing is applied; fixing the spec lets the app sync.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy, kubectl, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('invalidspec', { intervalMs: 600_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  s.repo.write('app/settings.yaml', configMap('settings', { colour: 'blue' }));
  s.repo.commit('one config map');
});
afterAll(async () => {
  await s.tearDown();
});

async function namespaceExists(name: string): Promise<boolean> {
  return core.readNamespace({ name }).then(() => true, () => false);
}

async function expectRefused(name: string, fieldText: string, reason = 'InvalidSpec'): Promise<Application> {
  const app = await s.apps.waitFor(name, `Ready=False ${reason}`, (a) => readyCondition(a)?.reason === reason);
  expect(readyCondition(app)?.message).toContain(fieldText);
  expect(app.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason });
  expect(app.status?.sync?.status).toBe('Unknown');
  const warning = await eventually(`a Warning Event ${reason}`, async () => (await s.apps.events(name)).find((e) => e.type === 'Warning' && e.reason === reason));
  expect(warning.message).toContain(fieldText);
  return app;
}

describe('accept only what is implemented', () => {
  it('an app whose destination.server names no registered cluster reports ClusterNotFound and creates nothing', async () => {
    const dest = s.destination('elsewhere');
    await s.apps.create('elsewhere', {
      repoURL: s.repo.url, path: 'app', destinationNamespace: dest,
      extraSpec: { destination: { server: 'https://prod.example.invalid:6443', namespace: dest } },
    });
    await expectRefused('elsewhere', 'spec.destination server https://prod.example.invalid:6443 names no cluster', 'ClusterNotFound');
    // CreateNamespace=true is set, yet nothing was created anywhere.
    expect(await namespaceExists(dest)).toBe(false);
    const tracked = kubectl('get', 'configmaps', '-A', '-l', 'app.capstan.dev/managed-by=capstan', '-o', 'jsonpath={range .items[*]}{.metadata.annotations.capstan\\.dev/tracking-id}{"\\n"}{end}');
    expect(tracked).not.toContain(`${s.namespace}/elsewhere:`);

    // The in-cluster spellings are accepted: the app then syncs.
    s.apps.patchSpec('elsewhere', { destination: { server: 'https://kubernetes.default.svc', namespace: dest } });
    await s.apps.waitFor('elsewhere', 'Synced once the destination is this cluster', isSyncedHealthy);
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: dest })).data).toEqual({ colour: 'blue' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a destination server that is no URL', { destination: { server: 'prod:6443', namespace: 'x' } }, 'spec.destination.server "prod:6443" is not an http(s):// URL'],
    ['a helm option Capstan lacks', { source: { repoURL: 'file:///nowhere', path: 'app', helm: { passCredentials: true } } }, 'spec.source.helm.passCredentials is not supported yet (passing credentials to other hosts)'],
    ['a kustomize version', { source: { repoURL: 'file:///nowhere', path: 'app', kustomize: { version: 'v4.5.7' } } }, 'spec.source.kustomize.version is not supported yet (choosing a kustomize version)'],
    ['a chart with a path', { source: { repoURL: 'https://charts.example', chart: 'web', path: 'charts/web', targetRevision: '1.0.0' } }, 'spec.source.path is not used with spec.source.chart'],
    ['a named source', { source: null, sources: [{ repoURL: 'file:///nowhere', path: 'a', name: 'web' }] }, 'spec.sources[0].name is not supported yet (named sources)'],
    ['two source types at once', { source: { repoURL: 'file:///nowhere', path: 'app', helm: {}, kustomize: {} } }, 'spec.source names more than one source type (kustomize, helm)'],
    ['an unknown sync option', { syncPolicy: { syncOptions: ['Frobnicate=true'] } }, 'Frobnicate is not a sync option Capstan supports'],
    ['a misspelt field', { syncPolicy: { automated: { prune: true, selfheal: true } } }, 'spec.syncPolicy.automated.selfheal is not a field Capstan knows'],
  ])('refuses %s by name', async (_what, extraSpec, fieldText) => {
    const name = `refused-${Math.random().toString(36).slice(2, 8)}`;
    const dest = s.destination('refused');
    await s.apps.create(name, { repoURL: s.repo.url, path: 'app', destinationNamespace: dest, extraSpec });
    await expectRefused(name, fieldText);
    expect(await namespaceExists(dest)).toBe(false);
  });
});
