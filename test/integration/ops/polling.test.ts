// Issue 4, acceptance 2: 20 apps on one repository cost one ls-remote per poll interval.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { isSyncedHealthy } from '../support/capstan.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const metrics = new ControllerMetrics();
const s = new Scenario('polling', { intervalMs: 2_000, metrics });
const appCount = 20;

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

async function lsRemotes(): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('capstan_git_requests_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels['kind'] === 'ls-remote').reduce((sum, v) => sum + v.value, 0);
}

describe('efficient polling', () => {
  it('asks the remote once per interval however many apps use the repository', async () => {
    const dest = s.destination('many');
    for (let i = 0; i < appCount; i++) s.repo.write(`apps/app-${i}/cm.yaml`, configMap(`cm-${i}`));
    s.repo.commit('20 apps');
    for (let i = 0; i < appCount; i++) {
      await s.apps.create(`app-${i}`, { repoURL: s.repo.url, path: `apps/app-${i}`, destinationNamespace: dest, interval: '2s' });
    }
    for (let i = 0; i < appCount; i++) await s.apps.waitFor(`app-${i}`, 'Synced', isSyncedHealthy, 90_000);

    const before = await lsRemotes();
    const windowMs = 10_000;
    await new Promise((r) => setTimeout(r, windowMs));
    const polls = (await lsRemotes()) - before;
    // One poll per 2 s interval (plus up to 10 % jitter): 4 or 5 in 10 s, where one per app would be 100.
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(6);
  });
});
