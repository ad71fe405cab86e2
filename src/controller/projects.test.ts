// Projects as the reconcile obeys them, over the in-memory cluster: the app-level rules (the
// project exists, sourceRepos, destinations, sourceNamespaces) and the rules on every rendered
// object (hooks too) refuse with ProjectDenied and nothing applied; sync windows hold automated
// syncs back with a condition saying until when, and let a manual sync through only with
// manualSync.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import type { AppProjectSpec, SyncWindow } from '../projects/index.js';
import { project } from '../projects/testing/project.js';
import { fixedProjects } from './project-source.js';
import { reconcileApp } from './reconcile.js';
import { fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/team-a/apps.git';
const sha = 'a'.repeat(40);
const key = { namespace: 'capstan', name: 'web' };
const teamA: AppProjectSpec = {
  sourceRepos: ['https://git.example/team-a/*'],
  destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'team-a*' }],
};

const configMap = (name: string, namespace?: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations, ...(namespace === undefined ? {} : { namespace }) }, data: { colour: 'blue' },
});

function world(objects: readonly KubeObject[], projects: Record<string, AppProjectSpec>): FakeWorld {
  const w = fakeWorld({ projects: fixedProjects(Object.entries(projects).map(([name, spec]) => project(name, spec))) });
  w.cluster.serve({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespaced: false });
  const dir = mkdtempSync(join(tmpdir(), 'capstan-projects-'));
  roots.push(dir);
  objects.forEach((o, i) => {
    mkdirSync(dirname(join(dir, 'app', `${i}.json`)), { recursive: true });
    writeFileSync(join(dir, 'app', `${i}.json`), JSON.stringify(o));
  });
  w.repos.setTree(sha, dir);
  w.repos.setRevision(repoURL, 'main', sha);
  return w;
}

function application(spec: Partial<Application['spec']> = {}, annotations: Record<string, string> = {}): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
    metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid', annotations },
    spec: {
      project: 'team-a',
      source: { repoURL, path: 'app', targetRevision: 'main' },
      destination: { namespace: 'team-a-web' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
      ...spec,
    },
  };
}

const run = (w: FakeWorld) => reconcileApp(w.deps, 'capstan/web', new AbortController().signal);
const ready = (w: FakeWorld) => w.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready');
const writesToCluster = (w: FakeWorld) => w.cluster.calls.filter((c) => c.verb !== 'fetch' && c.verb !== 'watch' && c.verb !== 'dryRun');

