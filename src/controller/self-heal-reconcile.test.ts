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
  it('self-heal backs off (2 s, then doubling up to 5 m, whatever the interval), names the field and the other manager, and the fight ends when the other writer stops', async () => {
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
      let result = await run(w);
      // The app is looked at again when its backoff is over, or at its interval (3 m) if that
      // comes first (the work queue's requeue); it heals only once the backoff is over.
      while (w.cluster.count('apply') === before) {
        expect(ready(w)).toMatchObject({ status: 'False', reason: 'DriftFight' });
        requeues.push(result.requeueAfterMs);
        w.clock.now += result.requeueAfterMs ?? 0;
        result = await run(w);
      }
      expect(w.cluster.count('apply')).toBe(before + 1);
      heals.push(w.clock.now - start);
    }
    // The first heal at once, then 2 s, 4 s, 8 s, … apart; never more than 5 m.
    const gaps = heals.slice(1).map((t, i) => t - (heals[i] ?? 0));
    expect(gaps.slice(0, 9)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
    expect(gaps.slice(9).every((g) => g === 300_000)).toBe(true);
    expect(w.cluster.count('apply') - appliesAtStart).toBe(20);
    expect(requeues.every((ms) => ms !== undefined && ms <= 300_000)).toBe(true);

    // One SelfHealBackoff Event when the fight began and one for each longer delay: not one per
    // heal, and none once the delay is capped.
    const backoffEvents = w.events.events.filter((e) => e.reason === 'SelfHealBackoff');
    expect(backoffEvents.map((e) => e.message.replace(/^.* now waits (\S+) .*$/, '$1'))).toEqual(['2s', '4s', '8s', '16s', '32s', '1m4s', '2m8s', '4m16s', '5m']);
    expect(backoffEvents.every((e) => e.type === 'Warning')).toBe(true);
    expect(backoffEvents[0]?.message).toMatch(/^self-heal backs off: ConfigMap\/settings data\.colour \(set by fighter\) changed back after each self-heal; it now waits 2s/);
    expect(w.events.reasons()).not.toContain('DriftFight');
    // No message of the fight is ever longer than an Event's may be.
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
