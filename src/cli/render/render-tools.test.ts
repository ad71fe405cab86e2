// `capstan render PATH` with the real kustomize, helm and jsonnet, as the controller runs them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import yaml from 'js-yaml';
import { TempTrees } from '../../render/testing/tools.js';
import { runCommand } from '../output/testing/run-command.js';
import { registerRenderCommand } from '../render-command.js';
import { chartTree, commitAll, kustomizeTree, under, useRealTools } from './testing/fixtures.js';

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: { replicas?: number; template?: { spec?: { containers?: { image: string }[] } } };
}

const trees = new TempTrees('capstan-render-tools');

beforeAll(useRealTools);

afterAll(() => trees.remove());

async function render(args: readonly string[]): Promise<{ objects: Obj[]; err: string; code: number | undefined }> {
  const io = await runCommand(registerRenderCommand, ['render', ...args]);
  return { objects: yaml.loadAll(io.out.text()) as Obj[], err: io.err.text(), code: io.exitCode() };
}

async function renderOk(args: readonly string[]): Promise<Obj[]> {
  const { objects, err, code } = await render(args);
  expect(err).toBe('');
  expect(code).toBeUndefined();
  return objects;
}

const images = (o: Obj | undefined) => o?.spec?.template?.spec?.containers?.map((c) => c.image);

describe('capstan render PATH with the render tools', () => {
  it('builds a kustomize overlay of a git work tree, its base found from the enclosing repository, with --kustomize-image', async () => {
    const repo = await trees.make(kustomizeTree);
    await commitAll(repo);
    const [deployment] = await renderOk([path.join(repo, 'overlays/prod'), '--kustomize-image', 'nginx=registry.example/nginx:1.27', '--kustomize-namespace', 'shop']);
    expect(deployment?.metadata).toEqual({ name: 'prod-web', namespace: 'shop' });
    expect(images(deployment)).toEqual(['registry.example/nginx:1.27']);
  });

  it('takes the repository root from --repo-root (PATH relative to it), and without one the overlay cannot reach its base', async () => {
    const repo = await trees.make(kustomizeTree);
    const [deployment] = await renderOk(['overlays/prod', '--repo-root', repo]);
    expect(deployment?.metadata.name).toBe('prod-web');
    expect(images(deployment)).toEqual(['nginx:1.25']);
    const alone = await render([path.join(repo, 'overlays/prod')]);
    expect(alone.code).toBe(1);
    expect(alone.err).toBe(`${path.join(repo, 'overlays/prod/kustomization.yaml')}: refers to "../../base", which is outside the repository\n`);
    const outside = await render([path.join(repo, 'base'), '--repo-root', path.join(repo, 'overlays')]);
    expect(outside.err).toBe(`${path.join(repo, 'base')}: not inside the repository root ${path.join(repo, 'overlays')}\n`);
  });

  it('reports a kustomize failure as the controller does, under PATH as given', async () => {
    const repo = await trees.make({ ...kustomizeTree, 'overlays/prod/kustomization.yaml': 'resources: [../../missing]\n' });
    await commitAll(repo);
    const failed = await render([path.join(repo, 'overlays/prod')]);
    expect(failed.code).toBe(1);
    expect(failed.objects).toEqual([]);
    expect(failed.err).toMatch(new RegExp(`^${escapeRegExp(path.join(repo, 'overlays/prod'))}: kustomize build exited with code 1: .*missing`));
  });

  it('templates a chart with --helm-values and --helm-set, released as the directory into --namespace, for the default cluster', async () => {
    const repo = await trees.make(under('charts/site', chartTree));
    const [settings] = await renderOk([path.join(repo, 'charts/site'), '--helm-values', 'values-prod.yaml', '--helm-set', 'replicas=3', '--helm-set-string', 'tag=2', '--namespace', 'web']);
    expect(settings?.metadata).toEqual({ name: 'site-settings', namespace: 'web' });
    expect(settings?.data).toEqual({ greeting: 'hello-prod', replicas: '3', tag: 'string', kubeVersion: 'v1.35.0', monitoring: 'false' });
  });

  it('gives the chart the release, Kubernetes version and API versions of the flags', async () => {
    const repo = await trees.make(chartTree);
    const [settings] = await renderOk([repo, '--helm-release', 'blog', '--kube-version', 'v1.31.4', '--api-versions', 'monitoring.coreos.com/v1']);
    expect(settings?.metadata).toEqual({ name: 'blog-settings', namespace: 'default' });
    expect(settings?.data).toMatchObject({ kubeVersion: 'v1.31.4', monitoring: 'true' });
  });

  it('refuses a values file outside the repository, as the controller does', async () => {
    const repo = await trees.make({ ...under('site', chartTree), 'secret.yaml': 'greeting: leaked\n' });
    const failed = await render([path.join(repo, 'site'), '--helm-values', '../secret.yaml']);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/secret\.yaml.*outside/);
  });

  it('evaluates the .jsonnet files of a directory with --jsonnet-tla, --jsonnet-ext-str and --jsonnet-lib, beside its manifests', async () => {
    const repo = await trees.make({
      'lib/cm.libsonnet': '{ cm(name, data): { apiVersion: "v1", kind: "ConfigMap", metadata: { name: name }, data: data } }',
      'apps/web/main.jsonnet': "local k = import 'cm.libsonnet';\nfunction(name, replicas) [k.cm(name, { replicas: std.toString(replicas), env: std.extVar('env') })]\n",
      'apps/web/account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: deployer\n',
    });
    const objects = await renderOk([path.join(repo, 'apps/web'), '--repo-root', repo, '--jsonnet-tla', 'name=web', '--jsonnet-tla-code', 'replicas=1+2', '--jsonnet-ext-str', 'env=prod', '--jsonnet-lib', 'lib']);
    const cm = objects.find((o) => o.kind === 'ConfigMap');
    expect(cm?.metadata.name).toBe('web');
    expect(cm?.data).toEqual({ replicas: '3', env: 'prod' });
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'ServiceAccount']);
  });

  it('refuses flags of two source types, and PATH with -f, as usage errors', async () => {
    const repo = await trees.make(chartTree);
    const mixed = await render([repo, '--recurse', '--helm-set', 'a=1']);
    expect(mixed.code).toBe(1);
    expect(mixed.err).toBe('the options name more than one source type: directory (--recurse), helm (--helm-set); use the options of one\n');
    const both = await render([repo, '-f', 'app.yaml']);
    expect(both.code).toBe(1);
    expect(both.err).toContain('give a PATH to render, or -f FILE of an Application (not both)');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
