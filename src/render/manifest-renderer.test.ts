// End to end with the real pinned kustomize, helm, jsonnet and jsonnet-deps: without them these tests fail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { ApplicationSource } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import { toolsDir } from '../../tools/versions.js';
import { localManifestRenderer, type ManifestRenderer, type SourceRenderRequest } from './manifest-renderer.js';
import type { SerializedRender } from './serialized.js';
import { TempTrees, realTools, type TreeEntry } from './testing/tools.js';

const trees = new TempTrees('capstan-manifest-renderer-test');
let renderer: ManifestRenderer;

beforeAll(() => {
  // localManifestRenderer finds the tools in CAPSTAN_TOOLS_DIR: the pinned ones, built if need be.
  process.env.CAPSTAN_TOOLS_DIR = toolsDir();
  realTools('kustomize', 'helm', 'jsonnet', 'jsonnet-deps');
  renderer = localManifestRenderer();
});

afterAll(async () => {
  await renderer.close();
  await trees.remove();
});

const doc = (value: unknown): string => yaml.dump(value);
const configMap = (name: string, data: Record<string, string> = {}): string => doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

type Source = Pick<ApplicationSource, 'path' | 'directory' | 'kustomize' | 'helm'>;

function render(repoRoot: string, source: Source, release = { releaseName: 'rel', namespace: 'team-ns' }): Promise<SerializedRender> {
  const request: SourceRenderRequest = {
    repoRoot, source,
    helm: { ...release, capabilities: () => Promise.resolve({ kubeVersion: 'v1.31.4', apiVersions: ['v1', 'apps/v1', 'example.com/v1/Widget'] }) },
    buildEnv: { ARGOCD_APP_NAME: 'web' },
  };
  return renderer.render(request);
}

function objectsOf(result: SerializedRender): KubeObject[] {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return result.objects.map((t) => JSON.parse(t) as KubeObject);
}

function errorsOf(result: SerializedRender): ReadonlyArray<{ code: string; file: string; message: string }> {
  if (result.ok) throw new Error(`render succeeded: ${result.objects.join('\n')}`);
  return result.errors;
}

const named = (objects: KubeObject[], kind: string, name: string): KubeObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind} ${o.metadata.name ?? ''}`).join(', ')}`);
  return found;
};

type Spec = Record<string, unknown>;
const spec = (o: KubeObject): Spec => (o as unknown as { spec: Spec }).spec;
const dataOf = (o: KubeObject): Record<string, string> => (o as unknown as { data: Record<string, string> }).data;

