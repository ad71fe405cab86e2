import { describe, expect, it } from '@jest/globals';
import type { Application } from './application.js';
import { validateSpec } from './validate.js';

function app(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan' },
    spec: { source: { repoURL: 'https://git.example/a.git' }, destination: { namespace: 'a' }, ...spec },
    ...extra,
  };
}

const message = (a: Application): string => {
  const result = validateSpec(a);
  return result.ok ? '' : result.error.message;
};

describe('validateSpec', () => {
  it('accepts every field Capstan implements', () => {
    expect(validateSpec(app({
      project: 'default',
      source: { repoURL: 'https://git.example/a.git', targetRevision: 'main', path: 'app', directory: { recurse: true, include: '*.yaml', exclude: '' } },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'a' },
      syncPolicy: { automated: { prune: true, selfHeal: true, allowEmpty: false }, syncOptions: ['CreateNamespace=true', 'PruneLast=true'], retry: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '1m' } } },
      interval: '1m', revisionHistoryLimit: 3,
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'], jqPathExpressions: ['.spec.paused'], managedFieldsManagers: ['hpa'] }],
    }))).toEqual({ ok: true, value: undefined });
    expect(validateSpec(app({ destination: { name: 'in-cluster', namespace: 'a' } })).ok).toBe(true);
    expect(validateSpec(app({ syncPolicy: { hookTimeout: '2m', syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { team: 'a' }, annotations: { owner: 'x' } } } })).ok).toBe(true);
  });

  it('refuses managedNamespaceMetadata that is not string maps, or without CreateNamespace=true', () => {
    expect(message(app({ syncPolicy: { syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { n: 1 } } } }))).toContain('managedNamespaceMetadata.labels must be a map of strings');
    expect(message(app({ syncPolicy: { managedNamespaceMetadata: { labels: { team: 'a' } } } }))).toContain('needs CreateNamespace=true');
    expect(message(app({ syncPolicy: { syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { finalizers: [] } } }))).toContain('managedNamespaceMetadata.finalizers is not a field Capstan knows');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a server that is no URL', { destination: { server: 'prod:6443' } }, 'spec.destination.server "prod:6443" is not an http(s):// URL of an API server'],
    ['both server and name', { destination: { server: 'https://kubernetes.default.svc', name: 'in-cluster' } }, 'sets both server and name'],
    ['helm and kustomize at once', { source: { repoURL: 'x', helm: {}, kustomize: {} } }, 'spec.source names more than one source type (kustomize, helm)'],
    ['kustomize and a directory option', { source: { repoURL: 'x', kustomize: {}, directory: { recurse: true } } }, 'names more than one source type (kustomize, directory)'],
    ["a kustomize option Capstan lacks", { source: { repoURL: 'x', kustomize: { version: 'v4' } } }, 'spec.source.kustomize.version is not supported yet (choosing a kustomize version)'],
    ['a kustomize typo', { source: { repoURL: 'x', kustomize: { namePrefx: 'a-' } } }, 'spec.source.kustomize.namePrefx is not a field Capstan knows'],
    ['kustomize images that are not strings', { source: { repoURL: 'x', kustomize: { images: [{ name: 'nginx' }] } } }, 'spec.source.kustomize.images must be a list of strings'],
    ['a replica without a count', { source: { repoURL: 'x', kustomize: { replicas: [{ name: 'web' }] } } }, 'spec.source.kustomize.replicas[0].count is required'],
    ['a patch target typo', { source: { repoURL: 'x', kustomize: { patches: [{ patch: 'x', target: { knd: 'Deployment' } }] } } }, 'spec.source.kustomize.patches[0].target.knd is not a field Capstan knows'],
    ['a helm option Capstan lacks', { source: { repoURL: 'x', helm: { passCredentials: true } } }, 'spec.source.helm.passCredentials is not supported yet'],
    ['helm values that are not text', { source: { repoURL: 'x', helm: { values: { a: 1 } } } }, 'spec.source.helm.values must be a string'],
    ['a helm parameter without a name', { source: { repoURL: 'x', helm: { parameters: [{ value: '1' }] } } }, 'spec.source.helm.parameters[0].name is required'],
    ['a helm parameter typo', { source: { repoURL: 'x', helm: { parameters: [{ name: 'a', valu: '1' }] } } }, 'spec.source.helm.parameters[0].valu is not a field Capstan knows'],
    ['a chart with a path', { source: { repoURL: 'x', chart: 'web', path: 'charts/web' } }, 'spec.source.path is not used with spec.source.chart'],
    ['a chart with kustomize options', { source: { repoURL: 'x', chart: 'web', kustomize: {} } }, 'spec.source.kustomize does not apply to a chart from a chart repository'],
    ['an empty chart name', { source: { repoURL: 'x', chart: '' } }, 'spec.source.chart must be a chart name'],
    ['a jsonnet variable without a value', { source: { repoURL: 'x', directory: { jsonnet: { tlas: [{ name: 'a' }] } } } }, 'spec.source.directory.jsonnet.tlas[0].value is required'],
    ['jsonnet libs that are not a list', { source: { repoURL: 'x', directory: { jsonnet: { libs: 'vendor' } } } }, 'spec.source.directory.jsonnet.libs must be a list of strings'],
    ['a jsonnet option typo', { source: { repoURL: 'x', directory: { jsonnet: { extVar: [] } } } }, 'spec.source.directory.jsonnet.extVar is not a field Capstan knows'],
    ['an empty list of sources', { source: undefined, sources: [] }, 'spec.sources must list at least one source'],
    ['both source and sources', { sources: [{ repoURL: 'y' }] }, 'spec sets both source and sources'],
    ['nine sources', { source: undefined, sources: Array.from({ length: 9 }, () => ({ repoURL: 'y' })) }, 'spec.sources lists 9 sources; an app has at most 8'],
    ['a ref twice', { source: undefined, sources: [{ repoURL: 'y', ref: 'v' }, { repoURL: 'z', ref: 'v' }] }, 'spec.sources[1].ref "v" is the ref of an earlier source too'],
    ['a ref that is no name', { source: undefined, sources: [{ repoURL: 'y', ref: 'a/b' }] }, 'spec.sources[0].ref must be a name'],
    ['values of an unknown ref', { source: undefined, sources: [{ repoURL: 'y', path: 'c', helm: { valueFiles: ['$v/x.yaml'] } }] }, 'names $v, but no source of spec.sources has ref: v'],
    ['values of a chart source', { source: undefined, sources: [{ repoURL: 'y', path: 'c', helm: { valueFiles: ['$v/x.yaml'] } }, { repoURL: 'https://charts', chart: 'c', ref: 'v' }] }, 'a chart source; values files come from Git sources'],
    ['$ref values in a single source', { source: { repoURL: 'x', helm: { valueFiles: ['$v/x.yaml'] } } }, 'spec.source.helm.valueFiles "$v/x.yaml" names $v, but no source of spec.sources has ref'],
    ['a source typo in sources', { source: undefined, sources: [{ repoURL: 'y', pth: 'a' }] }, 'spec.sources[0].pth is not a field Capstan knows'],
    ['an unknown sync option', { syncPolicy: { syncOptions: ['Frobnicate=true'] } }, 'spec.syncPolicy.syncOptions: Frobnicate is not a sync option Capstan supports'],
    ['an unsupported value', { syncPolicy: { syncOptions: ['ServerSideApply=false'] } }, 'ServerSideApply=false is not supported'],
    ['a typo', { syncPolicy: { automated: { selfheal: true } } }, 'spec.syncPolicy.automated.selfheal is not a field Capstan knows'],
    ['an unknown top-level field', { colour: 'blue' }, 'spec.colour is not a field Capstan knows'],
  ])('refuses %s, naming it', (_case, spec, expected) => {
    const result = validateSpec(app(spec));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.reason).toBe('InvalidSpec');
    expect(message(app(spec))).toContain(expected);
    expect(message(app(spec))).toMatch(/nothing was applied$/);
  });

  it('accepts the kustomize and helm options it implements, and an empty directory block beside them', () => {
    const kustomize = { namePrefix: 'p-', nameSuffix: '-s', images: ['nginx:1.2'], commonLabels: { a: 'b' }, commonAnnotations: { c: 'd' }, forceCommonLabels: true, forceCommonAnnotations: true, labelWithoutSelector: true, namespace: 'n', replicas: [{ name: 'web', count: 2 }, { name: 'api', count: '3' }], patches: [{ path: 'p.yaml', target: { kind: 'Deployment' } }], components: ['../c'], ignoreMissingComponents: true };
    expect(validateSpec(app({ source: { repoURL: 'x', kustomize } })).ok).toBe(true);
    const helm = { releaseName: 'r', valueFiles: ['v.yaml'], ignoreMissingValueFiles: true, values: 'a: 1', valuesObject: { b: 2 }, parameters: [{ name: 'a', value: '1', forceString: true }], fileParameters: [{ name: 'f', path: 'f.txt' }], namespace: 'n', skipCrds: true, skipTests: true, skipSchemaValidation: true, kubeVersion: '1.30.0', apiVersions: ['v1'] };
    expect(validateSpec(app({ source: { repoURL: 'x', helm, directory: {} } })).ok).toBe(true);
  });

  it("accepts Argo CD's operation field (it is taken as a request, see api/operation.ts)", () => {
    expect(validateSpec(app({}, { operation: { sync: {} } })).ok).toBe(true);
  });

  it('names the first five problems and counts the rest', () => {
    const text = message(app({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }));
    expect(text.match(/is not a field Capstan knows/g)).toHaveLength(5);
    expect(text).toContain('and 2 more');
  });
});
