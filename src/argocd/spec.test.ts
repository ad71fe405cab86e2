import { describe, expect, it } from '@jest/globals';
import { validateSpec } from '../api/validate.js';
import { toCapstanApplication } from './spec.js';
import type { ArgoApplication, ArgoApplicationSpec } from './types.js';

function argoApp(spec: ArgoApplicationSpec, extra: Partial<ArgoApplication> = {}): ArgoApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'guestbook', namespace: 'argocd', uid: '5b8e6c1a-0d3f-4d3e-9a55-0c1e2f3a4b5c', resourceVersion: '4711', generation: 3,
      labels: { team: 'web' }, annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'web' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec,
    ...extra,
  };
}

const destination = { server: 'https://kubernetes.default.svc', namespace: 'guestbook' };

const directoryApp = argoApp({
  project: 'default',
  source: {
    repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'jsonnet-guestbook',
    directory: { recurse: true, exclude: '{config.json,env-*}', jsonnet: { extVars: [{ name: 'env', value: 'prod' }], tlas: [{ name: 'replicas', value: '3', code: true }], libs: ['vendor'] } },
  },
  destination,
  syncPolicy: {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['CreateNamespace=true', 'PruneLast=true', 'ServerSideApply=true'],
    retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
    managedNamespaceMetadata: { labels: { env: 'prod' }, annotations: { owner: 'web' } },
  },
  ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }, { kind: 'ConfigMap', jqPathExpressions: ['.data.generated'], managedFieldsManagers: ['kube-controller-manager'] }],
  revisionHistoryLimit: 3,
});

const kustomizeApp = argoApp({
  project: 'web',
  source: {
    repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'v1.2.0', path: 'kustomize-guestbook',
    kustomize: {
      namePrefix: 'prod-', images: ['gcr.io/heptio-images/ks-guestbook-demo:0.2'], commonLabels: { env: 'prod' }, commonAnnotations: { team: 'web' },
      replicas: [{ name: 'guestbook-ui', count: 3 }], namespace: 'guestbook', components: ['../components/monitoring'],
      patches: [{ target: { kind: 'Deployment', name: 'guestbook-ui' }, patch: '- op: replace\n  path: /spec/template/spec/containers/0/ports/0/containerPort\n  value: 443' }],
    },
  },
  destination: { name: 'in-cluster', namespace: 'guestbook' },
});

const helmApp = argoApp({
  project: '',
  source: {
    repoURL: 'https://charts.bitnami.com/bitnami', chart: 'nginx', targetRevision: '15.*',
    helm: {
      releaseName: 'web', valuesObject: { replicaCount: 2, service: { type: 'ClusterIP' } }, parameters: [{ name: 'image.tag', value: '1.25', forceString: true }],
      skipCrds: true, passCredentials: false,
    },
  },
  destination,
  syncPolicy: { syncOptions: ['Validate=false'] },
});

const multiSourceApp = argoApp({
  project: 'default',
  sources: [
    { repoURL: 'https://charts.example.com', chart: 'api', targetRevision: '1.4.2', helm: { valueFiles: ['$values/api/values-prod.yaml'], ignoreMissingValueFiles: true } },
    { repoURL: 'https://git.example.com/platform/values.git', targetRevision: 'main', ref: 'values' },
    { repoURL: 'https://git.example.com/platform/extra.git', targetRevision: 'main', path: 'extra', plugin: { name: 'envsubst', env: [{ name: 'CLUSTER', value: 'prod' }], parameters: [{ name: 'images', array: ['a', 'b'] }] } },
  ],
  destination,
});

