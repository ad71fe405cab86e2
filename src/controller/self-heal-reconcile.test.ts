import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { reconcileApp } from './reconcile.js';
import { fakeWorld, type FakeWorld } from './testing/deps.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const repoURL = 'https://git.example/org/apps.git';
const sha = 'a'.repeat(40);
const key = { namespace: 'capstan', name: 'web' };
const cmKey = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' };

function world(): FakeWorld {
  const w = fakeWorld();
  w.repos.setRevision(repoURL, 'main', sha);
  const dir = mkdtempSync(join(tmpdir(), 'capstan-fight-'));
  roots.push(dir);
  mkdirSync(dirname(join(dir, 'app/settings.json')), { recursive: true });
  writeFileSync(join(dir, 'app/settings.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { colour: 'blue' } }));
  w.repos.setTree(sha, dir);
  const app: Application = {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan', uid: 'app-uid' },
    spec: { source: { repoURL, path: 'app', targetRevision: 'main' }, destination: { namespace: 'web' }, syncPolicy: { automated: { prune: true, selfHeal: true } }, interval: '3m' },
  };
  w.apps.put(app);
  return w;
}

/** Another field manager sets data.colour back to its own value. */
function fight(w: FakeWorld): void {
  const cm = w.cluster.get(cmKey);
  if (cm === undefined) throw new Error('not applied');
  w.cluster.put({
    ...cm, data: { colour: 'red' },
    metadata: { ...cm.metadata, managedFields: [...(cm.metadata.managedFields ?? []), { manager: 'fighter', operation: 'Update', fieldsV1: { 'f:data': { 'f:colour': {} } } }] },
  });
}

const run = (w: FakeWorld) => reconcileApp(w.deps, 'capstan/web', new AbortController().signal);
const ready = (w: FakeWorld) => w.apps.mustGet(key).status?.conditions?.find((c) => c.type === 'Ready');

describe('a field fight', () => {
  it('self-heal backs off (5 s, then doubling), names the field and the other manager, and the fight ends when the other writer stops', async () => {
    const w = world();
    await run(w);
    expect(ready(w)?.reason).toBe('Synced');
    const appliesAtStart = w.cluster.count('apply');

    // 20 rounds: each time the other writer reverts at once and the watch brings a reconcile.
    const heals: number[] = [];
    const requeues: (number | undefined)[] = [];
    const start = w.clock.now;
    for (let round = 0; round < 20; round++) {
      // The watch of Capstan's own apply brings a reconcile before the other writer strikes again.
      await run(w);
      expect(ready(w)?.reason).toBe('Synced');
      const before = w.cluster.count('apply');
      fight(w);
      const result = await run(w);
      if (w.cluster.count('apply') > before) {
        heals.push(w.clock.now - start);
      } else {
        expect(ready(w)).toMatchObject({ status: 'False', reason: 'DriftFight' });
        requeues.push(result.requeueAfterMs);
        // The app is looked at again when its backoff is over (the work queue's requeue).
        w.clock.now += result.requeueAfterMs ?? 0;
        const healed = w.cluster.count('apply');
        await run(w);
        expect(w.cluster.count('apply')).toBe(healed + 1);
        heals.push(w.clock.now - start);
      }
    }
    // The first heal at once, then 5 s, 10 s, 20 s, … apart; never more than the interval (3 m).
    const gaps = heals.slice(1).map((t, i) => t - (heals[i] ?? 0));
    expect(gaps.slice(0, 6)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000]);
    expect(gaps.slice(6).every((g) => g === 180_000)).toBe(true);
    expect(w.cluster.count('apply') - appliesAtStart).toBe(20);
    expect(requeues.every((ms) => ms !== undefined && ms <= 180_000)).toBe(true);

    const fightEvents = w.events.events.filter((e) => e.reason === 'DriftFight');
    expect(fightEvents.length).toBeGreaterThan(0);
    expect(fightEvents[0]?.message).toMatch(/^ConfigMap\/settings data\.colour \(set by fighter\) changed back after each of the last 1 self-heals/);
    // No condition message of the fight is ever longer than a condition may be.
    expect(w.events.events.every((e) => e.message.length <= 1024)).toBe(true);

    // The other writer stops: the last heal holds, and the app is Synced.
    await run(w);
    expect(ready(w)).toMatchObject({ status: 'True', reason: 'Synced' });
  });

  it('a drift of another field is healed at once, even during a fight', async () => {
    const w = world();
    await run(w);
    fight(w);
    await run(w);
    fight(w);
    await run(w);
    expect(ready(w)?.reason).toBe('DriftFight');
    const cm = w.cluster.get(cmKey);
    if (cm === undefined) throw new Error('not applied');
    const applies = w.cluster.count('apply');
    w.cluster.put({ ...cm, data: { colour: 'blue' }, metadata: { ...cm.metadata, labels: { ...cm.metadata.labels, 'app.capstan.dev/managed-by': 'someone-else' } } });
    await run(w);
    expect(w.cluster.count('apply')).toBe(applies + 1);
  });
});
