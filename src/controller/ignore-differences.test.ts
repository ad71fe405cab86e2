import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Application, IgnoreDifference } from '../api/application.js';
import { readRequests } from './annotations.js';
import type { ReconcileContext } from './context.js';
import { runPipeline } from './pipeline.js';
import { reconcileApp } from './reconcile.js';
import { respectingIgnoredCompared } from './steps/compare.js';
import { fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/org/apps.git';
const shaA = 'a'.repeat(40);
const shaB = 'b'.repeat(40);

function tree(world: FakeWorld, sha: string, data: Record<string, string>): void {
  const dir = mkdtempSync(join(tmpdir(), 'capstan-ignore-'));
  roots.push(dir);
  mkdirSync(dirname(join(dir, 'app/settings.json')), { recursive: true });
  writeFileSync(join(dir, 'app/settings.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data }));
  world.repos.setTree(sha, dir);
}

function application(ignoreDifferences: IgnoreDifference[], syncOptions: string[] = []): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
    metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid' },
    spec: {
      source: { repoURL, path: 'app', targetRevision: 'main' },
      destination: { namespace: 'web' },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions },
      ignoreDifferences,
    },
  };
}

const key = { namespace: 'capstan', name: 'web' };
const settings = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' };
const run = (world: FakeWorld) => reconcileApp(world.deps, 'capstan/web', new AbortController().signal);
const ready = (world: FakeWorld) => world.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready');

/** Another field manager sets data.colour, and owns it. */
function recolour(world: FakeWorld, colour: string): void {
  const cm = world.cluster.get(settings);
  if (cm === undefined) throw new Error('not applied');
  world.cluster.put({
    ...cm,
    data: { ...(cm['data'] as Record<string, string>), colour },
    metadata: { ...cm.metadata, managedFields: [...(cm.metadata.managedFields ?? []), { manager: 'painter', operation: 'Update', fieldsV1: { 'f:data': { 'f:colour': {} } } }] },
  });
}

const ignoreColour: IgnoreDifference[] = [{ kind: 'ConfigMap', jqPathExpressions: ['.data | .colour'] }];

let world: FakeWorld;
beforeEach(() => {
  world = fakeWorld();
  world.repos.setRevision(repoURL, 'main', shaA);
  tree(world, shaA, { colour: 'blue', size: 'M' });
});

describe('spec.ignoreDifferences', () => {
  it('a field a jq expression ignores, changed by another manager, leaves the app Synced and is not reverted by self-heal', async () => {
    world.apps.put(application(ignoreColour));
    await run(world);
    recolour(world, 'red');
    const applies = world.cluster.count('apply');
    await run(world);
    expect(world.apps.mustGet(key).status?.sync?.status).toBe('Synced');
    expect(world.cluster.count('apply')).toBe(applies);
    expect(world.cluster.get(settings)?.['data']).toEqual({ colour: 'red', size: 'M' });
  });

  it('without RespectIgnoreDifferences, a sync for another change applies Git\'s value of the ignored field', async () => {
    world.apps.put(application(ignoreColour));
    await run(world);
    recolour(world, 'red');
    tree(world, shaB, { colour: 'blue', size: 'L' });
    world.repos.setRevision(repoURL, 'main', shaB);
    await run(world);
    expect(world.cluster.get(settings)?.['data']).toEqual({ colour: 'blue', size: 'L' });
  });

  it('with RespectIgnoreDifferences=true, a sync for another change keeps the live value of the ignored field', async () => {
    world.apps.put(application(ignoreColour, ['RespectIgnoreDifferences=true']));
    await run(world);
    recolour(world, 'red');
    tree(world, shaB, { colour: 'blue', size: 'L' });
    world.repos.setRevision(repoURL, 'main', shaB);
    await run(world);
    expect(world.cluster.get(settings)?.['data']).toEqual({ colour: 'red', size: 'L' });
    expect(world.apps.mustGet(key).status?.sync).toEqual({ status: 'Synced', revision: shaB });
    // Nothing left to do: the next reconcile applies nothing.
    const applies = world.cluster.count('apply');
    await run(world);
    expect(world.cluster.count('apply')).toBe(applies);
  });

  it('with RespectIgnoreDifferences=true, an object that does not exist yet is created with Git\'s values', async () => {
    world.apps.put(application(ignoreColour, ['RespectIgnoreDifferences=true']));
    await run(world);
    expect(world.cluster.get(settings)?.['data']).toEqual({ colour: 'blue', size: 'M' });
  });

  it('respects ignored fields for a sync whose options turn RespectIgnoreDifferences on when the spec does not', async () => {
    const app = application(ignoreColour);
    world.apps.put(app);
    await run(world);
    recolour(world, 'red');
    const ctx: ReconcileContext = { deps: world.deps, key, app, requests: readRequests(app), log: world.deps.logger, signal: new AbortController().signal, force: true };
    expect(await runPipeline(ctx)).toEqual({ ok: true });
    const compared = ctx.compared ?? [];
    const view = ctx.view;
    if (view === undefined) throw new Error('no live view');
    expect(await respectingIgnoredCompared(ctx, compared, view)).toEqual(compared);
    const withOption = { ...app, spec: { ...app.spec, syncPolicy: { ...app.spec.syncPolicy, syncOptions: ['RespectIgnoreDifferences=true'] } } };
    const respected = await respectingIgnoredCompared({ ...ctx, app: withOption }, compared, view);
    expect(respected.map((c) => c.prepared.object['data'])).toEqual([{ colour: 'red', size: 'M' }]);
  });

  it('refuses an expression that does not compile: InvalidSpec naming the field, nothing applied', async () => {
    world.apps.put(application([{ kind: 'ConfigMap', jqPathExpressions: ['.data.colour', '.data | |'] }]));
    await run(world);
    expect(ready(world)).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(ready(world)?.message).toContain('spec.ignoreDifferences[0].jqPathExpressions[1]: syntax error');
    expect(ready(world)?.message).toMatch(/nothing was applied$/);
    expect(world.cluster.writes).toBe(0);
  });
});
