// Issue 4, acceptance 3: `capstan app diff` shows drift, `app sync --wait` waits and reports
// failure, `app rollback` restores an earlier entry and pauses auto-sync until `app sync`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { capstanCli, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { configMap, deployment } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { handledRefresh } from '../support/settle.js';

const s = new Scenario('cli', { intervalMs: 2_000 });
let core: CoreV1Api;

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

const app = (...args: string[]): ReturnType<typeof capstanCli> => capstanCli(['app', ...args, '-n', s.namespace]);

async function colour(namespace: string): Promise<string | undefined> {
  return (await core.readNamespacedConfigMap({ name: 'settings', namespace })).data?.['colour'];
}

describe('capstan app', () => {
  it('diff shows the drifted field of a drifted object, and exits 1', async () => {
    const dest = s.destination('cli-diff');
    s.repo.write('diff/web.yaml', deployment('web', { replicas: 2 }));
    s.repo.commit('web');
    await s.apps.create('drifty', { repoURL: s.repo.url, path: 'diff', destinationNamespace: dest, automated: { prune: true, selfHeal: false }, interval: '10m' });
    await s.apps.waitFor('drifty', 'Synced', isSyncedHealthy);
    expect((await app('diff', 'drifty', '--allow-local-repos')).code).toBe(0);

    kubectl('-n', dest, 'scale', 'deployment/web', '--replicas=4');
    const diff = await app('diff', 'drifty', '--allow-local-repos');
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain(`--- live/Deployment/${dest}/web`);
    expect(diff.stdout).toContain('-  replicas: 4');
    expect(diff.stdout).toContain('+  replicas: 2');
    expect(diff.stdout.split('\n').filter((l) => /^[-+] /.test(l))).toHaveLength(2);
  });

  it('lists, gets and shows the history of apps', async () => {
    const list = await app('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/NAME\s+SYNC\s+HEALTH\s+REVISION/);
    expect(list.stdout).toMatch(/drifty\s+OutOfSync|drifty\s+Synced/);
    const get = await app('get', 'drifty', '-o', 'json');
    expect((JSON.parse(get.stdout) as { metadata: { name: string } }).metadata.name).toBe('drifty');
    expect((await app('history', 'drifty')).stdout).toMatch(/^1\s+/m);
    expect((await app('get', 'no-such-app')).code).toBe(2);
  });

  it('sync --wait returns when the operation finished, and exits non-zero when it failed', async () => {
    const dest = s.destination('cli-sync');
    s.repo.write('sync/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('settings');
    await s.apps.create('manual', { repoURL: s.repo.url, path: 'sync', destinationNamespace: dest, automated: null, interval: '10m' });
    await s.apps.waitFor('manual', 'OutOfSync', (a) => a.status?.sync?.status === 'OutOfSync');
    const ok = await app('sync', 'manual', '--wait');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Succeeded');
    expect(await colour(dest)).toBe('blue'); // applied by the time --wait returned

    const failed = await app('sync', 'manual', '--revision', 'no-such-branch', '--wait', '--timeout', '60s');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/Error: .*no-such-branch/);
  });

  it('rollback brings back an earlier entry and pauses auto-sync until `app sync` without a revision', async () => {
    const dest = s.destination('cli-rollback');
    s.repo.write('rb/settings.yaml', configMap('settings', { colour: 'v1' }));
    const v1 = s.repo.commit('v1');
    await s.apps.create('rb', { repoURL: s.repo.url, path: 'rb', destinationNamespace: dest, interval: '2s' });
    await s.apps.waitFor('rb', 'v1', (a) => a.status?.sync?.revision === v1 && isSyncedHealthy(a));
    s.repo.write('rb/settings.yaml', configMap('settings', { colour: 'v2' }));
    s.repo.write('rb/extra.yaml', configMap('extra'));
    const v2 = s.repo.commit('v2');
    await s.apps.waitFor('rb', 'v2', (a) => a.status?.sync?.revision === v2 && isSyncedHealthy(a));
    expect((await s.apps.mustGet('rb')).status?.history?.map((h) => [h.id, h.revision])).toEqual([[1, v1], [2, v2]]);

    const rolled = await app('rollback', 'rb', '1', '--wait');
    expect(rolled.code).toBe(0);
    expect(await colour(dest)).toBe('v1');
    const after = await s.apps.mustGet('rb');
    expect(after.status?.sync?.revision).toBe(v1);
    expect(after.metadata.annotations?.['capstan.dev/sync-revision']).toBe(v1);

    s.repo.write('rb/settings.yaml', configMap('settings', { colour: 'v3' }));
    const v3 = s.repo.commit('v3');
    // Two full reconciles after the commit, each asking Git again: auto-sync stays paused.
    for (let i = 0; i < 2; i++) {
      const paused = await handledRefresh(s.apps, 'rb');
      expect(paused.status?.sync?.revision).toBe(v1);
      expect(paused.status?.operationState?.revision).toBe(v1);
    }
    expect(await colour(dest)).toBe('v1');

    const resumed = await app('sync', 'rb', '--wait');
    expect(resumed.code).toBe(0);
    expect(await colour(dest)).toBe('v3');
    const final = await s.apps.mustGet('rb');
    expect(final.status?.sync?.revision).toBe(v3);
    expect(final.metadata.annotations?.['capstan.dev/sync-revision']).toBeUndefined();
  });
});
