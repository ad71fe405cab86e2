// ManifestRenderer with real plugins: shell scripts run in the tool sandbox on a working copy.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SerializedRender } from '../serialized.js';
import { inProcessRenderer } from '../serialized.js';
import { ManifestRenderer, type SourceRenderRequest } from '../manifest-renderer.js';
import { TempTrees } from '../testing/tools.js';
import { ToolSandbox } from '../tools/sandbox.js';
import { parsePluginConfig, type PluginSet } from './config.js';

const trees = new TempTrees('capstan-plugin-render-test');
afterAll(() => trees.remove());

const buildEnv = {
  ARGOCD_APP_NAME: 'guestbook', ARGOCD_APP_NAMESPACE: 'web', ARGOCD_APP_REVISION: '0123456789abcdef', ARGOCD_APP_REVISION_SHORT: '0123456',
  ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example/repo.git', ARGOCD_APP_SOURCE_PATH: 'app', ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
};

const configMapScript = [
  'set -e',
  'cat <<EOF',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: $ARGOCD_APP_NAME-config',
  '  namespace: $ARGOCD_APP_NAMESPACE',
  'data:',
  '  greeting: "$ARGOCD_ENV_GREETING"',
  '  revision: "$ARGOCD_APP_REVISION_SHORT"',
  '  kube: "$KUBE_VERSION"',
  '  params: \'$ARGOCD_APP_PARAMETERS\'',
  '  env: "$PARAM_ENV"',
  '  first: "$PARAM_FILES_0"',
  '  tag: "$PARAM_IMAGE_TAG"',
  '  pwd: "$(pwd)"',
  '  home: "$HOME"',
  '  secret: "${CAPSTAN_TEST_SECRET:-none}"',
  'EOF',
].join('\n');

let plugins: PluginSet = parsePluginConfig({}).plugins;
const renderer = new ManifestRenderer({ parser: inProcessRenderer(), sandbox: new ToolSandbox({ tools: {}, timeoutMs: 20_000 }), plugins: () => plugins });

function usePlugins(data: Record<string, string>): void {
  const parsed = parsePluginConfig(data);
  expect(parsed.problems).toEqual([]);
  plugins = parsed.plugins;
}

function request(repoRoot: string, source: SourceRenderRequest['source']): SourceRenderRequest {
  return {
    repoRoot, source, buildEnv,
    helm: { releaseName: 'guestbook', namespace: 'web', capabilities: () => Promise.resolve({ kubeVersion: 'v1.35.0', apiVersions: ['apps/v1', 'v1'] }) },
  };
}

function objectsOf(result: SerializedRender): Record<string, unknown>[] {
  if (!result.ok) throw new Error(`the render failed: ${JSON.stringify(result.errors)}`);
  return result.objects.map((o) => JSON.parse(o) as Record<string, unknown>);
}

beforeAll(() => {
  process.env.CAPSTAN_TEST_SECRET = 'the controller has it';
});
afterAll(() => {
  delete process.env.CAPSTAN_TEST_SECRET;
  return renderer.close();
});

