// Issue 12: config management plugins declared in capstan-config. A plugin generates objects
// from the repository with the app's env entries and the build environment, and the app syncs;
// editing the plugin in the ConfigMap changes what the next render gives; a plugin found by its
// discovery rule renders an app that names none; a plugin that fails gives a RenderError naming
// it with what it wrote to stderr, and nothing is applied.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { capstanCli, kubectlApply, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('plugins');
let core: CoreV1Api;
let commit = '';

const synced = (a: Application): boolean => a.status?.sync?.status === 'Synced';

/** The plugin commands, as the ConfigMap holds them (Capstan's list form, and Argo CD's command/args form). */
const templater = (sed: string): string => JSON.stringify({ generate: ['sh', '-c', `sed "${sed}" template.yaml`] });
const config = (templaterSed: string): Record<string, string> => ({
  'plugins.templater': templater(templaterSed),
  'plugins.listing': 'generate:\n  command: [sh, -c]\n  args: ["cat *.tmpl"]\ndiscover:\n  fileName: "*.tmpl"\n',
  'plugins.failing': 'generate: [sh, -c, "echo \\"cannot decrypt secrets.enc: no key\\" >&2; exit 1"]',
  'plugins.broken': 'generate: []',
});

function applyConfig(data: Record<string, string>): void {
  kubectlApply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'capstan-config', namespace: s.namespace }, data });
}

async function configMapData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
  return core.readNamespacedConfigMap({ name, namespace }).then((c) => c.data, () => undefined);
}

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  s.repo
    .write('templated/template.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  greeting: "PLACEHOLDER"\n')
    .write('listed/settings.tmpl', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: listed\ndata:\n  from: tmpl\n')
    .write('listed/ignored.yaml', 'not: a manifest the plugin reads\n')
    .write('failing/secrets.enc', 'ENC[...]\n');
  commit = s.repo.commit('sources for plugins');
  applyConfig(config('s/PLACEHOLDER/$ARGOCD_ENV_GREETING/'));
  // The controller has read the ConfigMap once it says what is wrong with it.
  const warned = await eventually('an InvalidConfig Event on capstan-config', async () => {
    const events = await core.listNamespacedEvent({ namespace: s.namespace, fieldSelector: 'involvedObject.name=capstan-config,involvedObject.kind=ConfigMap' });
    return events.items.find((e) => e.reason === 'InvalidConfig');
  });
  expect(warned.message).toContain('plugins.broken: generate has no command');
});
afterAll(async () => {
  await s.tearDown();
});

describe('config management plugins of capstan-config', () => {
  it('syncs what the named plugin generates; an edit of the plugin changes the next render', async () => {
    const ns = s.destination('templated');
    await s.apps.create('templated', {
      repoURL: s.repo.url, destinationNamespace: ns,
      extraSpec: { source: { repoURL: s.repo.url, path: 'templated', plugin: { name: 'templater', env: [{ name: 'GREETING', value: 'hello from $ARGOCD_APP_NAME' }] } } },
    });
    const app = await s.apps.waitFor('templated', 'Synced', synced, 120_000);
    expect(app.status?.sourceType).toBe('Plugin');
    expect(app.status?.resources?.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/greeting']);
    expect(await configMapData(ns, 'greeting')).toEqual({ greeting: 'hello from templated' });

    applyConfig(config('s/PLACEHOLDER/$ARGOCD_ENV_GREETING at $ARGOCD_APP_REVISION_SHORT/'));
    s.apps.annotate('templated', { 'capstan.dev/refresh': 'hard' });
    const short = commit.slice(0, 7);
    await eventually('the edited plugin applied', async () => ((await configMapData(ns, 'greeting'))?.greeting === `hello from templated at ${short}` ? true : undefined), 120_000);
    expect((await s.apps.waitFor('templated', 'Synced after the edit', synced)).status?.sourceType).toBe('Plugin');

    // No refresh asked for: the edit alone has every app reconciled, and the render's key names the plugins.
    applyConfig(config('s/PLACEHOLDER/edited again/'));
    await eventually('the plugin edited again applied', async () => ((await configMapData(ns, 'greeting'))?.greeting === 'edited again' ? true : undefined), 120_000);
  });

  it('renders an app that names no plugin with the one its discovery rule finds', async () => {
    const ns = s.destination('listed');
    await s.apps.create('listed', { repoURL: s.repo.url, path: 'listed', destinationNamespace: ns });
    const app = await s.apps.waitFor('listed', 'Synced', synced, 120_000);
    expect(app.status?.sourceType).toBe('Plugin');
    expect(app.status?.resources?.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/listed']);
    expect(await configMapData(ns, 'listed')).toEqual({ from: 'tmpl' });
    // `capstan app diff` renders with the plugins of the live capstan-config, as the controller does: nothing differs.
    const diff = await capstanCli(['app', 'diff', 'listed', '-n', s.namespace, '--allow-local-repos']);
    expect(diff.stdout).toBe('');
    expect(diff.stderr).toBe('capstan: warning: ConfigMap ' + s.namespace + '/capstan-config: plugins.broken: generate has no command\n');
    expect(diff.code).toBe(0);
  });

  it('gives a RenderError naming a plugin that fails, with what it wrote to stderr, and applies nothing', async () => {
    const ns = s.destination('failing');
    await s.apps.create('failing', {
      repoURL: s.repo.url, destinationNamespace: ns,
      extraSpec: { source: { repoURL: s.repo.url, path: 'failing', plugin: { name: 'failing' } } },
    });
    const app = await s.apps.waitFor('failing', 'a render error', (a) => readyCondition(a)?.reason === 'RenderError', 120_000);
    expect(readyCondition(app)?.message).toContain('plugin failing exited with code 1: cannot decrypt secrets.enc: no key');
    expect(app.status?.sync?.status).not.toBe('Synced');
    expect(app.status?.resources ?? []).toEqual([]);
    // Nothing was applied: not even the destination namespace was created.
    await expect(core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  });

  it('says which plugins there are when an app names one that is not, and why a broken one cannot be used', async () => {
    await s.apps.create('unknown', { repoURL: s.repo.url, destinationNamespace: s.destination('unknown'), extraSpec: { source: { repoURL: s.repo.url, path: 'failing', plugin: { name: 'helmfile' } } } });
    const unknown = await s.apps.waitFor('unknown', 'a render error', (a) => readyCondition(a)?.reason === 'RenderError', 120_000);
    expect(readyCondition(unknown)?.message).toContain('source.plugin.name "helmfile" is not a plugin of capstan-config (plugins: failing (used only by name), listing (discover.fileName "*.tmpl"), templater (used only by name))');
    await s.apps.create('broken', { repoURL: s.repo.url, destinationNamespace: s.destination('broken'), extraSpec: { source: { repoURL: s.repo.url, path: 'failing', plugin: { name: 'broken' } } } });
    const broken = await s.apps.waitFor('broken', 'a render error', (a) => readyCondition(a)?.reason === 'RenderError', 120_000);
    expect(readyCondition(broken)?.message).toContain('plugin "broken" of capstan-config cannot be used: generate has no command');
  });
});
