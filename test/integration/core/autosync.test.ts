// Acceptance 1–3: the CRD schema, auto-sync of a new Application, and a new commit applied by
// the poll of its repository.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl, kubectlCreate } from '../support/capstan.js';
import { configMap, deployment, service } from '../support/manifests.js';
import { eventually } from '../support/kube.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('autosync', { intervalMs: 3_000 });

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

describe('Application schema', () => {
  it('rejects an Application without source.repoURL', () => {
    const result = kubectlCreate({
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'no-repo', namespace: s.namespace },
      spec: { source: { path: '.' }, destination: { namespace: 'x' } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.stderr).toContain('spec.source.repoURL: Required value');
  });

  it('rejects a malformed interval and an unknown sync option format', () => {
    const result = kubectlCreate({
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'bad-interval', namespace: s.namespace },
      spec: { source: { repoURL: 'file:///x' }, destination: { namespace: 'x' }, interval: 'soon', syncPolicy: { syncOptions: ['CreateNamespace'] } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.stderr).toContain('spec.interval');
      expect(result.stderr).toContain('spec.syncPolicy.syncOptions[0]');
    }
  });
});

describe('automated sync', () => {
  const dest = s.destination('guestbook');
  let firstSha = '';

  it('creates the namespace and objects of a new Application and reports Synced, Healthy, the commit and one history entry', async () => {
    s.repo.write('app/web.yaml', `${deployment('web', { replicas: 2 })}---\n${service('web')}`);
    firstSha = s.repo.commit('first');
    await s.apps.create('guestbook', { repoURL: s.repo.url, path: 'app', destinationNamespace: dest, interval: '3s' });
    const app = await s.apps.waitFor('guestbook', 'Synced and Healthy', isSyncedHealthy, 90_000);
    expect(app.status?.sync?.revision).toBe(firstSha);
    expect(app.status?.history).toHaveLength(1);
    expect(app.status?.history?.[0]?.revision).toBe(firstSha);
    expect(app.status?.resources?.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(['Deployment/web', 'Service/web']);

    const core = s.kc.makeApiClient(CoreV1Api);
    const apps = s.kc.makeApiClient(AppsV1Api);
    await core.readNamespace({ name: dest });
    const web = await apps.readNamespacedDeployment({ name: 'web', namespace: dest });
    expect(web.status?.availableReplicas).toBe(2);
    expect(web.metadata?.labels?.['app.capstan.dev/managed-by']).toBe('capstan');
    expect(web.metadata?.annotations?.['capstan.dev/tracking-id']).toBe(`${s.namespace}/guestbook:apps/Deployment:${dest}/web`);
    expect(web.metadata?.managedFields?.some((m) => m.manager === 'capstan' && m.operation === 'Apply')).toBe(true);

    const events = await s.apps.events('guestbook');
    expect(events.find((e) => e.reason === 'SyncStarted')?.message).toContain(`syncing to ${firstSha.slice(0, 7)}`);
    expect(events.find((e) => e.reason === 'Synced')?.message).toContain('2 created');

    const table = kubectl('-n', s.namespace, 'get', 'capp', 'guestbook');
    expect(table).toMatch(/NAME\s+SYNC\s+HEALTH\s+REVISION\s+AGE/);
    expect(table).toMatch(new RegExp(`guestbook\\s+Synced\\s+Healthy\\s+${firstSha}`));
  });

  it('applies a new commit by itself, with no request, and follows its revision', async () => {
    s.repo.write('app/web.yaml', `${deployment('web', { replicas: 3 })}---\n${service('web')}`);
    s.repo.write('app/settings.yaml', configMap('settings', { mode: 'blue' }));
    const second = s.repo.commit('scale and add settings');
    // Nothing but the poll of the repository can bring the new commit: no webhook, no annotation.
    const app = await s.apps.waitFor('guestbook', `Synced at ${second}`, (a) => a.status?.sync?.revision === second && isSyncedHealthy(a), 60_000);
    expect(app.status?.operationState).toMatchObject({ phase: 'Succeeded', revision: second, initiatedBy: 'automated' });
    expect(app.metadata.annotations?.['capstan.dev/refresh']).toBeUndefined();
    expect(app.status?.lastRefresh).toBeUndefined();
    expect(app.status?.history?.map((h) => h.revision)).toEqual([firstSha, second]);
    const apps = s.kc.makeApiClient(AppsV1Api);
    const core = s.kc.makeApiClient(CoreV1Api);
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: dest })).spec?.replicas).toBe(3);
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: dest })).data).toEqual({ mode: 'blue' });
    const synced = await eventually('the Synced Event of the second commit', async () =>
      (await s.apps.events('guestbook')).find((e) => e.reason === 'Synced' && e.message?.startsWith(`synced to ${second.slice(0, 7)} (automated)`) === true));
    expect(synced.message).toContain('1 created');
  });
});