describe('toCapstanApplication', () => {
  it.each([
    ['directory (jsonnet)', directoryApp],
    ['kustomize', kustomizeApp],
    ['helm chart', helmApp],
    ['multi-source', multiSourceApp],
  ])('converts a %s app with nothing unsupported, into a spec Capstan accepts', (_name, argo) => {
    const { app, unsupported } = toCapstanApplication(argo);
    expect(unsupported).toEqual([]);
    expect(validateSpec(app)).toEqual({ ok: true, value: undefined });
  });

  it('keeps the metadata and operation of the Argo CD object, with Capstan apiVersion and kind', () => {
    const operation = { sync: { revision: 'abc', prune: true }, initiatedBy: { username: 'alice' } };
    const { app } = toCapstanApplication({ ...directoryApp, operation });
    expect(app.apiVersion).toBe('capstan.dev/v1alpha1');
    expect(app.kind).toBe('Application');
    expect(app.metadata).toEqual(directoryApp.metadata);
    expect(app['operation']).toEqual(operation);
  });

  it('maps fields of the same meaning one to one', () => {
    const { app } = toCapstanApplication(directoryApp);
    expect(app.spec).toEqual({
      project: 'default',
      source: directoryApp.spec.source,
      destination,
      syncPolicy: directoryApp.spec.syncPolicy,
      ignoreDifferences: directoryApp.spec.ignoreDifferences,
      revisionHistoryLimit: 3,
    });
    expect(toCapstanApplication(multiSourceApp).app.spec.sources).toEqual(multiSourceApp.spec.sources);
  });

  it('drops zero values and what Argo CD itself ignores', () => {
    const { app, unsupported } = toCapstanApplication(argoApp({
      project: '',
      source: { repoURL: 'https://git.example.com/a.git', path: 'ignored' },
      sources: [{ repoURL: 'https://git.example.com/b.git', path: 'app', targetRevision: '', ref: '' }],
      destination,
      syncPolicy: { automated: { prune: true, enabled: false }, managedNamespaceMetadata: { labels: { a: 'b' } }, retry: { limit: 0 } },
    }));
    expect(unsupported).toEqual([]);
    expect(app.spec).toEqual({
      sources: [{ repoURL: 'https://git.example.com/b.git', path: 'app' }],
      destination,
      // automated with enabled: false is off; managedNamespaceMetadata without CreateNamespace=true is ignored; a limit of 0 stays.
      syncPolicy: { retry: { limit: 0 } },
    });
    expect(toCapstanApplication(argoApp({ project: 'default', source: { repoURL: 'https://git.example.com/a.git', path: 'p', ref: 'x' }, destination })).app.spec.source).toEqual({ repoURL: 'https://git.example.com/a.git', path: 'p' });
  });

  it('keeps an empty options block, which names the source type', () => {
    const { app } = toCapstanApplication(argoApp({ project: 'default', source: { repoURL: 'https://git.example.com/a.git', path: 'p', plugin: {} }, destination }));
    expect(app.spec.source).toEqual({ repoURL: 'https://git.example.com/a.git', path: 'p', plugin: {} });
  });

  it('names every field Capstan does not carry out', () => {
    const { unsupported } = toCapstanApplication(argoApp({
      project: 'default',
      sources: [
        { repoURL: 'https://charts.example.com', chart: 'api', name: 'api', helm: { version: 'v3', passCredentials: true } },
        { repoURL: 'https://git.example.com/a.git', path: 'p', tagPrefix: 'api/', directory: { disableExtensionFilter: true } },
        { repoURL: 'https://git.example.com/b.git', path: 'k', kustomize: { version: 'v5', commonAnnotationsEnvsubst: true, labelIncludeTemplates: true, kubeVersion: '1.30', apiVersions: ['x/v1'] } },
      ],
      destination,
      info: [{ name: 'docs', value: 'https://docs.example.com' }],
      sourceHydrator: { drySource: { repoURL: 'https://git.example.com/a.git', targetRevision: 'main', path: 'p' } },
      syncPolicy: { syncOptions: ['ServerSideApply=false', 'Frobnicate=true'], retry: { limit: 2, refresh: true } },
    }));
    expect(unsupported.map((u) => u.path)).toEqual([
      'spec.info',
      'spec.sourceHydrator',
      'spec.sources[0].name',
      'spec.sources[0].helm.version',
      'spec.sources[0].helm.passCredentials',
      'spec.sources[1].tagPrefix',
      'spec.sources[1].directory.disableExtensionFilter',
      'spec.sources[2].kustomize.version',
      'spec.sources[2].kustomize.commonAnnotationsEnvsubst',
      'spec.sources[2].kustomize.labelIncludeTemplates',
      'spec.sources[2].kustomize.kubeVersion',
      'spec.sources[2].kustomize.apiVersions',
      'spec.syncPolicy.syncOptions',
      'spec.syncPolicy.syncOptions',
      'spec.syncPolicy.retry.refresh',
    ]);
    expect(unsupported.every((u) => u.reason !== '')).toBe(true);
    expect(unsupported.filter((u) => u.path === 'spec.syncPolicy.syncOptions').map((u) => u.reason).join('; ')).toMatch(/ServerSideApply=false.*Frobnicate/);
  });

  it('reads the Argo CD status back as the Capstan status', () => {
    const { app } = toCapstanApplication(argoApp(helmApp.spec, { status: { sync: { status: 'Synced', revision: '15.1.0' }, health: { status: 'Healthy' } } }));
    expect(app.status).toEqual({ sync: { status: 'Synced', revision: '15.1.0' }, health: { status: 'Healthy' } });
  });
});
