// The sync operation, reconcile by reconcile, over the in-memory cluster: hooks are waited for
// across reconciles (never inline), a failure runs SyncFail hooks, a timeout and a terminate end
// the operation, and a restarted controller resumes without creating a hook twice. The same
// behaviour against the real API server is in test/integration/sync/.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Application, OperationState } from '../api/application.js';
import type { KubeObject, ResourceKey } from '../api/object.js';
import { reconcileApp } from './reconcile.js';
import type { AppProject } from '../projects/types.js';
import { fixedProjects } from './project-source.js';
import { fakeDestination, fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/org/apps.git';
const shaA = 'a'.repeat(40);
const shaB = 'b'.repeat(40);
const key = { namespace: 'capstan', name: 'web' };

function tree(world: FakeWorld, sha: string, files: Record<string, object>): void {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-operation-'));
  roots.push(dir);
  for (const [path, obj] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(obj));
  }
  world.repos.setTree(sha, dir);
}

const configMap = (name: string, data: Record<string, string> = { k: 'v' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const job = (name: string, hook: string, annotations: Record<string, string> = {}, metadata: Record<string, unknown> = { name }) => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { ...metadata, annotations: { 'argocd.argoproj.io/hook': hook, ...annotations } },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
});

function application(syncPolicy: Application['spec']['syncPolicy'] = { automated: { prune: true } }): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid', generation: 1 },
    spec: { source: { repoURL, path: 'app', targetRevision: 'main' }, destination: { namespace: 'web' }, syncPolicy },
  };
}

const run = (world: FakeWorld) => reconcileApp(world.deps, 'capstan/web', new AbortController().signal);
const op = (world: FakeWorld): OperationState | undefined => world.apps.mustGet(key).status?.operationState;
const jobKey = (name: string): ResourceKey => ({ group: 'batch', kind: 'Job', namespace: 'web', name });
const cmKey = (name: string): ResourceKey => ({ group: '', kind: 'ConfigMap', namespace: 'web', name });

/** The Job controller's part: marks the Job Complete or Failed. */
function finishJob(world: FakeWorld, name: string, outcome: 'Complete' | 'Failed'): void {
  const live = world.cluster.get(jobKey(name));
  if (live === undefined) throw new Error(`no Job ${name}`);
  world.cluster.put({ ...live, status: { conditions: [{ type: outcome, status: 'True' }] } });
}

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
  world.cluster.serve({ group: 'batch', version: 'v1', kind: 'Job', namespaced: true });
  world.repos.setRevision(repoURL, 'main', shaA);
});

