import { describe, expect, it } from '@jest/globals';
import { Command, CommanderError } from 'commander';
import type { SourceRenderRequest } from '../../render/manifest-renderer.js';
import { defaultApiVersions, defaultKubeVersion } from './capabilities.js';
import { addRenderOptions, type RenderCommandFlags } from './flags.js';
import { renderRequest, type RenderedApp, type RequestInput } from './request.js';
import type { RenderSource } from './source-flags.js';

/** The flags commander makes of `capstan render ARGS`, as the command gets them. */
function parseFlags(args: readonly string[]): RenderCommandFlags {
  let parsed: RenderCommandFlags | undefined;
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  addRenderOptions(program.command('render').argument('[path]')).action((_path: string | undefined, flags: RenderCommandFlags) => {
    parsed = flags;
  });
  program.parse(['node', 'capstan', 'render', ...args]);
  if (parsed === undefined) throw new Error('the command did not run');
  return parsed;
}

const dirApp: RenderedApp = { name: 'web', repoURL: '', revision: '' };

function request(args: readonly string[], input: Partial<RequestInput> = {}): SourceRenderRequest {
  const built = renderRequest({ app: dirApp, source: { path: 'apps/web' }, repoRoot: '/repo', ...input, flags: parseFlags(args) });
  if (!built.ok) throw new Error(built.message);
  return built.request;
}

function refusal(args: readonly string[], source: RenderSource = { path: '.' }): string {
  const built = renderRequest({ app: dirApp, source, repoRoot: '/repo', flags: parseFlags(args) });
  if (built.ok) throw new Error('the request was built');
  return built.message;
}

