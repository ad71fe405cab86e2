// Issue 12, acceptance 1, 2 and 5: a Kustomize overlay (base + overlay with patches, images,
// namePrefix and a component) syncs, and the app's own kustomize.images override is applied; a
// Helm chart from Git syncs with a values file and parameters, while values files outside the
// repository (a path, a symlink) are refused with nothing applied; a chart whose render hangs is
// stopped at the render timeout with a clear condition, and what the app had stays as it was.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { readyCondition } from '../support/capstan.js';
import { deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('render', { renderTimeoutMs: 3_000 });
let apps: AppsV1Api;
let core: CoreV1Api;
let batch: BatchV1Api;

const synced = (a: Application): boolean => a.status?.sync?.status === 'Synced';


beforeAll(async () => {
  await s.setUp();
  apps = s.kc.makeApiClient(AppsV1Api);
  core = s.kc.makeApiClient(CoreV1Api);
  batch = s.kc.makeApiClient(BatchV1Api);
  s.repo
    .write('kustomize/base/kustomization.yaml', 'resources:\n  - web.yaml\n')
    .write('kustomize/base/web.yaml', deployment('web', { image: 'nginx:1.25' }))
    .write('kustomize/components/monitoring/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - monitoring.yaml\n')
    .write('kustomize/components/monitoring/monitoring.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: monitoring\ndata:\n  scrape: "true"\n')
    .write('kustomize/overlays/prod/kustomization.yaml', [
      'resources:', '  - ../../base',
      'namePrefix: prod-',
      'images:', '  - name: nginx', '    newTag: "1.27"',
      'components:', '  - ../../components/monitoring',
      'patches:', '  - target: { kind: Deployment, name: web }', '    patch: |-', '      - op: replace', '        path: /spec/replicas', '        value: 3',
      '',
    ].join('\n'))
    .write('chart/Chart.yaml', 'apiVersion: v2\nname: greeter\nversion: 0.1.0\n')
    .write('chart/values.yaml', 'greeting: hello\nreplicas: 1\ncolour: blue\n')
    .write('chart/values-prod.yaml', 'greeting: hello from prod\n')
    .write('chart/templates/config.yaml', [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ .Release.Name }}-config', '  labels:', '    release: {{ .Release.Name }}',
      'data:', '  greeting: {{ .Values.greeting | quote }}', '  colour: {{ .Values.colour | quote }}', '  replicas: {{ .Values.replicas | quote }}',
      '  namespace: {{ .Release.Namespace | quote }}', '',
    ].join('\n'));
  symlinkSync('/etc/passwd', join(s.repo.dir, 'chart', 'values-link.yaml'));
  s.repo.commit('a kustomize overlay and a helm chart');
});
afterAll(async () => {
  await s.tearDown();
});

