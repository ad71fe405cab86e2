import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { KubeApiError } from '../cluster/errors.js';
import { reconcileApp } from './reconcile.js';
import { fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/org/apps.git';
const shaA = 'a'.repeat(40);
const shaB = 'b'.repeat(40);

/** A checked-out tree with these files, served by the fake repo cache as commit `sha`. */
function tree(world: FakeWorld, sha: string, files: Record<string, string>): void {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-reconcile-'));
  roots.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  world.repos.setTree(sha, dir);
}

const configMap = (name: string, data: Record<string, string>, annotations: Record<string, string> = {}): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations }, data });

function application(spec: Partial<Application['spec']> = {}, extra: Partial<Application['metadata']> = {}): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
    metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid', ...extra },
    spec: {
      source: { repoURL, path: 'app', targetRevision: 'main' },
      destination: { namespace: 'web' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
      ...spec,
    },
  };
}

const key = { namespace: 'capstan', name: 'web' };
const run = (world: FakeWorld) => reconcileApp(world.deps, 'capstan/web', new AbortController().signal);
const ready = (world: FakeWorld) => world.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready');
const stalled = (world: FakeWorld) => world.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Stalled');

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
  world.repos.setRevision(repoURL, 'main', shaA);
  tree(world, shaA, { 'app/settings.json': configMap('settings', { colour: 'blue' }) });
});

