// Acceptance 4 of issue 13 on the real control plane: a deny sync window open now holds automated
// syncs back (the app is compared, OutOfSync, Ready=False SyncWindowClosed saying until when);
// a manual sync (`capstan app sync`, the sync annotation) is refused and recorded as a failed
// operation while the window has manualSync: false, and goes ahead once it has manualSync: true.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import type { SyncWindow } from '../../../src/projects/index.js';
import { capstanCli, readyCondition } from '../support/capstan.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';
import { applyProject, permissive } from './support.js';

const s = new Scenario('projwindow', { intervalMs: 600_000 });
let core: CoreV1Api;
let dest: string;

// A daily window that opened two minutes ago (UTC) and stays open for an hour: it is open for
// the whole test, and the instant it closes is known.
const opened = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 2 * 60_000);
const closes = new Date(opened.getTime() + 3_600_000).toISOString();
const window = (manualSync: boolean): SyncWindow => ({
  kind: 'deny', schedule: `${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`, duration: '1h', applications: ['*'], manualSync,
});

beforeAll(async () => {
  await s.setUp();
  core = s.kc.makeApiClient(CoreV1Api);
  dest = s.destination('window');
  applyProject(s.namespace, 'frozen', { ...permissive, syncWindows: [window(false)] });
  s.repo.write('app/settings.yaml', configMap('settings'));
  s.repo.commit('app');
}, 120_000);
afterAll(async () => {
  await s.tearDown();
}, 120_000);

const settingsExists = (): Promise<boolean> => core.readNamespacedConfigMap({ name: 'settings', namespace: dest }).then(() => true, () => false);

describe('a deny sync window open now', () => {
  it('holds the automated sync back: compared, OutOfSync, SyncWindowClosed until the window closes, nothing applied', async () => {
    await s.apps.create('frozen', { repoURL: s.repo.url, path: 'app', destinationNamespace: dest, extraSpec: { project: 'frozen' } });
    const app = await s.apps.waitFor('frozen', 'SyncWindowClosed', (a) => readyCondition(a)?.reason === 'SyncWindowClosed');
    expect(app.status?.sync?.status).toBe('OutOfSync');
    expect(app.status?.resources?.map((r) => `${r.kind}/${r.name}:${r.status}`)).toEqual(['ConfigMap/settings:OutOfSync']);
    expect(readyCondition(app)?.message).toContain(`sync window deny "${window(false).schedule}" for 1h (UTC) is open until ${closes}; manual syncs are held back too`);
    expect(app.status?.operationState).toBeUndefined();
    expect(await settingsExists()).toBe(false);
  }, 120_000);

  it('refuses a manual sync while manualSync is false, recording it as a failed operation', async () => {
    const refused = await capstanCli(['app', 'sync', 'frozen', '-n', s.namespace, '--wait', '--timeout', '60s']);
    expect(refused.code).toBe(1);
    expect(`${refused.stdout}${refused.stderr}`).toContain('sync not started: sync window deny');
    const app = await s.apps.mustGet('frozen');
    expect(app.status?.operationState).toMatchObject({ phase: 'Failed' });
    expect(app.status?.operationState?.message).toContain(`is open until ${closes}`);
    expect(app.metadata.annotations?.['capstan.dev/sync']).toBeUndefined();
    expect((await s.apps.events('frozen')).some((e) => e.type === 'Warning' && e.reason === 'SyncWindowClosed')).toBe(true);
    expect(await settingsExists()).toBe(false);
  }, 120_000);

  it('lets a manual sync through once the window has manualSync: true, while automated syncs still wait', async () => {
    applyProject(s.namespace, 'frozen', { ...permissive, syncWindows: [window(true)] });
    // The project change re-enqueues the app: automated syncs still wait, and the message says manual ones may run.
    await s.apps.waitFor('frozen', 'manual syncs allowed', (a) => readyCondition(a)?.reason === 'SyncWindowClosed' && (readyCondition(a)?.message.includes('manual syncs are allowed') ?? false));
    expect(await settingsExists()).toBe(false);
    const synced = await capstanCli(['app', 'sync', 'frozen', '-n', s.namespace, '--wait', '--timeout', '60s']);
    expect(synced.code).toBe(0);
    expect(await settingsExists()).toBe(true);
    const app = await s.apps.waitFor('frozen', 'Synced', (a) => a.status?.sync?.status === 'Synced');
    expect(app.status?.operationState).toMatchObject({ phase: 'Succeeded' });
  }, 120_000);
});