describe('project rules', () => {
  it('syncs an app its project permits', async () => {
    const w = world([configMap('settings')], { 'team-a': teamA });
    w.apps.put(application());
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
    expect(w.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'team-a-web', name: 'settings' })).toBeDefined();
  });

  it.each<[string, KubeObject[], Partial<Application['spec']>, string]>([
    ['an object in a namespace the destinations do not allow', [configMap('settings'), configMap('other', 'team-b')], {},
      'ConfigMap team-b/other: destination namespace "team-b" is not permitted by project "team-a" (destinations: https://kubernetes.default.svc/team-a*)'],
    ['a cluster-scoped kind', [configMap('settings'), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } }], {},
      'cluster-scoped resource rbac.authorization.k8s.io/ClusterRole "reader" is not permitted by project "team-a" (clusterResourceWhitelist: none)'],
    ['a hook in another namespace', [configMap('settings'), configMap('pre', 'team-b', { 'argocd.argoproj.io/hook': 'PreSync' })], {},
      'ConfigMap team-b/pre: destination namespace "team-b" is not permitted by project "team-a"'],
    ['a repository sourceRepos does not list', [configMap('settings')], { source: { repoURL: 'https://git.example/team-b/apps.git', path: 'app', targetRevision: 'main' } },
      'source repository "https://git.example/team-b/apps.git" is not permitted by project "team-a" (sourceRepos: https://git.example/team-a/*)'],
    ['a destination namespace the destinations do not allow', [configMap('settings')], { destination: { namespace: 'team-b' } },
      'destination namespace "team-b" is not permitted by project "team-a" (destinations: https://kubernetes.default.svc/team-a*)'],
    ['a project that does not exist', [configMap('settings')], { project: 'team-z' },
      'project "team-z" cannot be used: no AppProject "team-z" exists in namespace capstan'],
    ['a project with a field Capstan does not carry out', [configMap('settings')], { project: 'with-roles' },
      'project "with-roles" cannot be used: spec.roles'],
    ['the namespace CreateNamespace=true creates', [configMap('settings')], { syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] } },
      'the destination namespace CreateNamespace=true creates: cluster-scoped resource Namespace "team-a-web" is not permitted by project "team-a"'],
  ])('refuses %s: ProjectDenied naming the rule, nothing applied', async (_what, objects, spec, message) => {
    const w = world(objects, { 'team-a': teamA, 'with-roles': { ...teamA, roles: [{ name: 'ci' }] } as AppProjectSpec });
    w.repos.setRevision('https://git.example/team-b/apps.git', 'main', sha);
    w.apps.put(application(spec));
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'False', reason: 'ProjectDenied' });
    expect(ready(w)?.message).toContain(message);
    expect(ready(w)?.message).toContain('nothing was applied');
    expect(writesToCluster(w)).toEqual([]);
    expect(w.events.events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'ProjectDenied' }));
  });

  it('refuses an Application outside the controller namespace unless sourceNamespaces lists its namespace', async () => {
    const w = world([configMap('settings')], { 'team-a': teamA });
    const app = application();
    w.apps.put({ ...app, metadata: { ...app.metadata, namespace: 'tenants' } });
    await reconcileApp(w.deps, 'tenants/web', new AbortController().signal);
    const status = w.apps.mustGet({ namespace: 'tenants', name: 'web' }).status;
    expect(status?.conditions?.find((c) => c.type === 'Ready')?.message).toContain('an Application in namespace "tenants" is not permitted by project "team-a" (sourceNamespaces: none)');
    expect(writesToCluster(w)).toEqual([]);
  });

  it('the same app in a permissive project syncs, and the implicit default permits everything', async () => {
    const objects = [configMap('settings'), configMap('other', 'team-b'), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } }];
    const w = world(objects, { open: { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] } });
    w.apps.put(application({ project: 'open' }));
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
    expect(w.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'team-b', name: 'other' })).toBeDefined();
    const d = world(objects, {});
    d.apps.put(application({ project: '' }));
    await run(d);
    expect(ready(d)).toMatchObject({ status: 'True', reason: 'Synced' });
  });
});

/** A daily deny window that opened a minute before the fake clock (12:00 UTC) and lasts an hour. */
const denyNow = (extra: Partial<SyncWindow> = {}): AppProjectSpec => ({
  ...teamA, syncWindows: [{ kind: 'deny', schedule: '59 11 * * *', duration: '1h', applications: ['*'], ...extra }],
});