describe('a sync with hooks, one reconcile at a time', () => {
  it('waits for the PreSync hook before Sync, for Sync before PostSync, and records where it is', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings'), 'app/smoke.json': job('smoke', 'PostSync') });
    world.apps.put(application());
    const first = await run(world);
    expect(op(world)).toMatchObject({ phase: 'Running', syncPhase: 'PreSync', wave: 0, waitingFor: 'hook Job/migrate to complete before Sync wave 0' });
    expect(first.requeueAfterMs).toBeLessThanOrEqual(5_000);
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
    expect(world.cluster.get(jobKey('migrate'))?.metadata.annotations?.['capstan.dev/sync-id']).toBe(`${op(world)?.syncId ?? ''}/PreSync`);
    // Hooks are not desired state: not in status.resources, not OutOfSync.
    expect(world.apps.mustGet(key).status?.resources?.map((r) => r.name)).toEqual(['settings']);

    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Running', syncPhase: 'PreSync' });
    expect(world.cluster.count('create')).toBe(1);

    finishJob(world, 'migrate', 'Complete');
    await run(world);
    expect(world.cluster.get(cmKey('settings'))).toBeDefined();
    expect(op(world)).toMatchObject({ phase: 'Running', syncPhase: 'PostSync', waitingFor: 'hook Job/smoke to complete before the sync can finish' });

    finishJob(world, 'smoke', 'Complete');
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Succeeded' });
    expect(op(world)?.hooks?.map((h) => `${h.phase} ${h.name} ${h.status}`)).toEqual(['PreSync migrate Succeeded', 'PostSync smoke Succeeded']);
    expect(world.apps.mustGet(key).status?.history).toHaveLength(1);
    expect(world.apps.mustGet(key).status?.sync?.status).toBe('Synced');
  });

  it('a failed PreSync hook: nothing of the Sync phase is applied, SyncFail hooks run, the operation fails naming the hook', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings'), 'app/cleanup.json': job('cleanup', 'SyncFail') });
    world.apps.put(application({ automated: {}, retry: { limit: 0 } }));
    await run(world);
    finishJob(world, 'migrate', 'Failed');
    await run(world);
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
    expect(op(world)).toMatchObject({ phase: 'Running', syncPhase: 'SyncFail', failure: 'PreSync hook Job/migrate failed: failed' });
    finishJob(world, 'cleanup', 'Complete');
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Failed', message: 'PreSync hook Job/migrate failed: failed' });
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
  });

  it('a hook that never completes fails the operation at syncPolicy.hookTimeout, and the hook is stopped', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.apps.put(application({ automated: {}, hookTimeout: '2m', retry: { limit: 0 } }));
    await run(world);
    world.clock.now += 119_000;
    await run(world);
    expect(op(world)?.phase).toBe('Running');
    world.clock.now += 2_000;
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Failed', message: 'timed out after 120s (syncPolicy.hookTimeout) waiting for hook Job/migrate to complete before Sync wave 0' });
    expect(world.cluster.get(jobKey('migrate'))).toBeUndefined();
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
  });

  it('terminate ends a running operation at once and deletes its running hooks', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.apps.put(application({ automated: {} }));
    await run(world);
    const app = world.apps.mustGet(key);
    world.apps.put({ ...app, metadata: { ...app.metadata, annotations: { 'capstan.dev/terminate-operation': 'true' } } });
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Failed', message: 'terminated while waiting for hook Job/migrate to complete before Sync wave 0' });
    expect(world.cluster.get(jobKey('migrate'))).toBeUndefined();
    expect(world.apps.mustGet(key).metadata.annotations?.['capstan.dev/terminate-operation']).toBeUndefined();
    // Not retried by itself, though automated syncs retry 5 times: it was ended on purpose.
    world.clock.now += 600_000;
    await run(world);
    expect(op(world)?.phase).toBe('Failed');
    expect(world.cluster.get(jobKey('migrate'))).toBeUndefined();
  });

  it('a restarted controller resumes the operation and does not create its hook again', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.apps.put(application());
    await run(world);
    const uid = world.cluster.get(jobKey('migrate'))?.metadata.uid;
    // A new process: fresh caches, the same cluster and Applications.
    const restarted = fakeWorld({ apps: world.apps, destinations: fakeDestination(world.cluster), repos: world.repos });
    finishJob(world, 'migrate', 'Complete');
    await reconcileApp(restarted.deps, 'capstan/web', new AbortController().signal);
    expect(world.cluster.get(jobKey('migrate'))?.metadata.uid).toBe(uid);
    expect(world.cluster.count('create')).toBe(1);
    expect(op(world)).toMatchObject({ phase: 'Succeeded' });
    expect(world.apps.mustGet(key).status?.history).toHaveLength(1);
  });

  it('BeforeHookCreation re-runs a completed hook on the next sync; HookSucceeded deletes it after success; generateName makes a new one each time', async () => {
    tree(world, shaA, {
      'app/migrate.json': job('migrate', 'PreSync'),
      'app/smoke.json': job('smoke', 'PostSync', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' }),
      'app/report.json': job('', 'PostSync', {}, { generateName: 'report-' }),
      'app/cm.json': configMap('settings'),
    });
    world.apps.put(application());
    await run(world);
    finishJob(world, 'migrate', 'Complete');
    await run(world);
    const reports = (): KubeObject[] => world.cluster.all().filter((o) => o.metadata.name?.startsWith('report-') === true);
    expect(reports()).toHaveLength(1);
    finishJob(world, 'smoke', 'Complete');
    finishJob(world, reports()[0]?.metadata.name ?? '', 'Complete');
    await run(world);
    expect(op(world)?.phase).toBe('Succeeded');
    expect(world.cluster.get(jobKey('smoke'))).toBeUndefined();
    const firstUid = world.cluster.get(jobKey('migrate'))?.metadata.uid;

    world.repos.setRevision(repoURL, 'main', shaB);
    tree(world, shaB, {
      'app/migrate.json': job('migrate', 'PreSync'),
      'app/report.json': job('', 'PostSync', {}, { generateName: 'report-' }),
      'app/cm.json': configMap('settings', { k: 'v2' }),
    });
    await run(world);
    const second = world.cluster.get(jobKey('migrate'));
    expect(second?.metadata.uid).not.toBe(firstUid);
    expect(op(world)).toMatchObject({ phase: 'Running', revision: shaB, syncPhase: 'PreSync' });
    finishJob(world, 'migrate', 'Complete');
    await run(world);
    expect(reports()).toHaveLength(2);
  });

  it('a hook deleted by ttlSecondsAfterFinished once done counts as complete and never makes the app OutOfSync', async () => {
    const ttl = { ...job('migrate', 'PreSync'), spec: { ttlSecondsAfterFinished: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
    tree(world, shaA, { 'app/migrate.json': ttl, 'app/cm.json': configMap('settings') });
    world.apps.put(application());
    await run(world);
    await world.cluster.applier.delete({ ...jobKey('migrate'), version: 'v1' }, { propagationPolicy: 'Background' });
    await run(world);
    expect(op(world)?.phase).toBe('Succeeded');
    expect(world.apps.mustGet(key).status?.sync?.status).toBe('Synced');
    const creates = world.cluster.count('create');
    await run(world);
    expect(world.cluster.count('create')).toBe(creates);
  });
});

describe('Prune=confirm and Delete=confirm', () => {
  const held = (name: string, option: string) => ({ ...configMap(name), metadata: { name, annotations: { 'argocd.argoproj.io/sync-options': option } } });

  it('a prune of a Prune=confirm object waits for an approval given after the sync started, then runs', async () => {
    tree(world, shaA, { 'app/keep.json': configMap('keep'), 'app/old.json': held('old', 'Prune=confirm') });
    world.apps.put(application());
    await run(world);
    world.repos.setRevision(repoURL, 'main', shaB);
    tree(world, shaB, { 'app/keep.json': configMap('keep') });
    const stale = world.apps.mustGet(key);
    // An approval older than the sync approves nothing.
    world.apps.put({ ...stale, metadata: { ...stale.metadata, annotations: { 'capstan.dev/deletion-approved': '2026-01-01T00:00:00Z' } } });
    world.clock.now += 60_000;
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Running', waitingFor: 'confirmation to prune ConfigMap/old (Prune=confirm): capstan app confirm-prune web' });
    expect(world.cluster.get(cmKey('old'))).toBeDefined();
    const app = world.apps.mustGet(key);
    world.apps.put({ ...app, metadata: { ...app.metadata, annotations: { 'argocd.argoproj.io/deletion-approved': new Date(world.clock.now).toISOString() } } });
    await run(world);
    expect(op(world)?.phase).toBe('Succeeded');
    expect(world.cluster.get(cmKey('old'))).toBeUndefined();
  });

  it('deleting the app deletes a Delete=confirm object only once approved, the others at once', async () => {
    tree(world, shaA, { 'app/plain.json': configMap('plain'), 'app/precious.json': held('precious', 'Delete=confirm') });
    world.apps.put(application());
    await run(world);
    const synced = world.apps.mustGet(key);
    const deletedAt = new Date(world.clock.now).toISOString();
    world.apps.put({ ...synced, metadata: { ...synced.metadata, finalizers: ['capstan.dev/resources-finalizer'], deletionTimestamp: deletedAt } });
    await run(world);
    await run(world);
    expect(world.cluster.get(cmKey('plain'))).toBeUndefined();
    expect(world.cluster.get(cmKey('precious'))).toBeDefined();
    expect(world.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready')?.message).toBe('waiting for confirmation to delete ConfigMap/precious (Delete=confirm): capstan app confirm-prune web');
    const waiting = world.apps.mustGet(key);
    world.apps.put({ ...waiting, metadata: { ...waiting.metadata, annotations: { 'capstan.dev/deletion-approved': deletedAt } } });
    await run(world);
    expect(world.cluster.get(cmKey('precious'))).toBeUndefined();
  });
});

describe('a running sync whose repository fails', () => {
  it('still ends: at hookTimeout, or at once when terminated, and its running hook is stopped', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.apps.put(application({ automated: {}, hookTimeout: '1m' }));
    await run(world);
    expect(op(world)?.phase).toBe('Running');
    world.repos.setFailure(repoURL, { code: 'GitError', message: 'the host is down' });
    await run(world);
    expect(op(world)?.phase).toBe('Running');
    world.clock.now += 61_000;
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Failed', message: 'timed out after 60s (syncPolicy.hookTimeout): the sync could not go on: the host is down' });
    expect(world.cluster.get(jobKey('migrate'))).toBeUndefined();
  });

  it('a sync requested meanwhile is kept for later, not recorded over the running one', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.apps.put(application({ automated: {} }));
    await run(world);
    world.repos.setFailure(repoURL, { code: 'GitError', message: 'the host is down' });
    const app = world.apps.mustGet(key);
    world.apps.put({ ...app, metadata: { ...app.metadata, annotations: { 'capstan.dev/sync': 'later' } } });
    await run(world);
    expect(op(world)?.phase).toBe('Running');
    expect(world.apps.mustGet(key).metadata.annotations?.['capstan.dev/sync']).toBe('later');
    const again = world.apps.mustGet(key);
    world.apps.put({ ...again, metadata: { ...again.metadata, annotations: { ...again.metadata.annotations, 'capstan.dev/terminate-operation': 'now' } } });
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Failed', terminated: true });
  });
});

