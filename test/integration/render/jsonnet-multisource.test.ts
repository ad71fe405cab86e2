// Issue 12, acceptance 4: Jsonnet with top-level arguments and external variables (strings and
// code) syncs; an app of two sources, a Helm chart in one repository and its values file in a
// second one (`$values/…`), syncs with those values, follows a commit to the values repository,
// and reports both revisions.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { readyCondition } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('jsonnet');
const values = new TestRepo('capstan-values-');
let core: CoreV1Api;

const synced = (a: Application): boolean => a.status?.sync?.status === 'Synced';

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  s.repo
    .write('jsonnet/lib/labels.libsonnet', '{ labels(team):: { team: team } }\n')
    .write('jsonnet/plain.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  from: yaml\n')
    .write('jsonnet/main.jsonnet', [
      "local labels = import 'lib/labels.libsonnet';",
      'function(name, replicas) [',
      "  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name, labels: labels.labels(std.extVar('team')) },",
      "    data: { replicas: std.toString(replicas), region: std.extVar('region'), total: std.toString(replicas * std.extVar('factor')) } },",
      ']', '',
    ].join('\n'))
    .write('chart/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 0.1.0\n')
    .write('chart/values.yaml', 'colour: blue\nsize: small\n')
    .write('chart/templates/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-web\ndata:\n  colour: {{ .Values.colour | quote }}\n  size: {{ .Values.size | quote }}\n');
  s.repo.commit('jsonnet and a chart');
  values.write('envs/prod/values.yaml', 'colour: red\n');
  values.commit('prod values');
});
afterAll(async () => {
  await s.tearDown();
  values.destroy();
});

describe('Jsonnet', () => {
  it('evaluates .jsonnet files with top-level arguments and external variables, beside the YAML of the directory', async () => {
    const ns = s.destination('jsonnet');
    const jsonnet = {
      tlas: [{ name: 'name', value: 'generated' }, { name: 'replicas', value: '3', code: true }],
      extVars: [{ name: 'region', value: 'eu-1' }, { name: 'team', value: '$ARGOCD_APP_NAME' }, { name: 'factor', value: '2', code: true }],
    };
    await s.apps.create('jsonnet', { repoURL: s.repo.url, destinationNamespace: ns, extraSpec: { source: { repoURL: s.repo.url, path: 'jsonnet', directory: { jsonnet } } } });
    const app = await s.apps.waitFor('jsonnet', 'Synced', synced, 120_000);
    expect(app.status?.sourceType).toBe('Directory');
    const generated = await core.readNamespacedConfigMap({ name: 'generated', namespace: ns });
    expect(generated.data).toEqual({ replicas: '3', region: 'eu-1', total: '6' });
    expect(generated.metadata?.labels?.team).toBe('jsonnet');
    expect((await core.readNamespacedConfigMap({ name: 'plain', namespace: ns })).data).toEqual({ from: 'yaml' });
  });

  it('refuses a Jsonnet file that imports a file outside the repository, naming it, and applies nothing', async () => {
    s.repo.write('escape/main.jsonnet', "local secret = importstr '/etc/hostname';\n{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leak' }, data: { secret: secret } }\n");
    s.repo.commit('a jsonnet file that reads outside the repository');
    const ns = s.destination('escape');
    await s.apps.create('escape', { repoURL: s.repo.url, path: 'escape', destinationNamespace: ns });
    const app = await s.apps.waitFor('escape', 'a render error', (a) => readyCondition(a)?.reason === 'RenderError');
    expect(readyCondition(app)?.message).toContain('escape/main.jsonnet');
    expect(readyCondition(app)?.message).toContain('outside the repository');
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  });
});

describe('several sources', () => {
  it('renders a chart with a values file of a second repository ($values), follows that repository, and reports both revisions', async () => {
    const ns = s.destination('multi');
    const sources = [
      { repoURL: s.repo.url, path: 'chart', helm: { valueFiles: ['$values/envs/prod/values.yaml'] } },
      { repoURL: values.url, ref: 'values' },
    ];
    // The test helper writes spec.source too: null drops it (an app has one of source and sources).
    await s.apps.create('multi', { repoURL: s.repo.url, destinationNamespace: ns, interval: '2s', extraSpec: { source: null, sources } });
    const first = await s.apps.waitFor('multi', 'Synced', synced, 120_000);
    const chartSha = s.repo.git('rev-parse', 'HEAD');
    expect(first.status?.sync?.revisions).toEqual([chartSha, values.git('rev-parse', 'HEAD')]);
    expect(first.status?.sync?.revision).toBe(`${chartSha},${values.git('rev-parse', 'HEAD')}`);
    expect(first.status?.sourceTypes).toEqual(['Helm']);
    expect((await core.readNamespacedConfigMap({ name: 'multi-web', namespace: ns })).data).toEqual({ colour: 'red', size: 'small' });

    values.write('envs/prod/values.yaml', 'colour: green\nsize: large\n');
    const next = values.commit('prod is green');
    await s.apps.waitFor('multi', 'Synced at the new values commit', (a) => synced(a) && a.status?.sync?.revisions?.[1] === next, 120_000);
    expect((await core.readNamespacedConfigMap({ name: 'multi-web', namespace: ns })).data).toEqual({ colour: 'green', size: 'large' });
  });

  it('refuses a values file naming a ref no source has, and an app with both source and sources', async () => {
    const ns = s.destination('badref');
    await s.apps.create('badref', {
      repoURL: s.repo.url, destinationNamespace: ns,
      extraSpec: { source: null, sources: [{ repoURL: s.repo.url, path: 'chart', helm: { valueFiles: ['$nosuch/values.yaml'] } }] },
    });
    const app = await s.apps.waitFor('badref', 'InvalidSpec', (a) => readyCondition(a)?.reason === 'InvalidSpec');
    expect(readyCondition(app)?.message).toContain('names $nosuch, but no source of spec.sources has ref: nosuch');
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  });
});
