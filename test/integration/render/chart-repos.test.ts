// Issue 12, acceptance 3: a chart from an HTTP chart repository served on loopback (made with
// `helm package` and `helm repo index`), and the same chart pushed to an OCI registry on loopback
// (go-containerregistry's registry, built from Go modules), each sync; a new chart version in
// targetRevision upgrades the app, and a version range takes the highest version it admits.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { indexRepo, serveDirectory, type ServedDirectory } from '../../../src/charts/testing/chart-repo.js';
import { helmPush, startRegistry, type TestRegistry } from '../../../src/charts/testing/registry.js';
import { helm } from '../../../src/charts/testing/tools.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('charts');
let core: CoreV1Api;
let work = '';
let served: ServedDirectory | undefined;
let registry: TestRegistry | undefined;

const syncedAt = (version: string) => (a: Application): boolean => a.status?.sync?.status === 'Synced' && a.status.sync.revision === version;

/** Packages the chart `greeter` at each version into `dir`. */
async function packageGreeter(home: string, dir: string, versions: readonly string[]): Promise<Map<string, string>> {
  const chart = join(work, 'greeter');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: greeter\nversion: 0.0.0\n');
  writeFileSync(join(chart, 'values.yaml'), 'greeting: hello\n');
  writeFileSync(join(chart, 'templates', 'config.yaml'), [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ .Release.Name }}-greeter',
    'data:', '  version: {{ .Chart.Version | quote }}', '  greeting: {{ .Values.greeting | quote }}', '',
  ].join('\n'));
  const archives = new Map<string, string>();
  for (const version of versions) {
    await helm(home, ['package', chart, '--version', version, '--destination', dir]);
    archives.set(version, join(dir, `greeter-${version}.tgz`));
  }
  return archives;
}

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  work = mkdtempSync(join(tmpdir(), 'capstan-charts-'));
  const home = join(work, 'home');
  const repoDir = join(work, 'repo');
  mkdirSync(repoDir);
  const archives = await packageGreeter(home, repoDir, ['1.0.0', '1.1.0', '2.0.0-rc.1']);
  await indexRepo(home, repoDir);
  served = await serveDirectory(repoDir);
  registry = await startRegistry();
  for (const archive of archives.values()) await helmPush(home, archive, `oci://${registry.host}/charts`);
});
afterAll(async () => {
  await s.tearDown();
  await served?.close();
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function config(app: string, ns: string): Promise<Record<string, string> | undefined> {
  return (await core.readNamespacedConfigMap({ name: `${app}-greeter`, namespace: ns })).data;
}

describe('charts from chart repositories', () => {
  it.each([
    ['an HTTP chart repository', 'http-chart', (): string => served?.url ?? ''],
    ['an OCI registry', 'oci-chart', (): string => `oci://${registry?.host ?? ''}/charts`],
  ])('syncs a chart from %s, and upgrades when targetRevision names a new version', async (_case, name, repoURL) => {
    const ns = s.destination(name);
    const source = { repoURL: repoURL(), chart: 'greeter', targetRevision: '1.0.0', helm: { parameters: [{ name: 'greeting', value: 'hi' }] } };
    await s.apps.create(name, { repoURL: source.repoURL, destinationNamespace: ns, extraSpec: { source } });
    const first = await s.apps.waitFor(name, 'Synced at 1.0.0', syncedAt('1.0.0'), 120_000);
    expect(first.status?.sourceType).toBe('Helm');
    expect(await config(name, ns)).toEqual({ version: '1.0.0', greeting: 'hi' });

    s.apps.patchSpec(name, { source: { ...source, targetRevision: '1.1.0' } });
    await s.apps.waitFor(name, 'Synced at 1.1.0', syncedAt('1.1.0'), 120_000);
    expect(await config(name, ns)).toEqual({ version: '1.1.0', greeting: 'hi' });
    const app = await s.apps.mustGet(name);
    expect(app.status?.history?.map((h) => h.revision)).toEqual(['1.0.0', '1.1.0']);
  });

  it('takes the highest release a version range admits, never a prerelease', async () => {
    const ns = s.destination('range');
    const source = { repoURL: served?.url ?? '', chart: 'greeter', targetRevision: '>=1.0.0 <3.0.0' };
    await s.apps.create('range', { repoURL: source.repoURL, destinationNamespace: ns, extraSpec: { source } });
    await s.apps.waitFor('range', 'Synced at 1.1.0', syncedAt('1.1.0'), 120_000);
    expect((await config('range', ns))?.version).toBe('1.1.0');
  });

  it("builds a Git chart's dependency from a chart repository it declares", async () => {
    const ns = s.destination('parent');
    s.repo
      .write('parent/Chart.yaml', `apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: greeter\n    version: 1.1.0\n    repository: ${served?.url ?? ''}\n`)
      .write('parent/values.yaml', 'greeter:\n  greeting: from the parent\n')
      .write('parent/templates/own.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: parent-own\ndata:\n  a: b\n');
    s.repo.commit('a chart with a dependency');
    await s.apps.create('parent', { repoURL: s.repo.url, path: 'parent', destinationNamespace: ns });
    await s.apps.waitFor('parent', 'Synced', (a) => a.status?.sync?.status === 'Synced', 120_000);
    expect(await config('parent', ns)).toEqual({ version: '1.1.0', greeting: 'from the parent' });
    expect((await core.readNamespacedConfigMap({ name: 'parent-own', namespace: ns })).data).toEqual({ a: 'b' });
  });

  it('says which chart is missing, and applies nothing', async () => {
    const ns = s.destination('missing');
    const source = { repoURL: served?.url ?? '', chart: 'nosuchchart', targetRevision: '1.0.0' };
    await s.apps.create('missing', { repoURL: source.repoURL, destinationNamespace: ns, extraSpec: { source } });
    const app = await s.apps.waitFor('missing', 'a revision error', (a) => a.status?.conditions?.some((c) => c.type === 'Ready' && c.reason === 'RevisionNotFound') === true);
    expect(app.status?.conditions?.find((c) => c.type === 'Ready')?.message).toContain('nosuchchart');
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  });
});
