// Argo CD's own Applications seen as Capstan's (issue 16): against Argo CD's CRDs as the tests
// install them (no status subresource, unknown fields pruned), the store shows an Argo CD
// Application as the Capstan Application the controller reconciles, writes Capstan's status back in
// Argo CD's format (what `kubectl get applications.argoproj.io` shows), and keeps a status write
// from looking like a spec change although the API server bumps metadata.generation for it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Application, ApplicationStatus } from '../../../src/api/application.js';
import { ArgoApplicationStore } from '../../../src/cluster/argo-applications.js';
import { Discovery } from '../../../src/cluster/discovery.js';
import { KubeHttp } from '../../../src/cluster/http.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ResourceClient } from '../../../src/cluster/resources.js';
import { installArgoCdCrds } from '../support/argocd.js';
import { kubectl, kubectlApply } from '../support/capstan.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, testKubeconfigPath, uniqueName } from '../support/kube.js';

const kc = testKubeConfig();
const namespace = uniqueName('argocd');
const revision = 'c'.repeat(40);
let http: KubeHttp;
let store: ArgoApplicationStore;
const seen: string[] = [];

const raw = (name: string): { metadata: { generation: number; annotations?: Record<string, string> }; status?: Record<string, unknown> } =>
  JSON.parse(kubectl('-n', namespace, 'get', 'applications.argoproj.io', name, '-o', 'json')) as { metadata: { generation: number }; status?: Record<string, unknown> };

beforeAll(async () => {
  await installArgoCdCrds();
  await createNamespace(kc, namespace);
  kubectlApply({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example/apps.git', path: 'guestbook', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
    },
  });
  http = new KubeHttp(loadKubeConfig({ kubeconfig: testKubeconfigPath() }));
  const resources = new ResourceClient(http, new Discovery(http));
  store = new ArgoApplicationStore(http, resources, [namespace]);
  await store.start((type, obj) => { seen.push(`${type} ${obj.apiVersion} ${obj.metadata.name ?? ''}`); }, () => undefined);
});
afterAll(async () => {
  await store.stop();
  http.close();
  await deleteNamespace(kc, namespace);
});

describe('ArgoApplicationStore', () => {
  it('shows an Argo CD Application as Capstan\'s and writes its status in Argo CD\'s format', async () => {
    const view = store.get(namespace, 'guestbook');
    expect(view).toMatchObject({
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'guestbook', namespace },
      spec: {
        project: 'default', source: { repoURL: 'https://git.example/apps.git', path: 'guestbook', targetRevision: 'HEAD' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
    expect(seen).toContain(`ADDED capstan.dev/v1alpha1 guestbook`);
    expect(store.unsupported(view as Application)).toEqual([]);
    const generation = view?.metadata.generation ?? 0;
    const before = raw('guestbook').metadata.generation;

    const status: ApplicationStatus = {
      observedGeneration: generation,
      sync: { status: 'Synced', revision },
      health: { status: 'Healthy' },
      reconciledAt: '2026-12-03T10:00:00Z',
      sourceType: 'Directory',
      resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'guestbook', name: 'web', status: 'Synced', health: { status: 'Healthy' } }],
      managedKinds: [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
      operationState: { phase: 'Succeeded', message: 'successfully synced', startedAt: '2026-12-03T09:59:58Z', finishedAt: '2026-12-03T10:00:00Z', revision, initiatedBy: 'automated' },
      history: [{ id: 0, revision, deployedAt: '2026-12-03T10:00:00Z', initiatedBy: 'automated' }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: 'synced', lastTransitionTime: '2026-12-03T10:00:00Z' }],
      plan: { revision, hash: '0123456789abcdef', counts: { create: 0, update: 0, prune: 0, hook: 0 }, items: [] },
    };
    const written = await store.writeStatus(view as Application, status);

    // As Argo CD's tools read it.
    const argo = raw('guestbook');
    expect(argo.status).toMatchObject({
      sync: { status: 'Synced', revision, comparedTo: { source: { repoURL: 'https://git.example/apps.git', path: 'guestbook' }, destination: { namespace: 'guestbook' } } },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded', message: 'successfully synced', syncResult: { revision } },
      history: [{ id: 0, revision }],
      resources: [{ kind: 'Deployment', name: 'web', status: 'Synced' }],
      reconciledAt: '2026-12-03T10:00:00Z',
      sourceType: 'Directory',
    });
    // Fields Argo CD's schema has no place for are not there (the API server prunes them).
    expect(argo.status?.['plan']).toBeUndefined();
    expect(argo.status?.['managedKinds']).toBeUndefined();
    const table = kubectl('-n', namespace, 'get', 'applications.argoproj.io', 'guestbook');
    expect(table).toMatch(/guestbook\s+Synced\s+Healthy/);

    // The API server counted the status write as a new generation; the view did not.
    expect(argo.metadata.generation).toBeGreaterThan(before);
    expect(written.metadata.generation).toBe(generation);
    expect(written.status?.observedGeneration).toBe(generation);
    expect(written.status).toMatchObject({ sync: { status: 'Synced', revision }, health: { status: 'Healthy' }, history: [{ revision }], managedKinds: [{ group: 'apps', version: 'v1', kind: 'Deployment' }] });
    const watched = await eventually('the watch to show the written status', () => {
      const app = store.get(namespace, 'guestbook');
      return Promise.resolve(app?.status?.sync?.status === 'Synced' ? app : undefined);
    });
    expect(watched.metadata.generation).toBe(generation);
    expect(watched.status?.observedGeneration).toBe(generation);

    // A spec change is one.
    kubectl('-n', namespace, 'patch', 'applications.argoproj.io', 'guestbook', '--type', 'merge', '-p', '{"spec":{"source":{"path":"guestbook-v2"}}}');
    const changed = await eventually('the watch to show the new spec', () => {
      const app = store.get(namespace, 'guestbook');
      return Promise.resolve(app?.spec.source?.path === 'guestbook-v2' ? app : undefined);
    });
    expect(changed.metadata.generation).not.toBe(generation);
    expect(changed.status?.observedGeneration).toBe(generation);
  });

  it('names the Argo CD fields Capstan does not carry out', async () => {
    kubectlApply({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'with-info', namespace },
      spec: {
        project: 'default', info: [{ name: 'owner', value: 'team-a' }],
        source: { repoURL: 'https://git.example/apps.git', path: 'guestbook' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      },
    });
    const app = await eventually('the second app to be listed', () => Promise.resolve(store.get(namespace, 'with-info')));
    expect(store.unsupported(app).map((u) => u.path)).toEqual(['spec.info']);
  });
});
