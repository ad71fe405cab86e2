// A field fight: another field manager sets a field Capstan owns back to its own value each time
// Capstan restores it. Self-heal backs off (5 s, then twice as long each time) and says who it
// is fighting over which field, instead of a busy loop of applies, status writes and Events.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl, readyCondition } from '../support/capstan.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

// A poll interval of 10 minutes: every reconcile here is driven by the watch and the backoff.
const s = new Scenario('fieldfight', { intervalMs: 600_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

/** Sets data.colour back to 'red' as field manager `fighter` whenever it is not; counts how often. */
function startFighter(namespace: string): { reverts: () => number; stop: () => Promise<void> } {
  let reverts = 0;
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const cm = await core.readNamespacedConfigMap({ name: 'settings', namespace }).catch(() => undefined);
      if (cm !== undefined && cm.data?.['colour'] !== 'red') {
        kubectl('-n', namespace, 'patch', 'configmap', 'settings', '--type', 'merge', '--field-manager', 'fighter', '-p', JSON.stringify({ data: { colour: 'red' } }));
        reverts++;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    reverts: () => reverts,
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}

describe('a field fight', () => {
  it('self-heal backs off and names the field and the other manager; the app syncs once the other writer stops', async () => {
    const dest = s.destination('fight');
    s.repo.write('fight/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('settings');
    await s.apps.create('fight', { repoURL: s.repo.url, path: 'fight', destinationNamespace: dest, automated: { prune: true, selfHeal: true }, interval: '10m' });
    await s.apps.waitFor('fight', 'Synced and Healthy', isSyncedHealthy, 90_000);

    const fighter = startFighter(dest);
    try {
      // Self-heal waits 5 s after the first heal that was undone, 10 s after the second, 20 s after the third.
      const fighting = await s.apps.waitFor('fight', 'self-heal to back off to 20 s', (a) =>
        readyCondition(a)?.reason === 'DriftFight' && (readyCondition(a)?.message.includes('waits 20s') ?? false), 120_000);
      const ready = readyCondition(fighting);
      expect(ready?.status).toBe('False');
      expect(ready?.message).toMatch(/^ConfigMap\/settings data\.colour \(set by fighter\) changed back after each of the last 3 self-heals/);
      // Three heals, each undone once (plus the fighter's first change): without a backoff there
      // would be one heal per revert for as long as the fight lasts.
      expect(fighter.reverts()).toBeLessThanOrEqual(4);
      const events = await s.apps.events('fight');
      const healed = events.filter((e) => e.reason === 'DriftCorrected').reduce((n, e) => n + (e.count ?? 1), 0);
      expect(healed).toBeLessThanOrEqual(3);
      expect(events.some((e) => e.reason === 'DriftFight' && e.type === 'Warning' && (e.message?.includes('fighter') ?? false))).toBe(true);
    } finally {
      await fighter.stop();
    }

    // The fighter stopped: the next heal (after the backoff) holds.
    await s.apps.waitFor('fight', 'Synced again', (a) => isSyncedHealthy(a) && readyCondition(a)?.reason === 'Synced', 90_000);
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: dest })).data).toEqual({ colour: 'blue' });
  });
});