describe('PostDelete hooks', () => {
  it('run once the app is deleted and its objects are gone, never during a sync; the deletion waits for them', async () => {
    tree(world, shaA, { 'app/cm.json': configMap('settings'), 'app/cleanup.json': job('cleanup', 'PostDelete') });
    world.apps.put(application());
    await run(world);
    expect(op(world)?.phase).toBe('Succeeded');
    expect(world.cluster.get(jobKey('cleanup'))).toBeUndefined();
    const synced = world.apps.mustGet(key);
    world.apps.put({ ...synced, metadata: { ...synced.metadata, finalizers: ['capstan.dev/resources-finalizer'], deletionTimestamp: new Date(world.clock.now).toISOString() } });
    await run(world);
    await run(world);
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
    expect(world.cluster.get(jobKey('cleanup'))).toBeDefined();
    expect(op(world)).toMatchObject({ phase: 'Running', syncPhase: 'PostDelete', waitingFor: 'PostDelete hook Job/cleanup to complete' });
    expect(world.apps.mustGet(key).metadata.finalizers).toEqual(['capstan.dev/resources-finalizer']);
    await run(world);
    expect(world.cluster.count('create')).toBe(1);
    finishJob(world, 'cleanup', 'Complete');
    await run(world);
    expect(world.apps.get(key)?.metadata.finalizers ?? []).toEqual([]);
  });

  it('a PostDelete hook that fails is reported, and the app is deleted anyway', async () => {
    tree(world, shaA, { 'app/cm.json': configMap('settings'), 'app/cleanup.json': job('cleanup', 'PostDelete') });
    world.apps.put(application());
    await run(world);
    const synced = world.apps.mustGet(key);
    world.apps.put({ ...synced, metadata: { ...synced.metadata, finalizers: ['capstan.dev/resources-finalizer'], deletionTimestamp: new Date(world.clock.now).toISOString() } });
    await run(world);
    await run(world);
    finishJob(world, 'cleanup', 'Failed');
    await run(world);
    expect(world.apps.get(key)?.metadata.finalizers ?? []).toEqual([]);
    expect(world.events.events.some((e) => e.reason === 'PostDeleteHookFailed' && e.message.includes('Job/cleanup'))).toBe(true);
  });
});

