// Prune and the project on the real control plane: after its project is narrowed (a namespace
// taken out of its destinations, a kind blacklisted) and Git drops the objects, an app prunes only
// what the project still permits; a tracked object the project no longer permits stays in the
// cluster and the Ready condition names it with the rule; deleting the app leaves it too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, readyCondition } from '../support/capstan.js';
import { createNamespace, eventually, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { applyProject } from './support.js';

const s = new Scenario('projprune', { intervalMs: 600_000 });
const prefix = uniqueName('narrow');
const web = `${prefix}-a-web`;
const two = `${prefix}-a-two`;
let core: CoreV1Api;

const inNamespace = (yaml: string, namespace: string): string => yaml.replace('metadata:\n', `metadata:\n  namespace: ${namespace}\n`);
const secret = (name: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  token: t\n`;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  for (const ns of [web, two]) {
    s.destination(ns);
    await createNamespace(s.kc, ns);
  }
  applyProject(s.namespace, 'narrowing', { sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: `${prefix}-a*` }] });
  s.repo.write('app/settings.yaml', configMap('settings'));
  s.repo.write('app/old.yaml', configMap('old'));
  s.repo.write('app/other.yaml', inNamespace(configMap('other'), two));
  s.repo.write('app/token.yaml', secret('token'));
  s.repo.commit('four objects');
}, 120_000);
afterAll(async () => {
  // The objects the app left alone go with their namespaces.
  await s.tearDown();
}, 120_000);

const exists = (read: () => Promise<unknown>): Promise<boolean> => read().then(() => true, () => false);

describe('a project narrowed under an app', () => {
  it('keeps a tracked object the project no longer permits, naming it, and prunes the rest', async () => {
    await s.apps.create('narrowed', { repoURL: s.repo.url, path: 'app', destinationNamespace: web, syncOptions: [], extraSpec: { project: 'narrowing' } });
    await s.apps.waitFor('narrowed', 'Synced with four objects', (a) => isSyncedHealthy(a) && a.status?.resources?.length === 4);

    applyProject(s.namespace, 'narrowing', {
      sourceRepos: ['*'], destinations: [{ server: 'https://kubernetes.default.svc', namespace: web }], namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }],
    });
    s.repo.remove('app/old.yaml').remove('app/other.yaml').remove('app/token.yaml');
    const sha = s.repo.commit('only settings');
    s.apps.annotate('narrowed', { 'capstan.dev/refresh': 'normal' });
    const app = await s.apps.waitFor('narrowed', 'Synced at the new commit, naming what it did not prune', (a) =>
      a.status?.sync?.revision === sha && isSyncedHealthy(a) && (readyCondition(a)?.message.includes('not pruned') ?? false));
    // Pruned with Foreground propagation: the API server's garbage collector removes the object once its finalizer is done.
    await eventually('ConfigMap/old to be gone', async () => ((await exists(() => core.readNamespacedConfigMap({ namespace: web, name: 'old' }))) ? undefined : true));
    expect(await exists(() => core.readNamespacedConfigMap({ namespace: two, name: 'other' }))).toBe(true);
    expect(await exists(() => core.readNamespacedSecret({ namespace: web, name: 'token' }))).toBe(true);
    expect(app.status?.resources?.map((r) => r.name)).toEqual(['settings']);
    expect(readyCondition(app)?.message).toContain(`ConfigMap ${two}/other: destination namespace "${two}" is not permitted by project "narrowing"`);
    expect(readyCondition(app)?.message).toContain(`Secret ${web}/token: namespaced resource Secret "token" is denied by project "narrowing" (namespaceResourceBlacklist: ""/Secret)`);
  }, 120_000);

  it('deleting the app deletes what the project permits and leaves the rest', async () => {
    await s.apps.delete('narrowed', { wait: true });
    expect(await exists(() => core.readNamespacedConfigMap({ namespace: web, name: 'settings' }))).toBe(false);
    expect(await exists(() => core.readNamespacedConfigMap({ namespace: two, name: 'other' }))).toBe(true);
    expect(await exists(() => core.readNamespacedSecret({ namespace: web, name: 'token' }))).toBe(true);
  }, 120_000);
});