describe('ManifestRenderer: Kustomize', () => {
  const base: Record<string, TreeEntry> = {
    'base/kustomization.yaml': doc({ resources: ['deploy.yaml', 'service.yaml'] }),
    'base/deploy.yaml': doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.0' }] } } } }),
    'base/service.yaml': doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
    'components/monitoring/kustomization.yaml': doc({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: ['cm.yaml'] }),
    'components/monitoring/cm.yaml': configMap('monitoring', { scrape: 'true' }),
    'overlays/prod/kustomization.yaml': doc({ resources: ['../../base'], patches: [{ path: 'more-replicas.yaml' }] }),
    'overlays/prod/more-replicas.yaml': doc({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }),
  };

  it('builds an overlay with the app\'s options written into its kustomization, leaving the repository as it was', async () => {
    const root = await trees.make(base);
    const before = await readFile(path.join(root, 'overlays/prod/kustomization.yaml'), 'utf8');
    const result = await render(root, {
      path: 'overlays/prod',
      kustomize: {
        namePrefix: 'prod-', nameSuffix: '-v1', namespace: 'prod',
        images: ['nginx=registry.example/nginx:2.0'],
        commonLabels: { team: 'web' }, commonAnnotations: { owner: 'platform' },
        replicas: [{ name: 'web', count: '3' }],
        patches: [{ target: { kind: 'Service' }, patch: '[{"op": "add", "path": "/metadata/annotations/patched", "value": "yes"}]' }],
        components: ['../../components/monitoring', '../../components/missing'], ignoreMissingComponents: true,
      },
    });
    expect(result.sourceType).toBe('Kustomize');
    const objects = objectsOf(result);
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`).sort()).toEqual(['ConfigMap prod/prod-monitoring-v1', 'Deployment prod/prod-web-v1', 'Service prod/prod-web-v1']);
    const deployment = named(objects, 'Deployment', 'prod-web-v1');
    expect(deployment.metadata.labels).toEqual({ team: 'web' });
    expect(deployment.metadata.annotations).toEqual({ owner: 'platform' });
    expect(spec(deployment).replicas).toBe(3);
    expect(spec(deployment).selector).toEqual({ matchLabels: { app: 'web', team: 'web' } });
    expect(JSON.stringify(spec(deployment).template)).toContain('"image":"registry.example/nginx:2.0"');
    expect(named(objects, 'Service', 'prod-web-v1').metadata.annotations).toEqual({ owner: 'platform', patched: 'yes' });
    expect(await readFile(path.join(root, 'overlays/prod/kustomization.yaml'), 'utf8')).toBe(before);
  });

  it('builds a kustomization as it is when the app sets no options', async () => {
    const objects = objectsOf(await render(await trees.make(base), { path: 'overlays/prod' }));
    expect(spec(named(objects, 'Deployment', 'web')).replicas).toBe(2);
  });

  it('refuses a malformed image override without running kustomize', async () => {
    const result = await render(await trees.make(base), { path: 'overlays/prod', kustomize: { images: ['nginx'] } });
    expect(errorsOf(result)).toEqual([{ code: 'InvalidOption', file: 'overlays/prod', message: expect.stringContaining('source.kustomize: image override "nginx" sets no new name') }]);
  });

  it('refuses a kustomization whose output declares the same object twice', async () => {
    const hpa = (version: string): unknown => ({ apiVersion: `autoscaling/${version}`, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { maxReplicas: 2, scaleTargetRef: { kind: 'Deployment', name: 'web' } } });
    // kustomize tells the two apart by version; Capstan, like the API server, does not.
    const root = await trees.make({ 'app/kustomization.yaml': doc({ resources: ['hpa.yaml'] }), 'app/hpa.yaml': `${doc(hpa('v1'))}---\n${doc(hpa('v2'))}` });
    const result = await render(root, { path: 'app' });
    expect(result.sourceType).toBe('Kustomize');
    expect(errorsOf(result)).toEqual([{ code: 'DuplicateObject', file: 'app', message: 'autoscaling/v2 HorizontalPodAutoscaler web is declared twice in app' }]);
  });

  it('says what kustomize said when it fails', async () => {
    const root = await trees.make({ 'app/kustomization.yaml': doc({ resources: ['missing.yaml'] }) });
    const [error, ...rest] = errorsOf(await render(root, { path: 'app' }));
    expect(rest).toEqual([]);
    expect(error?.code).toBe('ToolFailed');
    expect(error?.file).toBe('app');
    expect(error?.message).toMatch(/^kustomize build exited with code 1: Error: accumulating resources: .*missing\.yaml/);
  });

  it('refuses a reference out of the repository before kustomize runs', async () => {
    const dir = await trees.make({ 'outside/secret.yaml': configMap('secret'), 'repo/app/kustomization.yaml': doc({ resources: ['../../outside/secret.yaml'] }) });
    expect(errorsOf(await render(path.join(dir, 'repo'), { path: 'app' }))).toEqual([
      { code: 'PathEscapesRepository', file: 'app/kustomization.yaml', message: 'refers to "../../outside/secret.yaml", which is outside the repository' },
    ]);
  });
});

describe('ManifestRenderer: Helm', () => {
  const template = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-config',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  greeting: {{ .Values.greeting | quote }}',
    '  colour: {{ .Values.colour | quote }}',
    '  fromValues: {{ .Values.fromValues | default "none" | quote }}',
    '  fromObject: {{ .Values.fromObject | default "none" | quote }}',
    '  num: {{ .Values.num | quote }}',
    '  numKind: {{ kindOf .Values.num | quote }}',
    '  list: {{ .Values.list | quote }}',
    '  cfg: {{ .Values.cfg | quote }}',
    '  kube: {{ .Capabilities.KubeVersion.Version | quote }}',
    '  widgets: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}',
    '',
  ].join('\n');
  const crd = doc({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } });
  const chart: Record<string, TreeEntry> = {
    'charts/greeter/Chart.yaml': doc({ apiVersion: 'v2', name: 'greeter', version: '0.1.0' }),
    'charts/greeter/values.yaml': doc({ greeting: 'hello', colour: 'blue', num: 1, list: 'none', cfg: 'none' }),
    'charts/greeter/values-prod.yaml': doc({ greeting: 'hello from prod' }),
    'charts/greeter/files/cfg.txt': 'from a file',
    'charts/greeter/crds/widget.yaml': crd,
    'charts/greeter/templates/cm.yaml': template,
  };

  it('renders a chart with values files, inline values, parameters and file parameters, for the release and namespace', async () => {
    const result = await render(await trees.make(chart), {
      path: 'charts/greeter',
      helm: {
        valueFiles: ['values-prod.yaml'],
        values: 'fromValues: yes\ncolour: from-values\n',
        parameters: [{ name: 'num', value: '7', forceString: true }, { name: 'list', value: 'a,b' }],
        fileParameters: [{ name: 'cfg', path: 'files/cfg.txt' }],
      },
    }, { releaseName: 'greeter', namespace: 'prod' });
    expect(result.sourceType).toBe('Helm');
    const objects = objectsOf(result);
    const cm = named(objects, 'ConfigMap', 'greeter-config');
    expect(cm.metadata.namespace).toBe('prod');
    expect(dataOf(cm)).toEqual({
      greeting: 'hello from prod', colour: 'from-values', fromValues: 'true', fromObject: 'none',
      num: '7', numKind: 'string', list: 'a,b', cfg: 'from a file', kube: 'v1.31.4', widgets: 'true',
    });
  });

  it('takes valuesObject in place of values', async () => {
    const result = await render(await trees.make(chart), {
      path: 'charts/greeter',
      helm: { values: 'fromValues: yes\ncolour: from-values\n', valuesObject: { fromObject: 'yes-object' }, parameters: [{ name: 'num', value: '7' }] },
    });
    const data = dataOf(named(objectsOf(result), 'ConfigMap', 'rel-config'));
    expect(data).toMatchObject({ colour: 'blue', fromValues: 'none', fromObject: 'yes-object', num: '7', numKind: 'int64' });
  });

  it('includes the chart\'s CRDs unless skipCrds', async () => {
    const root = await trees.make(chart);
    const kinds = async (skipCrds: boolean): Promise<string[]> => objectsOf(await render(root, { path: 'charts/greeter', helm: { skipCrds } })).map((o) => o.kind).sort();
    expect(await kinds(false)).toEqual(['ConfigMap', 'CustomResourceDefinition']);
    expect(await kinds(true)).toEqual(['ConfigMap']);
  });

  it('is detected by its Chart.yaml', async () => {
    const result = await render(await trees.make(chart), { path: 'charts/greeter' });
    expect(result.sourceType).toBe('Helm');
    expect(dataOf(named(objectsOf(result), 'ConfigMap', 'rel-config')).greeting).toBe('hello');
  });

  const lib = (from: string): Record<string, string> => ({
    'Chart.yaml': doc({ apiVersion: 'v2', name: 'lib', version: '0.1.0' }),
    'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-lib\ndata:\n  from: ${from}\n`,
  });
  const prefixed = (prefix: string, files: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(files).map(([k, v]) => [`${prefix}/${k}`, v]));
  const web = {
    'apps/web/Chart.yaml': doc({ apiVersion: 'v2', name: 'web', version: '0.1.0', dependencies: [{ name: 'lib', version: '0.1.0', repository: 'file://../lib' }] }),
    'apps/web/templates/cm.yaml': configMap('web'),
    ...prefixed('apps/lib', lib('built')),
  };

  it('renders a chart with its local dependency as vendored in charts/', async () => {
    const root = await trees.make({ ...web, ...prefixed('apps/web/charts/lib', lib('vendored')) });
    const objects = objectsOf(await render(root, { path: 'apps/web' }));
    expect(objects.map((o) => o.metadata.name).sort()).toEqual(['rel-lib', 'web']);
    expect(dataOf(named(objects, 'ConfigMap', 'rel-lib'))).toEqual({ from: 'vendored' });
  });

  it('builds a local dependency that is not in charts/, in the working copy only', async () => {
    const root = await trees.make(web);
    const objects = objectsOf(await render(root, { path: 'apps/web' }));
    expect(dataOf(named(objects, 'ConfigMap', 'rel-lib'))).toEqual({ from: 'built' });
    expect(existsSync(path.join(root, 'apps/web/charts'))).toBe(false);
  });

  it('never reaches the API server: lookup finds nothing, even with the controller\'s kubeconfig and in-cluster variables set', async () => {
    const root = await trees.make({
      'chart/Chart.yaml': doc({ apiVersion: 'v2', name: 'looker', version: '0.1.0' }),
      'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: looked\ndata:\n  namespaces: {{ lookup "v1" "Namespace" "" "" | len | quote }}\n  secret: {{ lookup "v1" "Secret" "kube-system" "any" | len | quote }}\n',
    });
    const saved = { KUBECONFIG: process.env.KUBECONFIG, KUBERNETES_SERVICE_HOST: process.env.KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT: process.env.KUBERNETES_SERVICE_PORT };
    Object.assign(process.env, { KUBECONFIG: '/root/.kube/config', KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '6443' });
    try {
      expect(objectsOf(await render(root, { path: 'chart' })).map((o) => o.data)).toEqual([{ namespaces: '0', secret: '0' }]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = v;
      }
    }
  });

  it('says what helm said when the chart fails', async () => {
    const root = await trees.make({ 'chart/Chart.yaml': doc({ apiVersion: 'v2', name: 'bad', version: '0.1.0' }), 'chart/templates/cm.yaml': '{{ fail "the chart refuses this release" }}\n' });
    const [error, ...rest] = errorsOf(await render(root, { path: 'chart' }));
    expect(rest).toEqual([]);
    expect(error?.code).toBe('ToolFailed');
    expect(error?.file).toBe('chart');
    expect(error?.message).toMatch(/^helm template exited with code 1: .*the chart refuses this release/);
  });

  it('refuses a missing values file unless ignoreMissingValueFiles, and values that are not a mapping', async () => {
    const root = await trees.make(chart);
    expect(errorsOf(await render(root, { path: 'charts/greeter', helm: { valueFiles: ['values-nope.yaml'] } }))).toEqual([
      { code: 'InvalidOption', file: 'charts/greeter/values-nope.yaml', message: 'valueFiles "values-nope.yaml" does not exist in the repository (set ignoreMissingValueFiles to go on without it)' },
    ]);
    expect(objectsOf(await render(root, { path: 'charts/greeter', helm: { valueFiles: ['values-nope.yaml', 'values-prod.yaml'], ignoreMissingValueFiles: true } })).length).toBe(2);
    expect(errorsOf(await render(root, { path: 'charts/greeter', helm: { values: '- a\n- b\n' } }))).toEqual([{ code: 'InvalidOption', file: 'charts/greeter', message: 'helm.values must be a mapping of values' }]);
  });

  it('refuses a values file out of the repository before helm runs', async () => {
    const result = await render(await trees.make(chart), { path: 'charts/greeter', helm: { valueFiles: ['../../../etc/passwd'] } });
    expect(errorsOf(result)).toEqual([{ code: 'PathEscapesRepository', file: 'charts/greeter', message: 'valueFiles "../../../etc/passwd" is outside the repository' }]);
  });
});