describe('capstan render flags as a render request', () => {
  it('with no flags names no type (the directory decides), releases the chart as the directory and asks the default cluster', async () => {
    const r = request([]);
    expect(r.source).toEqual({ path: 'apps/web' });
    expect(r.repoRoot).toBe('/repo');
    expect(r.chartArchive).toBeUndefined();
    expect({ releaseName: r.helm.releaseName, namespace: r.helm.namespace }).toEqual({ releaseName: 'web', namespace: 'default' });
    expect(await r.helm.capabilities()).toEqual({ kubeVersion: defaultKubeVersion, apiVersions: defaultApiVersions });
    expect(r.buildEnv).toEqual({
      ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: '', ARGOCD_APP_REVISION: '', ARGOCD_APP_REVISION_SHORT: '',
      ARGOCD_APP_SOURCE_REPO_URL: '', ARGOCD_APP_SOURCE_PATH: 'apps/web', ARGOCD_APP_SOURCE_TARGET_REVISION: 'HEAD',
    });
  });

  it('maps the helm flags onto helm options, repeatable ones in order, and the release and cluster onto the context', async () => {
    const r = request([
      '--helm-values', 'values-prod.yaml', '--helm-values', '/repo/shared/values.yaml', '--helm-values', '/elsewhere/v.yaml',
      '--helm-set', 'image.tag=1.2=3', '--helm-set-string', 'port=8080', '--helm-set', 'replicas=3',
      '--helm-release', 'site', '--namespace', 'web', '--kube-version', 'v1.30.2', '--api-versions', 'monitoring.coreos.com/v1', '--api-versions', 'v1',
    ]);
    expect(r.source.helm).toEqual({
      // An absolute path inside the repository is one from its root; any other is left to be refused.
      valueFiles: ['values-prod.yaml', '/shared/values.yaml', '/elsewhere/v.yaml'],
      parameters: [{ name: 'image.tag', value: '1.2=3' }, { name: 'replicas', value: '3' }, { name: 'port', value: '8080', forceString: true }],
    });
    expect({ releaseName: r.helm.releaseName, namespace: r.helm.namespace }).toEqual({ releaseName: 'site', namespace: 'web' });
    expect(await r.helm.capabilities()).toEqual({ kubeVersion: 'v1.30.2', apiVersions: ['monitoring.coreos.com/v1', 'v1'] });
    expect(r.buildEnv?.ARGOCD_APP_NAMESPACE).toBe('web');
  });

  it('maps the kustomize flags onto kustomize options', () => {
    const r = request(['--kustomize-image', 'nginx=nginx:2', '--kustomize-image', 'redis:7', '--kustomize-name-prefix', 'prod-', '--kustomize-namespace', 'shop']);
    expect(r.source.kustomize).toEqual({ images: ['nginx=nginx:2', 'redis:7'], namePrefix: 'prod-', namespace: 'shop' });
    expect(r.source.helm).toBeUndefined();
    expect(r.source.directory).toBeUndefined();
  });

  it('maps the directory and jsonnet flags onto directory options; libs are relative to the repository root', () => {
    const r = request([
      '--recurse', '--include', '*.jsonnet', '--jsonnet-tla', 'name=web', '--jsonnet-tla-code', 'replicas=2+1',
      '--jsonnet-ext-str', 'env=prod', '--jsonnet-ext-code', 'debug=false', '--jsonnet-lib', 'vendor', '--jsonnet-lib', '/repo/lib/k8s',
    ]);
    expect(r.source.directory).toEqual({
      recurse: true, include: '*.jsonnet',
      jsonnet: {
        tlas: [{ name: 'name', value: 'web' }, { name: 'replicas', value: '2+1', code: true }],
        extVars: [{ name: 'env', value: 'prod' }, { name: 'debug', value: 'false', code: true }],
        libs: ['vendor', 'lib/k8s'],
      },
    });
  });

  it("lays the flags over an app's own options: lists extended, values and same-named variables replaced", async () => {
    const app: RenderedApp = { name: 'shop', namespace: 'prod', repoURL: 'https://git.example/shop.git', targetRevision: 'main', revision: '0123456789abcdef' };
    const helm = request(['--helm-values', 'extra.yaml', '--helm-set', 'b=2', '--kube-version', 'v1.31.0'], {
      app, source: { path: 'chart', helm: { releaseName: 'store', valueFiles: ['base.yaml'], parameters: [{ name: 'a', value: '1' }], kubeVersion: 'v1.20.0', skipCrds: true } },
    });
    expect(helm.source.helm).toEqual({ releaseName: 'store', valueFiles: ['base.yaml', 'extra.yaml'], parameters: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }], kubeVersion: 'v1.31.0', skipCrds: true });
    expect({ releaseName: helm.helm.releaseName, namespace: helm.helm.namespace }).toEqual({ releaseName: 'store', namespace: 'prod' });
    expect(helm.buildEnv).toMatchObject({ ARGOCD_APP_NAME: 'shop', ARGOCD_APP_NAMESPACE: 'prod', ARGOCD_APP_REVISION_SHORT: '0123456', ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example/shop.git', ARGOCD_APP_SOURCE_TARGET_REVISION: 'main' });
    expect(await helm.helm.capabilities()).toEqual({ kubeVersion: 'v1.31.0', apiVersions: defaultApiVersions });
    const kustomize = request(['--kustomize-image', 'b:2', '--kustomize-name-prefix', 'new-'], { source: { path: '.', kustomize: { images: ['a:1'], namePrefix: 'old-', nameSuffix: '-x' } } });
    expect(kustomize.source.kustomize).toEqual({ images: ['a:1', 'b:2'], namePrefix: 'new-', nameSuffix: '-x' });
    const jsonnet = request(['--jsonnet-tla', 'name=new', '--exclude', 'x.yaml'], { source: { path: '.', directory: { recurse: true, jsonnet: { tlas: [{ name: 'name', value: 'old' }, { name: 'keep', value: 'k' }], libs: ['lib'] } } } });
    expect(jsonnet.source.directory).toEqual({ recurse: true, exclude: 'x.yaml', jsonnet: { tlas: [{ name: 'keep', value: 'k' }, { name: 'name', value: 'new' }], libs: ['lib'] } });
  });

  it('renders a chart of a chart repository from its archive, under its name, with the flags', () => {
    const r = request(['--helm-set', 'replicaCount=2', '--helm-values', 'values-small.yaml'], {
      app: { name: 'web', namespace: 'apps', repoURL: 'https://charts.example', targetRevision: '1.x', revision: '1.4.0' },
      source: { chart: 'nginx', helm: { valuesObject: { a: 1 } } }, repoRoot: '', chartArchive: '/cache/charts/sha256-ab.tgz',
    });
    expect(r).toMatchObject({ repoRoot: '', chartArchive: '/cache/charts/sha256-ab.tgz', source: { path: 'nginx', helm: { valuesObject: { a: 1 }, valueFiles: ['values-small.yaml'], parameters: [{ name: 'replicaCount', value: '2' }] } } });
    expect(r.buildEnv?.ARGOCD_APP_REVISION).toBe('1.4.0');
    expect(r.helm.namespace).toBe('apps');
  });

  it('refuses options of more than one source type, naming where each comes from', () => {
    expect(refusal(['--recurse', '--helm-set', 'a=1'])).toBe('the options name more than one source type: directory (--recurse), helm (--helm-set); use the options of one');
    expect(refusal(['--kustomize-image', 'a:1'], { path: '.', helm: {} })).toBe('the options name more than one source type: helm (spec.source.helm), kustomize (--kustomize-image); use the options of one');
    expect(refusal(['--jsonnet-tla', 'a=1'], { chart: 'nginx' })).toContain('helm (spec.source.chart), directory (--jsonnet-tla)');
    // The release, namespace and cluster name no type: they go with any.
    expect(renderRequest({ app: dirApp, source: { path: '.', kustomize: {} }, repoRoot: '/repo', flags: parseFlags(['--helm-release', 'x', '--namespace', 'y', '--kube-version', 'v1.30.0', '--api-versions', 'v1']) }).ok).toBe(true);
  });

  it('refuses a NAME=VALUE flag without a name or an =, and a duration that is not one, as usage errors', () => {
    for (const args of [['--helm-set', 'novalue'], ['--jsonnet-tla', '=x'], ['--render-timeout', 'soon'], ['--render-timeout', '0s']]) {
      expect(() => parseFlags(args)).toThrow(CommanderError);
    }
    expect(parseFlags(['--render-timeout', '2m']).renderTimeout).toBe(120_000);
    expect(parseFlags([]).renderTimeout).toBe(90_000);
    expect(parseFlags(['--helm-set', 'a=']).helmSet).toEqual([{ name: 'a', value: '' }]);
  });
});
