// Correctness issue, acceptance 7: 20 synced apps, nothing changing, for two poll intervals:
// no Application, no managed object and no Event is written, and the controller sends the API
// server no write at all (no status write, no dry run, no Event).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { isSyncedHealthy, kubectl } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap, deployment, service } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { eventCounts } from '../support/settle.js';

const metrics = new ControllerMetrics();
const s = new Scenario('steady', { intervalMs: 2_000, metrics });
const appCount = 20;
const names = Array.from({ length: appCount }, (_, i) => `steady-${i}`);
const destinations = names.map((n) => s.destination(n));

beforeAll(async () => {
  await s.setUp();
});
afterAll(async () => {
  await s.tearDown();
});

/** The sum of a series' values whose labels pass `filter` (for a histogram, pick its `_count` series). */
async function sum(name: string, filter: (labels: Partial<Record<string, string | number>>, series: string) => boolean): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => filter(v.labels, 'metricName' in v && typeof v.metricName === 'string' ? v.metricName : name)).reduce((total, v) => total + v.value, 0);
}

const readVerbs = new Set(['get', 'list', 'watch']);
const writes = (): Promise<number> => sum('capstan_kube_api_requests_total', (l) => !readVerbs.has(String(l['verb'])));
const reconciles = (): Promise<number> => sum('capstan_reconcile_duration_seconds', (_l, series) => series === 'capstan_reconcile_duration_seconds_count');
const lsRemotes = (): Promise<number> => sum('capstan_git_requests_total', (l) => l['kind'] === 'ls-remote');

/** Everything a write would change: the Applications', the managed objects' and the Events' versions and counts. */
async function picture(): Promise<Record<string, unknown>> {
  const appVersions = kubectl('-n', s.namespace, 'get', 'applications.capstan.dev', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}');
  const objects = destinations.map((d) => kubectl('-n', d, 'get', 'deployment,service,configmap', '-l', 'app.capstan.dev/managed-by=capstan',
    '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion} {end}'));
  const events = eventCounts((await Promise.all(names.map((n) => s.apps.events(n)))).flat());
  return { appVersions, objects, events };
}

/** Waits until at least `n` more reconciles (and `polls` more ls-remotes) have completed than now. */
async function atLeast(n: number, polls: number): Promise<void> {
  const r0 = await reconciles();
  const l0 = await lsRemotes();
  await eventually(`${n} more reconciles and ${polls} more polls`, async () =>
    ((await reconciles()) >= r0 + n && (await lsRemotes()) >= l0 + polls ? true : undefined), 120_000);
}

describe('steady state', () => {
  it('writes nothing at all for two poll intervals when nothing changes', async () => {
    s.repo.write('app/web.yaml', `${deployment('web')}---\n${service('web')}`);
    s.repo.write('app/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('twenty apps of one repo');
    for (const [i, name] of names.entries()) {
      await s.apps.create(name, { repoURL: s.repo.url, path: 'app', destinationNamespace: destinations[i], interval: '2s' });
    }
    for (const name of names) await s.apps.waitFor(name, 'Synced and Healthy', isSyncedHealthy, 120_000);
    // At rest: a round of reconciles of every app in which the controller wrote nothing.
    await eventually('the controller to come to rest', async () => {
      const w0 = await writes();
      await atLeast(appCount, 1);
      return (await writes()) === w0 ? true : undefined;
    }, 180_000);

    const before = await picture();
    const w0 = await writes();
    // Two poll intervals: the repository polled twice more, every app reconciled twice more.
    await atLeast(2 * appCount, 2);
    expect(await writes()).toBe(w0);
    expect(await picture()).toEqual(before);
    for (const name of names) expect(isSyncedHealthy(await s.apps.mustGet(name))).toBe(true);
  });
});