describe('PostDelete hooks and the project', () => {
  const narrowed = (blacklisted: string): AppProject => ({
    apiVersion: 'capstan.dev/v1alpha1', kind: 'AppProject', metadata: { name: 'default', namespace: 'capstan' },
    spec: {
      sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      namespaceResourceBlacklist: [{ group: blacklisted === 'Job' ? 'batch' : '', kind: blacklisted }],
    },
  });
  let current: AppProject[] = [];
  const deleted = (w: FakeWorld): void => {
    const synced = w.apps.mustGet(key);
    w.apps.put({ ...synced, metadata: { ...synced.metadata, finalizers: ['capstan.dev/resources-finalizer'], deletionTimestamp: new Date(w.clock.now).toISOString() } });
  };

  beforeEach(() => {
    current = [];
    world = fakeWorld({ projects: { get: (name) => current.find((p) => p.metadata.name === name) ?? fixedProjects([]).get(name), problem: undefined, namespace: 'capstan' } });
    world.cluster.serve({ group: 'batch', version: 'v1', kind: 'Job', namespaced: true });
    world.repos.setRevision(repoURL, 'main', shaA);
    tree(world, shaA, { 'app/cm.json': configMap('settings'), 'app/cleanup.json': job('cleanup', 'PostDelete') });
    world.apps.put(application());
  });

  it('run when the project now denies another object of the revision: only the hooks are checked', async () => {
    await run(world);
    expect(op(world)?.phase).toBe('Succeeded');
    current = [narrowed('ConfigMap')];
    deleted(world);
    await run(world);
    await run(world);
    expect(world.cluster.get(jobKey('cleanup'))).toBeDefined();
  });

  it('are not run, and the deletion does not wait, when the project denies them', async () => {
    await run(world);
    current = [narrowed('Job')];
    deleted(world);
    for (let i = 0; i < 4 && (world.apps.get(key)?.metadata.finalizers ?? []).length > 0; i++) await run(world);
    expect(world.apps.get(key)?.metadata.finalizers ?? []).toEqual([]);
    expect(world.cluster.get(jobKey('cleanup'))).toBeUndefined();
    expect(world.events.events.find((e) => e.reason === 'PostDeleteHookFailed')?.message).toContain('project');
  });
});

