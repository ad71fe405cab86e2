// Issue 12, acceptance 6: 50 apps over one monorepo of Kustomize overlays, each naming the paths
// its manifests come from (manifest-generate-paths). A commit that touches one overlay re-renders
// that app only; the other 49 move to the new commit with the render they had (counted by the
// controller's metrics). A commit to the shared base re-renders every app.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { ControllerMetrics } from '../../../src/controller/metrics.js';
import { Scenario } from '../support/scenario.js';

const appCount = 50;
const metrics = new ControllerMetrics();
const s = new Scenario('monorepo', { metrics, concurrency: 8 });
let core: CoreV1Api;
let dest = '';

const names = Array.from({ length: appCount }, (_, i) => `app-${String(i).padStart(2, '0')}`);

async function counter(name: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

async function allSyncedAt(sha: string): Promise<void> {
  for (const name of names) await s.apps.waitFor(name, `Synced at ${sha.slice(0, 7)}`, (a) => a.status?.sync?.status === 'Synced' && a.status.sync.revision === sha, 180_000);
}

function overlay(name: string, colour: string): string {
  return `resources:\n  - ../../base\nnamePrefix: ${name}-\ncommonAnnotations:\n  colour: ${colour}\n`;
}

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  dest = s.destination('mono');
  s.repo
    .write('base/kustomization.yaml', 'resources:\n  - settings.yaml\n')
    .write('base/settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: "1"\n');
  for (const name of names) s.repo.write(`apps/${name}/kustomization.yaml`, overlay(name, 'blue'));
  s.repo.commit('50 overlays over one base');
  for (const name of names) {
    await s.apps.create(name, { repoURL: s.repo.url, path: `apps/${name}`, destinationNamespace: dest, interval: '2s' });
    s.apps.annotate(name, { 'argocd.argoproj.io/manifest-generate-paths': '.;/base' });
  }
});
afterAll(async () => {
  await s.tearDown();
});

describe('manifest-generate-paths over a monorepo', () => {
  it('re-renders only the app whose overlay a commit touches, and every app when the shared base changes', async () => {
    const first = s.repo.git('rev-parse', 'HEAD');
    await allSyncedAt(first);
    const rendersBefore = await counter('capstan_renders_total');
    expect(rendersBefore).toBeGreaterThanOrEqual(appCount);

    s.repo.write('apps/app-07/kustomization.yaml', overlay('app-07', 'green'));
    const second = s.repo.commit('app-07 turns green');
    await allSyncedAt(second);
    expect(await counter('capstan_renders_total') - rendersBefore).toBe(1);
    expect(await counter('capstan_renders_reused_total')).toBe(appCount - 1);
    const green = await core.readNamespacedConfigMap({ name: 'app-07-settings', namespace: dest });
    expect(green.metadata?.annotations?.colour).toBe('green');
    const blue = await core.readNamespacedConfigMap({ name: 'app-08-settings', namespace: dest });
    expect(blue.metadata?.annotations?.colour).toBe('blue');

    const rendersAtSecond = await counter('capstan_renders_total');
    s.repo.write('base/settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: "2"\n');
    const third = s.repo.commit('the base changes');
    await allSyncedAt(third);
    expect(await counter('capstan_renders_total') - rendersAtSecond).toBe(appCount);
    for (const name of ['app-00', 'app-07', 'app-49']) {
      expect((await core.readNamespacedConfigMap({ name: `${name}-settings`, namespace: dest })).data).toEqual({ level: '2' });
    }
  });
});
