// `capstan render -f APP` of an Application with spec.sources, with the real tools and a chart
// repository served over loopback: each source rendered, a ref source lending its tree to
// `$ref/` values files, the objects of all printed together.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { indexRepo, packageChart, serveDirectory, type ServedDirectory } from '../../charts/testing/chart-repo.js';
import { makeTempDir, removeTempDir } from '../../git/testing/temp-dir.js';
import { TempTrees } from '../../render/testing/tools.js';
import { runCommand } from '../output/testing/run-command.js';
import { registerRenderCommand } from '../render-command.js';
import { chartTree, commitAll, under, useRealTools } from './testing/fixtures.js';

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: { replicas?: number };
}

const trees = new TempTrees('capstan-render-sources');
let chartRoot: string;
let chartRepo: ServedDirectory | undefined;

beforeAll(async () => {
  useRealTools();
  chartRoot = makeTempDir('render-sources-chart-repo');
  const served = path.join(chartRoot, 'repo');
  mkdirSync(served);
  mkdirSync(path.join(chartRoot, 'work'));
  await packageChart({ home: path.join(chartRoot, 'home'), workDir: path.join(chartRoot, 'work'), outDir: served, name: 'web', versions: ['1.2.0'] });
  await indexRepo(path.join(chartRoot, 'home'), served);
  chartRepo = await serveDirectory(served);
}, 120_000);

afterAll(async () => {
  await chartRepo?.close();
  removeTempDir(chartRoot);
  await trees.remove();
});

async function appFile(name: string, sources: readonly Record<string, unknown>[]): Promise<string> {
  const file = path.join(await trees.make(), 'app.yaml');
  await writeFile(file, yaml.dump({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name }, spec: { sources, destination: { namespace: 'shop' } } }));
  return file;
}

async function render(args: readonly string[]): Promise<{ objects: Obj[]; err: string; code: number | undefined }> {
  const io = await runCommand(registerRenderCommand, ['render', ...args]);
  return { objects: yaml.loadAll(io.out.text()) as Obj[], err: io.err.text(), code: io.exitCode() };
}

const configMap = (name: string, data: Record<string, string>) => yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('capstan render -f with spec.sources', () => {
  it('renders each source, a chart with $values files of a second local repository that is rendered too, and prints the objects together', async () => {
    const charts = await trees.make(under('charts/site', chartTree));
    await commitAll(charts);
    const values = await trees.make({ 'site/prod.yaml': 'greeting: from-values-repo\nreplicas: 4\n', 'extra/settings.yaml': configMap('extra', { from: 'values' }) });
    await commitAll(values);
    const file = await appFile('store', [
      { repoURL: charts, path: 'charts/site', helm: { valueFiles: ['values-prod.yaml', '$values/site/prod.yaml'] } },
      { repoURL: `file://${values}`, path: 'extra', ref: 'values' },
    ]);
    const { objects, err, code } = await render(['-f', file]);
    expect(err).toBe('');
    expect(code).toBeUndefined();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/store-settings', 'ConfigMap/extra']);
    expect(objects[0]?.data).toMatchObject({ greeting: 'from-values-repo', replicas: '4' });
    expect(objects[1]?.data).toEqual({ from: 'values' });
  });

  it('renders a chart of a chart repository with values files of a ref source, its checkout given by --source-root, and renders the ref source not', async () => {
    const values = await trees.make({ 'front/values.yaml': 'replicaCount: 3\n', 'stray.yaml': configMap('stray', {}) });
    const file = await appFile('front', [
      { repoURL: chartRepo?.url, chart: 'web', targetRevision: '1.2.0', helm: { valueFiles: ['$values/front/values.yaml'] } },
      { repoURL: 'https://git.example/values.git', targetRevision: 'main', ref: 'values' },
    ]);
    const cache = ['--cache-dir', path.join(chartRoot, 'cache')];
    const refused = await render(['-f', file, ...cache]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('spec.sources[1].repoURL https://git.example/values.git is not a local repository: pass --source-root 1=DIR, a checkout of it (capstan render does not clone)\n');
    const { objects, err, code } = await render(['-f', file, ...cache, '--source-root', `1=${values}`]);
    expect(err).toBe('');
    expect(code).toBeUndefined();
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata.name).toBe('front-web');
    expect(deployment?.spec?.replicas).toBe(3);
    expect(objects.map((o) => o.metadata.name)).not.toContain('stray');
  });

  it('refuses an object declared by two sources, naming both', async () => {
    const first = await trees.make({ 'app/settings.yaml': configMap('settings', { a: '1' }) });
    const second = await trees.make({ 'app/settings.yaml': configMap('settings', { a: '2' }), 'app/other.yaml': configMap('other', {}) });
    const file = await appFile('twice', [{ repoURL: first, path: 'app' }, { repoURL: second, path: 'app' }]);
    const { objects, err, code } = await render(['-f', file]);
    expect(code).toBe(1);
    expect(objects).toEqual([]);
    expect(err).toBe('ConfigMap settings is declared by both spec.sources[0] and spec.sources[1]\n');
  });

  it('names the source of each error, and refuses flags that set one source\'s options for an app that renders several', async () => {
    const good = await trees.make({ 'app/settings.yaml': configMap('settings', {}) });
    const bad = await trees.make({ 'app/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' });
    const file = await appFile('broken', [{ repoURL: good, path: 'app' }, { repoURL: 'https://git.example/bad.git', path: 'app' }]);
    const failed = await render(['-f', file, '--source-root', `1=${bad}`]);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(new RegExp(`^spec\\.sources\\[1\\]: ${escapeRegExp(path.join(bad, 'app/bad.yaml'))}:\\d+: `));
    const missing = await render(['-f', file, '--source-root', `1=${path.join(bad, 'nope')}`]);
    expect(missing.err).toBe(`spec.sources[1]: ${path.join(bad, 'nope')}: the repository does not exist\n`);
    const flags = await render(['-f', file, '--source-root', `1=${bad}`, '--recurse']);
    expect(flags.err).toBe('--recurse set the options of one source, and the app renders 2 (spec.sources[0], spec.sources[1]): set them in the file\n');
    const index = await render(['-f', file, '--source-root', `2=${bad}`]);
    expect(index.err).toBe(`--source-root 2=${bad}: the app has 2 sources (indexes 0 to 1)\n`);
    const both = await render(['-f', file, '--source-root', `0=${good}`, '--repo-root', good]);
    expect(both.err).toBe('--repo-root and --source-root 0=DIR both name the checkout of the first source; give one\n');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
