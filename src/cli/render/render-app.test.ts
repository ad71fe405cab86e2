// `capstan render -f APP`: what the controller would render for an Application, with the real tools
// and a chart repository served over loopback.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { indexRepo, packageChart, serveDirectory, type ServedDirectory } from '../../charts/testing/chart-repo.js';
import { makeTempDir, removeTempDir } from '../../git/testing/temp-dir.js';
import { TempTrees } from '../../render/testing/tools.js';
import { runCommand } from '../output/testing/run-command.js';
import { registerRenderCommand } from '../render-command.js';
import { chartTree, commitAll, under, useRealTools } from './testing/fixtures.js';

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: { replicas?: number };
}

const trees = new TempTrees('capstan-render-app');
let chartRoot: string;
let chartRepo: ServedDirectory | undefined;

beforeAll(async () => {
  useRealTools();
  chartRoot = makeTempDir('render-chart-repo');
  const served = path.join(chartRoot, 'repo');
  mkdirSync(served);
  mkdirSync(path.join(chartRoot, 'work'));
  await packageChart({ home: path.join(chartRoot, 'home'), workDir: path.join(chartRoot, 'work'), outDir: served, name: 'web', versions: ['1.0.0', '1.0.3', '1.1.0'] });
  await indexRepo(path.join(chartRoot, 'home'), served);
  chartRepo = await serveDirectory(served);
}, 120_000);

afterAll(async () => {
  await chartRepo?.close();
  removeTempDir(chartRoot);
  await trees.remove();
});

function application(name: string, spec: Record<string, unknown>): string {
  return yaml.dump({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd' }, spec: { project: 'default', ...spec } });
}

async function appFile(text: string): Promise<string> {
  const dir = await trees.make();
  const file = path.join(dir, 'app.yaml');
  await writeFile(file, text);
  return file;
}

async function render(args: readonly string[], stdin?: string): Promise<{ objects: Obj[]; out: string; err: string; code: number | undefined }> {
  const io = await runCommand(registerRenderCommand, ['render', ...args], stdin === undefined ? {} : { stdin });
  return { objects: yaml.loadAll(io.out.text()) as Obj[], out: io.out.text(), err: io.err.text(), code: io.exitCode() };
}

const helmSource = (repoURL: string) => ({
  source: { repoURL, targetRevision: 'main', path: 'charts/site', helm: { valueFiles: ['values-prod.yaml'], parameters: [{ name: 'replicas', value: '2' }] } },
  destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
});

describe('capstan render -f', () => {
  it("renders a Helm source of a local repository as the controller would: the app's options, name and namespace, then the flags", async () => {
    const repo = await trees.make(under('charts/site', chartTree));
    await commitAll(repo);
    const file = await appFile(application('store', helmSource(`file://${repo}`)));
    const { objects, err, code } = await render(['-f', file, '--helm-set', 'replicas=5', '-o', 'json']).then((r) => ({ ...r, objects: (JSON.parse(r.out) as { items: Obj[] }).items }));
    expect(err).toBe('');
    expect(code).toBeUndefined();
    expect(objects).toHaveLength(1);
    expect(objects[0]?.metadata).toEqual({ name: 'store-settings', namespace: 'shop' });
    expect(objects[0]?.data).toMatchObject({ greeting: 'hello-prod', replicas: '5' });
  });

  it('renders a remote repository from its checkout given as --repo-root, and clones nothing', async () => {
    const repo = await trees.make(under('charts/site', chartTree));
    const file = await appFile(application('store', helmSource('https://git.example/shop.git')));
    const refused = await render(['-f', file]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe('spec.source.repoURL https://git.example/shop.git is not a local repository: pass --repo-root DIR, a checkout of it (capstan render does not clone)\n');
    const { objects, err } = await render(['-f', '-', '--repo-root', repo, '--helm-release', 'blue'], await readFile(file, 'utf8'));
    expect(err).toBe('');
    expect(objects[0]?.metadata.name).toBe('blue-settings');
  });

  it('shows render errors under the repository it was given', async () => {
    const repo = await trees.make({ 'apps/web/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' });
    const file = await appFile(application('web', { source: { repoURL: 'https://git.example/web.git', path: 'apps/web' }, destination: {} }));
    const failed = await render(['-f', file, '--repo-root', repo]);
    expect(failed.code).toBe(1);
    expect(failed.out).toBe('');
    expect(failed.err).toMatch(new RegExp(`^${escapeRegExp(path.join(repo, 'apps/web/bad.yaml'))}:\\d+: `));
  });

  it('refuses a bare repository as the repoURL: it has no files to render', async () => {
    const bare = await trees.make();
    await promisify(execFile)('git', ['init', '--quiet', '--bare', bare]);
    const file = await appFile(application('web', { source: { repoURL: bare, path: '.' }, destination: {} }));
    const failed = await render(['-f', file]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('a bare repository has no files to render; pass --repo-root DIR');
  });

  it('fetches a chart of a chart repository at the version its targetRevision picks, and renders it with the flags', async () => {
    const cacheDir = path.join(chartRoot, 'cache');
    const file = await appFile(application('front', {
      source: { repoURL: chartRepo?.url, chart: 'web', targetRevision: '~1.0.0', helm: { parameters: [{ name: 'replicaCount', value: '2' }] } },
      destination: { namespace: 'apps' },
    }));
    const { objects, err, code } = await render(['-f', file, '--cache-dir', cacheDir, '--helm-set', 'replicaCount=4']);
    expect(err).toBe('');
    expect(code).toBeUndefined();
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata).toMatchObject({ name: 'front-web', labels: { 'helm.sh/chart': 'web-1.0.3', 'app.kubernetes.io/instance': 'front' } });
    expect(deployment?.spec?.replicas).toBe(4);
    const missing = await render(['-f', await appFile(application('x', { source: { repoURL: chartRepo?.url, chart: 'nope', targetRevision: '1.0.0' }, destination: {} })), '--cache-dir', cacheDir]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^ChartNotFound: .*nope/);
  });

  it('prints the InvalidSpec message of an app the controller would refuse, and renders nothing', async () => {
    const file = await appFile(application('web', { source: { repoURL: '/srv/repo', path: '.', colour: 'blue' }, destination: {}, syncPolicy: { syncOptions: ['Frobnicate=true'] } }));
    const failed = await render(['-f', file]);
    expect(failed.code).toBe(1);
    expect(failed.out).toBe('');
    expect(failed.err).toMatch(new RegExp(`^${escapeRegExp(file)}: InvalidSpec: spec\\.source\\.colour is not a field Capstan knows; .*Frobnicate is not a sync option Capstan supports.*\\n$`));
    const notApp = await render(['-f', await appFile('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')]);
    expect(notApp.err).toContain('is a ConfigMap of v1, not an Application');
    const missing = await render(['-f', path.join(chartRoot, 'no-such-app.yaml')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`${path.join(chartRoot, 'no-such-app.yaml')}: no such file\n`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
