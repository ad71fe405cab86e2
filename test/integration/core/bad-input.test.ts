// Acceptance 7: bad input never destroys. Each break gives a condition and an Event, applies
// nothing, prunes nothing, and the app recovers on its own once Git is fixed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { isSyncedHealthy, readyCondition } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { handledRefresh } from '../support/settle.js';

const s = new Scenario('badinput', { intervalMs: 2_000 });
let core: CoreV1Api;
let apps: AppsV1Api;
const dest = s.destination('bad');

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  apps = s.kc.makeApiClient(AppsV1Api);
  s.repo.write('app/web.yaml', deployment('web', { replicas: 1 }));
  s.repo.write('app/settings.yaml', configMap('settings', { colour: 'blue' }));
  const sha = s.repo.commit('good');
  await s.apps.create('bad', { repoURL: s.repo.url, path: 'app', destinationNamespace: dest, automated: { prune: true, selfHeal: true }, interval: '2s' });
  await s.apps.waitFor('bad', 'Synced', (a) => a.status?.sync?.revision === sha && isSyncedHealthy(a));
});
afterAll(async () => {
  await s.tearDown();
});

/** The cluster still holds exactly what the last good commit declared. */
async function expectUntouched(): Promise<void> {
  const cm = await core.readNamespacedConfigMap({ name: 'settings', namespace: dest });
  expect(cm.data).toEqual({ colour: 'blue' });
  expect((await apps.readNamespacedDeployment({ name: 'web', namespace: dest })).spec?.replicas).toBe(1);
}

async function expectBroken(reason: string, messagePart: string): Promise<Application> {
  const app = await s.apps.waitFor('bad', `Ready=False ${reason}`, (a) => readyCondition(a)?.reason === reason);
  const ready = readyCondition(app);
  expect(ready?.status).toBe('False');
  expect(ready?.message).toContain(messagePart);
  expect(app.status?.sync?.status).toBe('Unknown');
  expect(app.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason });
  await eventually(`a Warning Event ${reason}`, async () => ((await s.apps.events('bad')).some((e) => e.type === 'Warning' && e.reason === reason) ? true : undefined));
  // Two full reconciles later (each re-reads Git) it is still broken, and nothing was applied or pruned.
  for (let i = 0; i < 2; i++) {
    const again = await handledRefresh(s.apps, 'bad');
    expect(readyCondition(again)).toMatchObject({ status: 'False', reason });
  }
  await expectUntouched();
  return app;
}

async function expectRecovered(): Promise<void> {
  await s.apps.waitFor('bad', 'Synced again', (a) => isSyncedHealthy(a) && readyCondition(a)?.reason === 'Synced', 30_000);
}

describe('bad input never destroys', () => {
  it('a malformed YAML file: RenderError naming file and line; the rest of the commit is not applied', async () => {
    s.repo.write('app/settings.yaml', configMap('settings', { colour: 'red' }));   // must not be applied
    s.repo.remove('app/web.yaml');                                                  // must not be pruned
    s.repo.write('app/broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n data: [unclosed\n');
    s.repo.commit('broken yaml');
    await expectBroken('RenderError', 'app/broken.yaml:');
    s.repo.remove('app/broken.yaml');
    s.repo.write('app/web.yaml', deployment('web', { replicas: 1 }));
    s.repo.write('app/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('fixed');
    await expectRecovered();
  });

  it('an object of a kind the cluster does not serve: UnknownKind, nothing applied', async () => {
    s.repo.write('app/settings.yaml', configMap('settings', { colour: 'green' }));
    s.repo.write('app/widget.yaml', 'apiVersion: example.capstan.dev/v1\nkind: Widget\nmetadata:\n  name: w\nspec: {}\n');
    s.repo.commit('unknown kind');
    await expectBroken('UnknownKind', 'Widget');
    s.repo.remove('app/widget.yaml');
    s.repo.write('app/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('no widget');
    await expectRecovered();
  });

  it('a path that does not exist: PathNotFound; recovers when the path appears in Git', async () => {
    s.apps.patchSpec('bad', { source: { repoURL: s.repo.url, path: 'later' } });
    await expectBroken('PathNotFound', 'later');
    s.repo.write('later/web.yaml', deployment('web', { replicas: 1 }));
    s.repo.write('later/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('add later/');
    await expectRecovered();
  });

  it('a revision that does not exist: RevisionNotFound; recovers when the branch is pushed', async () => {
    s.apps.patchSpec('bad', { source: { repoURL: s.repo.url, path: 'later', targetRevision: 'release' } });
    await expectBroken('RevisionNotFound', 'release');
    s.repo.git('branch', 'release');
    await expectRecovered();
  });

  it('a repository that does not exist: GitError; recovers when the repository appears', async () => {
    const missing = new TestRepo('capstan-missing-');
    const url = missing.url;
    missing.destroy();
    s.apps.patchSpec('bad', { source: { repoURL: url, path: 'later', targetRevision: 'HEAD' } });
    await expectBroken('GitError', 'not found');
    // The repository appears with the same content.
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['clone', '-q', s.repo.dir, url.replace('file://', '')]);
    await expectRecovered();
  });
});