describe('a sync requested while another runs', () => {
  it('is kept while that one runs, also through the reconcile that ends it, and runs next', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.apps.put(application());
    await run(world);
    const app = world.apps.mustGet(key);
    world.apps.put({ ...app, metadata: { ...app.metadata, annotations: { 'capstan.dev/sync': 'next' } } });
    await run(world);
    expect(world.apps.mustGet(key).metadata.annotations?.['capstan.dev/sync']).toBe('next');
    finishJob(world, 'migrate', 'Complete');
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Succeeded', initiatedBy: 'automated' });
    expect(world.apps.mustGet(key).metadata.annotations?.['capstan.dev/sync']).toBe('next');
    await run(world);
    expect(op(world)).toMatchObject({ syncToken: 'next', initiatedBy: 'user (next)' });
  });
});

describe('a hook in a protected namespace', () => {
  it('is refused like any object there: ProtectedNamespace, nothing created', async () => {
    world = fakeWorld({ settings: { ...world.deps.settings, protectedNamespaces: ['capstan'] } });
    world.cluster.serve({ group: 'batch', version: 'v1', kind: 'Job', namespaced: true });
    world.repos.setRevision(repoURL, 'main', shaA);
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync', {}, { name: 'migrate', namespace: 'capstan' }), 'app/cm.json': configMap('settings') });
    world.apps.put(application());
    await run(world);
    expect(world.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'ProtectedNamespace' });
    expect(world.cluster.count('create')).toBe(0);
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
  });
});

describe('a hook whose name is taken', () => {
  it('by another app\'s object, or one Capstan did not make: the hook is not created and that object is left alone', async () => {
    tree(world, shaA, { 'app/migrate.json': job('migrate', 'PreSync'), 'app/cm.json': configMap('settings') });
    world.cluster.put({ ...job('migrate', 'PreSync'), metadata: { name: 'migrate', namespace: 'web', annotations: { 'capstan.dev/tracking-id': 'capstan/other:batch/Job:web/migrate' } } });
    const theirs = world.cluster.get(jobKey('migrate'))?.metadata.uid;
    world.apps.put(application({ automated: {}, retry: { limit: 0 } }));
    await run(world);
    expect(op(world)).toMatchObject({ phase: 'Failed' });
    expect(op(world)?.message).toContain('Job web/migrate exists and it belongs to Application capstan/other');
    expect(world.cluster.get(jobKey('migrate'))?.metadata.uid).toBe(theirs);
    expect(world.cluster.get(cmKey('settings'))).toBeUndefined();
  });
});
