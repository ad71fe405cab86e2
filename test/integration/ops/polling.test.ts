// Issue 4, acceptance 2: 20 apps on one repository cost one ls-remote per poll round.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { RepoPoller } from '../../../src/controller/repo-poller.js';
import { normalizeRepoUrl } from '../../../src/git/url.js';
import { isSyncedHealthy } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const metrics = new ControllerMetrics();
const s = new Scenario('polling', { intervalMs: 2_000, metrics });
const appCount = 20;

// Each call of RepoPoller#poll is one poll round of one repository; the spy calls through.
const rounds = jest.spyOn(RepoPoller.prototype as unknown as { poll(key: string): Promise<void> }, 'poll');

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
  rounds.mockRestore();
});

async function lsRemotes(): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('capstan_git_requests_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels['kind'] === 'ls-remote').reduce((sum, v) => sum + v.value, 0);
}

describe('efficient polling', () => {
  it('asks the remote once per round however many apps use the repository', async () => {
    const dest = s.destination('many');
    for (let i = 0; i < appCount; i++) s.repo.write(`apps/app-${i}/cm.yaml`, configMap(`cm-${i}`));
    s.repo.commit('20 apps');
    for (let i = 0; i < appCount; i++) {
      await s.apps.create(`app-${i}`, { repoURL: s.repo.url, path: `apps/app-${i}`, destinationNamespace: dest, interval: '2s' });
    }
    for (let i = 0; i < appCount; i++) await s.apps.waitFor(`app-${i}`, 'Synced', isSyncedHealthy, 90_000);

    // From here on nothing forces a resolve (no new spec, no refresh, no token): every ls-remote
    // is the poller's. Rounds are read before ls-remotes, so a round running now is the only one
    // whose ls-remote can be counted without being counted as a round.
    const roundsBefore = rounds.mock.calls.length;
    const before = await lsRemotes();
    const asked = await eventually('the poller to ask the remote 5 more times', async () => {
      const n = (await lsRemotes()) - before;
      return n >= 5 ? n : undefined;
    }, 90_000);
    const polled = rounds.mock.calls.length - roundsBefore;
    // One ls-remote per round of the one repository; one per app would be 20 per round.
    expect(asked).toBeLessThanOrEqual(polled + 1);
    expect(new Set(rounds.mock.calls.map(([key]) => key))).toEqual(new Set([normalizeRepoUrl(s.repo.url)]));
  });
});
