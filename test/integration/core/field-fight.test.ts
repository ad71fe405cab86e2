// A field fight: another field manager sets a field Capstan owns back to its own value each time
// Capstan restores it. Self-heal backs off (2 s, then twice as long each time, up to 5 minutes)
// and says who it is fighting over which field, with one aggregated SelfHealBackoff Event,
// instead of a busy loop of applies, status writes and Events.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api, type CoreV1Event } from '@kubernetes/client-node';
import { isSyncedHealthy, kubectl, readyCondition } from '../support/capstan.js';
import { eventually, testKubeconfigPath } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

// A poll interval of 10 minutes: every reconcile here is driven by the watch and the backoff.
const s = new Scenario('fieldfight', { intervalMs: 600_000 });
let core: CoreV1Api;
let apps: AppsV1Api;
const run = promisify(execFile);

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  apps = s.kc.makeApiClient(AppsV1Api);
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

/**
 * Scales Deployment/web to 5 replicas as field manager `fighter` once a second, whatever it is
 * now, as a second controller would; kubectl runs asynchronously, so that the controller in this
 * process keeps working meanwhile. Counts its rounds (each ends with a 1 s pause).
 */
function startScaler(namespace: string): { rounds: () => number; failures: string[]; stop: () => Promise<void> } {
  let rounds = 0;
  const failures: string[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      await run('kubectl', ['--kubeconfig', testKubeconfigPath(), '-n', namespace, 'patch', 'deployment', 'web', '--type', 'merge', '--field-manager', 'fighter', '-p', JSON.stringify({ spec: { replicas: 5 } })])
        .catch((err: unknown) => { failures.push(err instanceof Error ? err.message : String(err)); });
      rounds++;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    rounds: () => rounds, failures,
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}

const backoffEvents = (events: readonly CoreV1Event[]): CoreV1Event[] => events.filter((e) => e.reason === 'SelfHealBackoff');

describe('a field fight', () => {
  it('self-heal backs off and names the field and the other manager; the app syncs once the other writer stops', async () => {
    const dest = s.destination('fight');
    s.repo.write('fight/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('settings');
    await s.apps.create('fight', { repoURL: s.repo.url, path: 'fight', destinationNamespace: dest, automated: { prune: true, selfHeal: true }, interval: '10m' });
    await s.apps.waitFor('fight', 'Synced and Healthy', isSyncedHealthy, 90_000);

    const fighter = startFighter(dest);
    try {
      // Self-heal waits 2 s after the first heal that was undone, 4 s after the second, 8 s after the third, 16 s after the fourth.
      const fighting = await s.apps.waitFor('fight', 'self-heal to back off to 16 s', (a) =>
        readyCondition(a)?.reason === 'DriftFight' && (readyCondition(a)?.message.includes('waits 16s') ?? false), 120_000);
      const ready = readyCondition(fighting);
      expect(ready?.status).toBe('False');
      expect(ready?.message).toMatch(/^ConfigMap\/settings data\.colour \(set by fighter\) changed back after each of the last 4 self-heals/);
      // Four heals, each undone once (plus the fighter's first change): without a backoff there
      // would be one heal per revert for as long as the fight lasts.
      expect(fighter.reverts()).toBeLessThanOrEqual(5);
      const events = await s.apps.events('fight');
      const healed = events.filter((e) => e.reason === 'DriftCorrected').reduce((n, e) => n + (e.count ?? 1), 0);
      expect(healed).toBeLessThanOrEqual(4);
      // One Event for the whole fight, its count bumped for each longer delay, its message the latest delay.
      const [backoff, ...more] = await eventually('the SelfHealBackoff Event to show the 16 s delay', async () => {
        const found = backoffEvents(await s.apps.events('fight'));
        return found.some((e) => e.message?.includes('waits 16s') === true) ? found : undefined;
      });
      expect(more).toEqual([]);
      expect(backoff?.type).toBe('Warning');
      expect(backoff?.message).toMatch(/^self-heal backs off: ConfigMap\/settings data\.colour \(set by fighter\) changed back after each self-heal; it now waits 16s/);
      expect(backoff?.count).toBeGreaterThanOrEqual(2);
      expect(events.some((e) => e.reason === 'DriftFight')).toBe(false);
    } finally {
      await fighter.stop();
    }

    // The fighter stopped: the next heal (after the backoff) holds.
    await s.apps.waitFor('fight', 'Synced again', (a) => isSyncedHealthy(a) && readyCondition(a)?.reason === 'Synced', 90_000);
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: dest })).data).toEqual({ colour: 'blue' });
  });

  it('a second field manager re-scaling a Deployment every second: within a minute Capstan backs off and corrects at most 10 times', async () => {
    const dest = s.destination('scale');
    s.repo.write('scale/web.yaml', deployment('web', { replicas: 2 }));
    s.repo.commit('web');
    await s.apps.create('scale', { repoURL: s.repo.url, path: 'scale', destinationNamespace: dest, automated: { prune: true, selfHeal: true }, interval: '10m' });
    await s.apps.waitFor('scale', 'Synced and Healthy', isSyncedHealthy, 90_000);

    const before = await apps.readNamespacedDeployment({ name: 'web', namespace: dest });
    expect(before.spec?.replicas).toBe(2);
    const scaler = startScaler(dest);
    let after: typeof before;
    try {
      // Within the minute: Capstan backs off, naming the field and the other manager.
      const [backoff] = await eventually('a SelfHealBackoff Event naming fighter', async () => {
        const found = backoffEvents(await s.apps.events('scale'));
        return found.some((e) => e.message?.includes('fighter') === true) ? found : undefined;
      }, 60_000);
      expect(backoff?.type).toBe('Warning');
      expect(backoff?.message).toMatch(/^self-heal backs off: Deployment\/web spec\.replicas \(set by fighter\) changed back after each self-heal; it now waits \d+s/);
      const fighting = await s.apps.mustGet('scale');
      expect(readyCondition(fighting)).toMatchObject({ status: 'False', reason: 'DriftFight' });

      // A minute of fighting: 60 rounds of the scaler, each followed by a 1 s pause (longer on a
      // loaded machine, which only makes the bound below harder to meet).
      await eventually('60 rounds of the scaler', () => Promise.resolve(scaler.rounds() >= 60 ? true : undefined), 240_000, 500);
      after = await apps.readNamespacedDeployment({ name: 'web', namespace: dest });
    } finally {
      await scaler.stop();
    }
    expect(scaler.failures).toEqual([]);

    // Capstan's corrections, counted by the API server rather than by Capstan: metadata.generation
    // goes up by one for every change of the spec, and only two writers change it here, each
    // setting replicas to its own value (the scaler's patches while replicas is already 5 change
    // nothing and do not count). So the changes alternate, 2 → 5 (the scaler) and 5 → 2
    // (Capstan), and from replicas 2 at the start Capstan made half of them, one fewer if the
    // scaler had the last word. Nothing Capstan reports and no missed watch event can change it.
    const changes = (after.metadata?.generation ?? 0) - (before.metadata?.generation ?? 0);
    const scalerHasLastWord = after.spec?.replicas === 5 ? 1 : 0;
    expect([2, 5]).toContain(after.spec?.replicas);
    const corrections = (changes - scalerHasLastWord) / 2;
    expect(Number.isInteger(corrections)).toBe(true);
    // With 2 s, doubling, Capstan corrects about 0, 2, 6, 14, 30 and 62 s into the fight: 5 or 6
    // times in a minute; 10 would take a fight of 17 minutes (without a backoff: one per round).
    // At least 3: it keeps healing, it does not give up.
    expect(corrections).toBeGreaterThanOrEqual(3);
    expect(corrections).toBeLessThanOrEqual(10);

    // Still one SelfHealBackoff Event for the whole fight.
    const events = backoffEvents(await s.apps.events('scale'));
    expect(events).toHaveLength(1);
    expect(events[0]?.count).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