describe('reconcileApp', () => {
  it('syncs a new app, then a second reconcile with nothing changed writes nothing at all', async () => {
    world.apps.put(application());
    await run(world);
    const app = world.apps.mustGet(key);
    expect(app.status?.sync).toEqual({ status: 'Synced', revision: shaA });
    expect(app.status?.operationState?.phase).toBe('Succeeded');
    expect(world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' })?.['data']).toEqual({ colour: 'blue' });
    const before = { status: world.apps.statusWrites, patches: world.apps.patches, cluster: world.cluster.writes, dryRuns: world.cluster.count('dryRun'), events: world.events.events.length };
    await run(world);
    await run(world);
    expect({ status: world.apps.statusWrites, patches: world.apps.patches, cluster: world.cluster.writes, dryRuns: world.cluster.count('dryRun'), events: world.events.events.length })
      .toEqual(before);
  });

  it('refuses an app whose destination server is no URL: InvalidSpec, a Warning Event, nothing applied', async () => {
    world.apps.put(application({ destination: { server: 'prod.example:6443', namespace: 'web' } }));
    await run(world);
    expect(ready(world)).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(stalled(world)?.message).toContain('spec.destination.server "prod.example:6443" is not an http(s):// URL');
    expect(world.events.events).toEqual([expect.objectContaining({ type: 'Warning', reason: 'InvalidSpec' })]);
    expect(world.cluster.calls.filter((c) => c.verb !== 'fetch')).toEqual([]);
    expect(world.repos.calls).toEqual([]);
  });

  it('a status-only change of a managed object costs no dry run and no write', async () => {
    world.apps.put(application());
    await run(world);
    const cm = world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' });
    if (cm === undefined) throw new Error('not applied');
    world.cluster.put({ ...cm, status: { observed: 'now' } });
    const dryRuns = world.cluster.count('dryRun');
    const writes = world.apps.statusWrites;
    await run(world);
    expect(world.cluster.count('dryRun')).toBe(dryRuns);
    expect(world.apps.statusWrites).toBe(writes);
  });

  it('a field the manifest does not set never counts as drift', async () => {
    world.apps.put(application());
    await run(world);
    const cm = world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' });
    if (cm === undefined) throw new Error('not applied');
    // Another controller adds an annotation of its own, and owns it.
    world.cluster.put({
      ...cm,
      metadata: {
        ...cm.metadata, annotations: { ...cm.metadata.annotations, 'other.example/revision': '2' },
        managedFields: [...(cm.metadata.managedFields ?? []), { manager: 'other-controller', operation: 'Update', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:other.example/revision': {} } } } }],
      },
    });
    const applies = world.cluster.count('apply');
    await run(world);
    expect(world.apps.mustGet(key).status?.sync?.status).toBe('Synced');
    expect(world.cluster.count('apply')).toBe(applies);
  });

  it('retries a transient API error with backoff: Reconciling with the error, never Stalled', async () => {
    world.apps.put(application());
    world.cluster.fail('dryRun', new KubeApiError(429, 'TooManyRequests', 'the server has received too many requests'));
    await expect(run(world)).rejects.toThrow('too many requests');
    const conditions = world.apps.mustGet(key).status?.conditions ?? [];
    expect(conditions.find((c) => c.type === 'Reconciling')).toMatchObject({ status: 'True', reason: 'Retrying' });
    expect(conditions.find((c) => c.type === 'Stalled')).toBeUndefined();
    expect(world.cluster.writes).toBe(0);
    world.cluster.fail('dryRun', undefined);
    await run(world);
    expect(world.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Reconciling')).toBeUndefined();
    expect(ready(world)).toMatchObject({ status: 'True', reason: 'Synced' });
  });

  it.each([[400, 'InvalidObject'], [422, 'InvalidObject'], [403, 'PermissionDenied']])('a %d from the dry run is the verdict %s, and nothing is applied', async (status, reason) => {
    world.apps.put(application());
    world.cluster.fail('dryRun', new KubeApiError(status, 'x', `refused with ${status}`));
    await run(world);
    expect(ready(world)).toMatchObject({ status: 'False', reason });
    expect(stalled(world)).toMatchObject({ status: 'True', reason });
    expect(world.cluster.writes).toBe(0);
  });

  it('applies a spec change at the commit it already synced (selfHeal off)', async () => {
    tree(world, shaA, { 'app/settings.json': configMap('settings', { colour: 'blue' }), 'other/extra.json': configMap('extra', { n: '1' }) });
    world.apps.put(application({ syncPolicy: { automated: { prune: true, selfHeal: false } } }));
    await run(world);
    const app = world.apps.mustGet(key);
    world.apps.put({ ...app, metadata: { ...app.metadata, generation: 2 }, spec: { ...app.spec, source: { repoURL: app.spec.source?.repoURL ?? '', ...app.spec.source, path: 'other' } } });
    await run(world);
    expect(world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'extra' })).toBeDefined();
    expect(world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' })).toBeUndefined();
    expect(world.apps.mustGet(key).status?.history).toHaveLength(2);
  });

  it('retries a failed sync after retry.backoff, then stalls when retry.limit is used up', async () => {
    world.apps.put(application({ syncPolicy: { automated: { prune: true }, retry: { limit: 2, backoff: { duration: '10s', factor: 2, maxDuration: '1m' } } } }));
    world.cluster.fail('apply', new KubeApiError(422, 'Invalid', 'admission webhook denied the request'));
    await run(world);
    expect(world.apps.mustGet(key).status?.operationState).toMatchObject({ phase: 'Failed', retryCount: 0 });
    const applies = world.cluster.count('apply');
    const early = await run(world);
    expect(world.cluster.count('apply')).toBe(applies);
    expect(early.requeueAfterMs).toBe(10_000);
    expect(ready(world)?.message).toContain('retrying in 10s');
    world.clock.now += 10_000;
    await run(world);
    expect(world.apps.mustGet(key).status?.operationState).toMatchObject({ phase: 'Failed', retryCount: 1, initiatedBy: 'automated (retry)' });
    world.clock.now += 19_000;
    expect((await run(world)).requeueAfterMs).toBe(1_000);
    world.clock.now += 1_000;
    await run(world);
    expect(world.apps.mustGet(key).status?.operationState?.retryCount).toBe(2);
    world.clock.now += 3_600_000;
    await run(world);
    expect(world.cluster.count('apply')).toBe(applies + 2);
    expect(stalled(world)).toMatchObject({ status: 'True', reason: 'RetriesExhausted' });
    expect(world.events.reasons()).toContain('RetriesExhausted');
  });

  it('honours Delete=false when the app is deleted: the object stays, untracked; the others go', async () => {
    tree(world, shaA, {
      'app/settings.json': configMap('settings', { colour: 'blue' }),
      'app/data.json': configMap('data', { keep: 'me' }, { 'argocd.argoproj.io/sync-options': 'Delete=false' }),
    });
    world.apps.put(application());
    await run(world);
    const app = world.apps.mustGet(key);
    world.apps.put({ ...app, metadata: { ...app.metadata, deletionTimestamp: '2026-12-01T12:01:00Z', annotations: { 'capstan.dev/skip-reconcile': 'true' } } });
    expect(await run(world)).toEqual({ requeueAfterMs: 2_000 });
    expect(ready(world)).toMatchObject({ reason: 'Deleting' });
    const kept = world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'data' });
    expect(kept?.metadata.annotations?.['capstan.dev/tracking-id']).toBeUndefined();
    expect(kept?.metadata.labels?.['app.capstan.dev/managed-by']).toBeUndefined();
    expect(world.cluster.get({ group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' })).toBeUndefined();
    await run(world);
    expect(world.apps.mustGet(key).metadata.finalizers).toEqual([]);
    expect(world.events.events.find((e) => e.reason === 'Kept')?.message).toBe('kept ConfigMap web/data (Delete=false)');
  });

  it('reads the render cache before it checks a commit out', async () => {
    world.apps.put(application());
    await run(world);
    await run(world);
    expect(world.repos.calls.filter((c) => c.method === 'checkout')).toHaveLength(1);
  });

  it('prunes objects of kinds recorded only in status.managedKinds, as after a restart with a summarised status', async () => {
    tree(world, shaB, { 'app/settings.json': configMap('settings', { colour: 'blue' }) });
    tree(world, shaA, {
      'app/settings.json': configMap('settings', { colour: 'blue' }),
      'app/svc.json': JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } }),
    });
    world.apps.put(application());
    await run(world);
    const app = world.apps.mustGet(key);
    expect(app.status?.managedKinds).toEqual([{ group: '', version: 'v1', kind: 'ConfigMap' }, { group: '', version: 'v1', kind: 'Service' }]);
    // The summarised status lost the Service entry; Git drops the Service.
    world.apps.put({ ...app, status: { ...app.status, resources: app.status?.resources?.filter((r) => r.kind !== 'Service') ?? [] } });
    world.repos.setRevision(repoURL, 'main', shaB);
    await run(world);
    expect(world.cluster.calls.some((c) => c.verb === 'watch' && c.target === 'v1/Service')).toBe(true);
    expect(world.cluster.get({ group: '', kind: 'Service', namespace: 'web', name: 'web' })).toBeUndefined();
  });

  it('never prunes the object it applies, seen through its old API group (an Ingress moved from extensions)', async () => {
    world.cluster.serve({ group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', namespaced: true });
    world.cluster.serve({ group: 'extensions', version: 'v1beta1', kind: 'Ingress', namespaced: true });
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { rules: [] } };
    tree(world, shaA, { 'app/settings.json': configMap('settings', { colour: 'blue' }), 'app/ingress.json': JSON.stringify(ingress) });
    world.apps.put(application());
    await run(world);
    const applied = world.cluster.get({ group: 'networking.k8s.io', kind: 'Ingress', namespace: 'web', name: 'web' });
    if (applied === undefined) throw new Error('not applied');
    // The same object, as the extensions group serves it: same uid, tracked under its old group.
    world.cluster.put({
      ...applied, apiVersion: 'extensions/v1beta1',
      metadata: { ...applied.metadata, annotations: { ...applied.metadata.annotations, 'capstan.dev/tracking-id': 'capstan/web:extensions/Ingress:web/web' } },
    });
    await run(world);
    expect(world.cluster.count('delete')).toBe(0);
    expect(world.apps.mustGet(key).status?.resources?.some((r) => r.requiresPruning === true)).toBe(false);
  });
});