describe('ManifestRenderer with config management plugins', () => {
  it('runs the named plugin in the source directory of a working copy, with the build environment, env entries and parameters', async () => {
    usePlugins({ 'plugins.greeter': JSON.stringify({ generate: ['sh', '-c', configMapScript] }) });
    const repo = await trees.make({ 'app/readme.txt': 'not a manifest' });
    const result = await renderer.render(request(repo, {
      path: 'app',
      plugin: {
        name: 'greeter', env: [{ name: 'GREETING', value: 'hello from $ARGOCD_APP_NAME' }],
        parameters: [{ name: 'env', string: 'prod' }, { name: 'files', array: ['a.yaml'] }, { name: 'image', map: { tag: 'v2' } }],
      },
    }));
    expect(result.sourceType).toBe('Plugin');
    const [config, ...rest] = objectsOf(result);
    expect(rest).toEqual([]);
    expect(config?.metadata).toEqual({ name: 'guestbook-config', namespace: 'web' });
    const data = config?.data as Record<string, string>;
    expect(data).toMatchObject({
      greeting: 'hello from guestbook', revision: '0123456', kube: '1.35.0', env: 'prod', first: 'a.yaml', tag: 'v2', secret: 'none',
      params: '[{"name":"env","string":"prod"},{"array":["a.yaml"],"name":"files"},{"map":{"tag":"v2"},"name":"image"}]',
    });
    // The source directory of a private copy, not the repository itself; a home of the run's own.
    expect(data.pwd).toMatch(/\/capstan-render-[^/]+\/repo\/app$/);
    expect(data.home).toMatch(/\/capstan-render-[^/]+\/home$/);
    expect(result.ok && result.files).toEqual(['app']);
  });

  it('runs init before generate in the same copy, leaving the repository as it was', async () => {
    usePlugins({
      'plugins.templater': 'init: [sh, -c, "sed s/PLACEHOLDER/$ARGOCD_ENV_GREETING/ template.yaml > out.yaml"]\ngenerate: [cat, out.yaml]\ndiscover:\n  fileName: template.yaml\n',
    });
    const repo = await trees.make({ 'app/template.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: templated\ndata:\n  greeting: PLACEHOLDER\n' });
    const result = await renderer.render(request(repo, { path: 'app', plugin: { env: [{ name: 'GREETING', value: 'hi' }] } }));
    expect(objectsOf(result).map((o) => o.data)).toEqual([{ greeting: 'hi' }]);
    expect(await readdir(path.join(repo, 'app'))).toEqual(['template.yaml']);
  });

  it('discovers a plugin for a source that does not name one, before its kustomization', async () => {
    usePlugins({ 'plugins.json-lines': 'generate: [sh, -c, "cat *.json"]\ndiscover: { fileName: "*.json" }' });
    const repo = await trees.make({
      'kustomization.yaml': 'resources: []\n',
      'a.json': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n---\n',
      'b.json': '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}]}\n',
    });
    const result = await renderer.render(request(repo, {}));
    expect(result.sourceType).toBe('Plugin');
    expect(objectsOf(result).map((o) => (o.metadata as { name: string }).name)).toEqual(['a', 'b']);
    // No plugin matches: the built-in type.
    const plain = await renderer.render(request(await trees.make({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n' }), {}));
    expect(plain.sourceType).toBe('Directory');
  });

  it('runs a script of the repository by its path, and a command found on the sandbox PATH', async () => {
    usePlugins({ 'plugins.script': 'generate: [./generate.sh, one]', 'plugins.by-sh': 'generate: [sh, generate.sh, two]' });
    const script = '#!/bin/sh\necho "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: $1"\n';
    const repo = await trees.make({ 'app/generate.sh': script });
    await chmod(path.join(repo, 'app/generate.sh'), 0o755);
    expect(objectsOf(await renderer.render(request(repo, { path: 'app', plugin: { name: 'script' } }))).map((o) => o.metadata)).toEqual([{ name: 'one' }]);
    expect(objectsOf(await renderer.render(request(repo, { path: 'app', plugin: { name: 'by-sh' } }))).map((o) => (o.metadata as { name: string }).name)).toEqual(['two']);
  });

  it('fails the render with the plugin, its exit code and its stderr when a command fails', async () => {
    usePlugins({
      'plugins.failing': 'generate: [sh, -c, "echo \'decryption failed: no key\' >&2; exit 1"]',
      'plugins.failing-init': 'init: [sh, -c, "echo no deps >&2; exit 3"]\ngenerate: [sh, -c, "echo never > ran"]',
    });
    const repo = await trees.make({ 'app/a.txt': '' });
    const failed = await renderer.render(request(repo, { path: 'app', plugin: { name: 'failing' } }));
    expect(failed).toEqual({ ok: false, sourceType: 'Plugin', errors: [{ code: 'ToolFailed', file: 'app', message: 'plugin failing exited with code 1: decryption failed: no key' }] });
    const init = await renderer.render(request(repo, { path: 'app', plugin: { name: 'failing-init' } }));
    expect(init).toEqual({ ok: false, sourceType: 'Plugin', errors: [{ code: 'ToolFailed', file: 'app', message: 'plugin failing-init init exited with code 3: no deps' }] });
  });

  it('says when the command is not installed, and when the plugin is unknown', async () => {
    usePlugins({ 'plugins.sops': 'generate: [sops-not-installed, -d, x.yaml]' });
    const repo = await trees.make({ 'a.txt': '' });
    const missing = await renderer.render(request(repo, { plugin: { name: 'sops' } }));
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.errors[0]).toEqual({ code: 'ToolMissing', file: '.', message: 'plugin sops: the command "sops-not-installed" was not found on the render tools\' PATH (/usr/local/bin:/usr/bin:/bin)' });
    const unknown = await renderer.render(request(repo, { plugin: { name: 'helmfile' } }));
    expect(unknown).toEqual({
      ok: false, sourceType: 'Plugin',
      errors: [{ code: 'InvalidOption', file: '.', message: 'source.plugin.name "helmfile" is not a plugin of capstan-config (plugins: sops (used only by name))' }],
    });
  });

  it('reads what the plugin writes with the bounds of manifest files', async () => {
    usePlugins({ 'plugins.bad': 'generate: [printf, "kind: [unclosed"]' });
    const result = await renderer.render(request(await trees.make({ 'a.txt': '' }), { plugin: { name: 'bad' } }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]?.code).toBe('ParseError');
  });

  it('names the plugins in its cache context, and nothing without plugins', async () => {
    usePlugins({ 'plugins.a': 'generate: [cat]' });
    const withA = renderer.cacheContext();
    expect(withA).toContain('"a"');
    usePlugins({ 'plugins.a': 'generate: [cat, b]' });
    expect(renderer.cacheContext()).not.toBe(withA);
    usePlugins({});
    expect(renderer.cacheContext()).toBeUndefined();
    expect(await readFile(path.join(await trees.make({ x: 'y' }), 'x'), 'utf8')).toBe('y');
  });
});