describe('Kustomize sources', () => {
  it('syncs an overlay with patches, images, a name prefix and a component, detected by its kustomization', async () => {
    const ns = s.destination('overlay');
    await s.apps.create('overlay', { repoURL: s.repo.url, path: 'kustomize/overlays/prod', destinationNamespace: ns });
    const app = await s.apps.waitFor('overlay', 'Synced', synced, 120_000);
    expect(app.status?.sourceType).toBe('Kustomize');
    const web = await apps.readNamespacedDeployment({ name: 'prod-web', namespace: ns });
    expect(web.spec?.replicas).toBe(3);
    expect(web.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.27');
    const monitoring = await core.readNamespacedConfigMap({ name: 'prod-monitoring', namespace: ns });
    expect(monitoring.data).toEqual({ scrape: 'true' });
    expect(app.status?.resources?.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['ConfigMap/prod-monitoring', 'Deployment/prod-web']);
  });

  it("applies the app's own kustomize options: an image override and a label", async () => {
    const ns = s.destination('overlay-image');
    await s.apps.create('overlay-image', {
      repoURL: s.repo.url, destinationNamespace: ns,
      extraSpec: { source: { repoURL: s.repo.url, path: 'kustomize/overlays/prod', kustomize: { images: ['nginx=registry.example/nginx:9.9'], commonLabels: { team: 'web' } } } },
    });
    await s.apps.waitFor('overlay-image', 'Synced', synced, 120_000);
    const web = await apps.readNamespacedDeployment({ name: 'prod-web', namespace: ns });
    expect(web.spec?.template.spec?.containers[0]?.image).toBe('registry.example/nginx:9.9');
    expect(web.metadata?.labels?.team).toBe('web');
    expect(web.spec?.replicas).toBe(3);
  });
});

describe('Helm charts from Git', () => {
  it('syncs a chart with a values file and parameters, released under the app name in its destination namespace', async () => {
    const ns = s.destination('greeter');
    await s.apps.create('greeter', {
      repoURL: s.repo.url, destinationNamespace: ns,
      extraSpec: { source: { repoURL: s.repo.url, path: 'chart', helm: { valueFiles: ['values-prod.yaml'], parameters: [{ name: 'replicas', value: '2' }, { name: 'colour', value: 'red,green' }] } } },
    });
    const app = await s.apps.waitFor('greeter', 'Synced', synced, 120_000);
    expect(app.status?.sourceType).toBe('Helm');
    const config = await core.readNamespacedConfigMap({ name: 'greeter-config', namespace: ns });
    expect(config.data).toEqual({ greeting: 'hello from prod', colour: 'red,green', replicas: '2', namespace: ns });
    expect(config.metadata?.labels?.release).toBe('greeter');
  });

  it.each([
    ['a path out of the repository', '../../etc/passwd', 'is outside the repository'],
    ['a symlink out of the repository', 'values-link.yaml', 'leads through a symlink to a place outside the repository'],
  ])('refuses a values file that is %s, and applies nothing', async (_case, valueFile, why) => {
    const name = valueFile.startsWith('..') ? 'escape-path' : 'escape-link';
    const ns = s.destination(name);
    await s.apps.create(name, {
      repoURL: s.repo.url, destinationNamespace: ns,
      extraSpec: { source: { repoURL: s.repo.url, path: 'chart', helm: { valueFiles: [valueFile] } } },
    });
    const app = await s.apps.waitFor(name, 'a render error', (a) => readyCondition(a)?.reason === 'RenderError');
    expect(readyCondition(app)?.message).toContain(`valueFiles "${valueFile}" ${why}`);
    expect(readyCondition(app)?.message).not.toContain('root:');
    expect(app.status?.sync?.status).not.toBe('Synced');
    expect(app.status?.resources ?? []).toEqual([]);
    // Nothing was applied: not even the destination namespace was created.
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  });
});

describe('Helm hooks', () => {
  it("run through the sync's hooks: a pre-install Job before the chart's objects, a post-install Job after, a test hook never", async () => {
    const ns = s.destination('hooked');
    const hookJob = (name: string, hook: string): string => [
      'apiVersion: batch/v1', 'kind: Job', 'metadata:', `  name: {{ .Release.Name }}-${name}`, '  annotations:', `    helm.sh/hook: ${hook}`, '    helm.sh/hook-weight: "1"',
      'spec:', '  backoffLimit: 0', '  template:', '    spec:', '      restartPolicy: Never', '      containers:', '        - name: main', '          image: busybox', '',
    ].join('\n');
    s.repo
      .write('hooked/Chart.yaml', 'apiVersion: v2\nname: hooked\nversion: 0.1.0\n')
      .write('hooked/templates/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  a: b\n')
      .write('hooked/templates/migrate.yaml', hookJob('migrate', 'pre-install,pre-upgrade'))
      .write('hooked/templates/smoke.yaml', hookJob('smoke', 'post-install,post-upgrade'))
      .write('hooked/templates/tests/check.yaml', hookJob('check', 'test'));
    const sha = s.repo.commit('a chart with hooks');
    await s.apps.create('hooked', { repoURL: s.repo.url, path: 'hooked', destinationNamespace: ns });
    const done = await s.apps.waitFor('hooked', 'the sync to succeed', (a) => a.status?.operationState?.phase === 'Succeeded' && a.status.operationState.revision === sha, 120_000);
    expect(done.status?.operationState?.hooks?.map((h) => `${h.phase}/${h.name}/${h.status}`)).toEqual(['PreSync/hooked-migrate/Succeeded', 'PostSync/hooked-smoke/Succeeded']);
    expect(done.status?.resources?.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/hooked-config']);
    await expect(batch.readNamespacedJob({ name: 'hooked-check', namespace: ns })).rejects.toMatchObject({ code: 404 });
  });
});

describe('a render that hangs', () => {
  it('is stopped at the render timeout with a clear condition; the objects of the last good render stay', async () => {
    const ns = s.destination('hang');
    s.repo
      .write('hang/Chart.yaml', 'apiVersion: v2\nname: hang\nversion: 0.1.0\n')
      .write('hang/templates/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  version: "1"\n');
    const good = s.repo.commit('a chart that renders');
    await s.apps.create('hang', { repoURL: s.repo.url, path: 'hang', destinationNamespace: ns, interval: '2s' });
    await s.apps.waitFor('hang', `Synced at ${good.slice(0, 7)}`, (a) => synced(a) && a.status?.sync?.revision === good, 120_000);

    // Ten billion steps of a template loop: the render would run for minutes.
    s.repo
      .write('hang/templates/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  version: "2"\n')
      .write('hang/templates/loop.yaml', '{{- range until 100000 }}{{- range until 100000 }}{{- end }}{{- end }}\n');
    s.repo.commit('a chart whose render never ends');
    const stopped = await s.apps.waitFor('hang', 'a render error', (a) => readyCondition(a)?.reason === 'RenderError', 120_000);
    expect(readyCondition(stopped)?.message).toContain('helm template took longer than 3s and was stopped');
    expect(stopped.status?.sync?.status).not.toBe('Synced');
    const kept = await core.readNamespacedConfigMap({ name: 'kept', namespace: ns });
    expect(kept.data).toEqual({ version: '1' });
    const events = await s.apps.events('hang');
    expect(events.some((e) => e.type === 'Warning' && (e.message ?? '').includes('took longer than 3s'))).toBe(true);
  });
});