describe('ManifestRenderer: Directory', () => {
  it('reads the YAML files and evaluates the .jsonnet files of a directory together', async () => {
    const root = await trees.make({
      'dir/a.yaml': configMap('a'),
      'dir/main.jsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { app: std.extVar('app') } }",
      'dir/notes.txt': 'not a manifest',
    });
    const result = await render(root, { path: 'dir', directory: { jsonnet: { extVars: [{ name: 'app', value: '$ARGOCD_APP_NAME' }] } } });
    expect(result.sourceType).toBe('Directory');
    const objects = objectsOf(result);
    expect(objects.map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(dataOf(named(objects, 'ConfigMap', 'b'))).toEqual({ app: 'web' });
    expect(result.ok && [...result.files].sort()).toEqual(['dir/a.yaml', 'dir/main.jsonnet']);
  });

  it('refuses an object declared in both a YAML file and a .jsonnet file', async () => {
    const root = await trees.make({ 'dir/a.yaml': configMap('same'), 'dir/b.jsonnet': "{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } }" });
    expect(errorsOf(await render(root, { path: 'dir' }))).toEqual([{ code: 'DuplicateObject', file: 'dir/b.jsonnet', message: 'v1 ConfigMap same is declared in both dir/a.yaml and dir/b.jsonnet' }]);
  });

  it('reads a directory without .jsonnet files without running a tool', async () => {
    const result = await render(await trees.make({ 'dir/a.yaml': configMap('a') }), { path: 'dir' });
    expect(objectsOf(result).map((o) => o.metadata.name)).toEqual(['a']);
  });
});