describe('sync windows', () => {
  it('an automated sync waits while a deny window is open: OutOfSync, SyncWindowClosed until it closes; then it syncs', async () => {
    const w = world([configMap('settings')], { 'team-a': denyNow() });
    w.apps.put(application());
    await run(w);
    const status = w.apps.mustGet(key).status;
    expect(status?.sync?.status).toBe('OutOfSync');
    expect(ready(w)).toMatchObject({ status: 'False', reason: 'SyncWindowClosed' });
    expect(ready(w)?.message).toContain('sync window deny "59 11 * * *" for 1h (UTC) is open until 2026-12-01T12:59:00.000Z');
    expect(status?.operationState).toBeUndefined();
    expect(writesToCluster(w)).toEqual([]);
    expect(w.events.events).toContainEqual(expect.objectContaining({ type: 'Normal', reason: 'SyncWindowClosed' }));
    w.clock.now = Date.parse('2026-12-01T13:00:00Z');
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
  });

  it('self-heal waits too', async () => {
    const spec: AppProjectSpec = { ...teamA, syncWindows: [] };
    const w = world([configMap('settings')], { 'team-a': spec });
    w.apps.put(application());
    await run(w);
    const cm = w.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'team-a-web', name: 'settings' });
    if (cm === undefined) throw new Error('not applied');
    w.cluster.put({ ...cm, data: { colour: 'red' } });
    spec.syncWindows?.push(...(denyNow().syncWindows ?? []));
    const applies = w.cluster.count('apply');
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'False', reason: 'SyncWindowClosed' });
    expect(w.cluster.count('apply')).toBe(applies);
  });

  it('a manual sync is refused and recorded while the window holds manual syncs back', async () => {
    const w = world([configMap('settings')], { 'team-a': denyNow() });
    w.apps.put(application({ syncPolicy: {} }, { 'capstan.dev/sync': 'now' }));
    await run(w);
    const app = w.apps.mustGet(key);
    expect(app.status?.operationState).toMatchObject({ phase: 'Failed', syncToken: 'now' });
    expect(app.status?.operationState?.message).toContain('sync not started: sync window deny "59 11 * * *" for 1h (UTC) is open until 2026-12-01T12:59:00.000Z; manual syncs are held back too');
    expect(ready(w)).toMatchObject({ status: 'False', reason: 'SyncWindowClosed' });
    expect(app.metadata.annotations?.['capstan.dev/sync']).toBeUndefined();
    expect(writesToCluster(w)).toEqual([]);
    expect(w.events.events).toContainEqual(expect.objectContaining({ type: 'Warning', reason: 'SyncWindowClosed' }));
  });

  it('a refused manual sync of an automated app is no failed attempt: nothing retried or exhausted, it syncs once the window closes', async () => {
    const w = world([configMap('settings')], { 'team-a': denyNow() });
    w.apps.put(application({ syncPolicy: { automated: {}, retry: { limit: 0 } } }, { 'capstan.dev/sync': 'now' }));
    await run(w);
    const refused = w.apps.mustGet(key).status;
    expect(refused?.operationState).toMatchObject({ phase: 'Failed' });
    expect(refused?.operationState?.nextAttemptAt).toBeUndefined();
    expect(refused?.conditions?.find((c) => c.type === 'Stalled')).toBeUndefined();
    w.clock.now += 10_000;
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'False', reason: 'SyncWindowClosed' });
    expect(w.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Stalled')).toBeUndefined();
    w.clock.now = Date.parse('2026-12-01T13:00:00Z');
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
  });

  it('an operation field is refused the same way, and taken', async () => {
    const w = world([configMap('settings')], { 'team-a': denyNow() });
    w.apps.put({ ...application({ syncPolicy: {} }), operation: { sync: {}, initiatedBy: { username: 'alice' } } });
    await run(w);
    const app = w.apps.mustGet(key);
    expect(app.status?.operationState).toMatchObject({ phase: 'Failed' });
    expect(app.status?.operationState?.message).toContain('sync not started: sync window');
    expect((app as Application & { operation?: unknown }).operation).toBeUndefined();
    expect(writesToCluster(w)).toEqual([]);
  });

  it('with manualSync: true a manual sync goes ahead while automated ones wait', async () => {
    const w = world([configMap('settings')], { 'team-a': denyNow({ manualSync: true }) });
    w.apps.put(application({}, { 'capstan.dev/sync': 'now' }));
    await run(w);
    expect(w.apps.mustGet(key).status?.operationState).toMatchObject({ phase: 'Succeeded', syncToken: 'now' });
    expect(w.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'team-a-web', name: 'settings' })).toBeDefined();
  });

  it('a sync already running when a window opens finishes', async () => {
    const spec: AppProjectSpec = { ...teamA, syncWindows: [] };
    const job: KubeObject = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const w = world([configMap('settings'), job], { 'team-a': spec });
    w.cluster.serve({ group: 'batch', version: 'v1', kind: 'Job', namespaced: true });
    w.apps.put(application());
    await run(w);
    expect(w.apps.mustGet(key).status?.operationState).toMatchObject({ phase: 'Running', syncPhase: 'PreSync' });
    spec.syncWindows?.push(...(denyNow().syncWindows ?? []));
    const jobKey = { group: 'batch', kind: 'Job', namespace: 'team-a-web', name: 'migrate' };
    const live = w.cluster.get(jobKey);
    if (live === undefined) throw new Error('the hook was not created');
    w.cluster.put({ ...live, status: { conditions: [{ type: 'Complete', status: 'True' }] } });
    await run(w);
    expect(w.apps.mustGet(key).status?.operationState).toMatchObject({ phase: 'Succeeded' });
    expect(w.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'team-a-web', name: 'settings' })).toBeDefined();
  });

  it('a window for other apps holds nothing back', async () => {
    const w = world([configMap('settings')], { 'team-a': denyNow({ applications: ['other-*'] }) });
    w.apps.put(application());
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
  });
});
