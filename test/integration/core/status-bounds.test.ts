// Safe against hostile input, acceptance 5: what Git, the API server and annotations hold (huge
// strings, huge names, many objects shared with another app, long sync tokens) never makes an
// Application's status larger than 256 KiB, and the status stays current: it names the latest
// failure, and once the bad commit is replaced the app syncs again. Also: --min-interval raises
// a shorter spec.interval, and says so.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { recordedSyncToken } from '../../../src/api/annotations.js';
import type { Application } from '../../../src/api/application.js';
import { Apps, installCrd, isSyncedHealthy, readyCondition, startController, type RunningController } from '../support/capstan.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap } from '../support/manifests.js';

const budget = 256 * 1024;
const kc = testKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const ns = uniqueName('bounds');
const apps = new Apps(kc, ns);
const repo = new TestRepo();
const destinations: string[] = [];
let controller: RunningController | undefined;

/** The status as the API server stores it, measured as JSON. */
const statusBytes = (app: Application): number => Buffer.byteLength(JSON.stringify(app.status ?? {}), 'utf8');

function destination(prefix: string): string {
  const name = uniqueName(prefix);
  destinations.push(name);
  return name;
}

async function expectBoundedEvents(name: string): Promise<void> {
  for (const e of await apps.events(name)) expect(e.message?.length ?? 0).toBeLessThanOrEqual(1024);
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  // A floor of 2 s: every app here asks for 1 s.
  controller = await startController({ namespace: ns, name: 'status-bounds', intervalMs: 2_000, minIntervalMs: 2_000 });
});
afterAll(async () => {
  const names = await apps.list().catch(() => []);
  await Promise.all(names.map((n) => apps.delete(n, { wait: true }).catch(() => undefined)));
  await controller?.stop();
  for (const d of [...destinations, ns]) await deleteNamespace(kc, d);
  repo.destroy();
});

describe('status stays bounded and current', () => {
  it('a commit with a 2 MiB string document and a 1 MB kind, then one that the API server refuses quoting a 600 KiB key, then a good one', async () => {
    const dest = destination('huge');
    repo.write('huge/settings.yaml', configMap('settings', { colour: 'blue' }));
    const good = repo.commit('good');
    await apps.create('huge', { repoURL: repo.url, path: 'huge', destinationNamespace: dest, interval: '1s' });
    await apps.waitFor('huge', 'Synced', (a) => a.status?.sync?.revision === good && isSyncedHealthy(a), 90_000);

    repo.write('huge/token.yaml', `"${'A'.repeat(2 * 1024 * 1024)}"\n`);
    repo.write('huge/kind.yaml', `apiVersion: v1\nkind: ${'K'.repeat(1_000_000)}\nmetadata:\n  name: k\n`);
    repo.commit('huge strings');
    const broken = await apps.waitFor('huge', 'Ready=False RenderError', (a) => readyCondition(a)?.reason === 'RenderError', 60_000);
    expect(statusBytes(broken)).toBeLessThan(budget);
    expect(broken.status?.sync?.status).toBe('Unknown');

    repo.remove('huge/token.yaml');
    repo.remove('huge/kind.yaml');
    repo.write('huge/key.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keyed\ndata:\n  ${'k'.repeat(600 * 1024)}: v\n`);
    repo.commit('a key the API server refuses');
    const refused = await apps.waitFor('huge', 'Ready=False InvalidObject', (a) => readyCondition(a)?.reason === 'InvalidObject', 60_000);
    expect(statusBytes(refused)).toBeLessThan(budget);
    expect(readyCondition(refused)?.message).toContain('ConfigMap');

    repo.remove('huge/key.yaml');
    repo.write('huge/settings.yaml', configMap('settings', { colour: 'green' }));
    const fixed = repo.commit('fixed');
    const synced = await apps.waitFor('huge', 'Synced to the fixed commit', (a) => a.status?.sync?.revision === fixed && isSyncedHealthy(a), 60_000);
    expect(statusBytes(synced)).toBeLessThan(budget);
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: dest })).data).toEqual({ colour: 'green' });
    await expectBoundedEvents('huge');
  });

  it('500 objects with 250-character names, all owned by another app', async () => {
    const dest = destination('shared');
    for (let i = 0; i < 500; i++) repo.write(`shared/cm-${i}.yaml`, configMap(`cm-${String(i).padStart(3, '0')}-${'x'.repeat(243)}`, { i: String(i) }));
    const sha = repo.commit('500 configmaps');
    await apps.create('owner', { repoURL: repo.url, path: 'shared', destinationNamespace: dest, interval: '1s' });
    const owner = await apps.waitFor('owner', 'Synced', (a) => a.status?.sync?.revision === sha && isSyncedHealthy(a), 240_000);
    expect(statusBytes(owner)).toBeLessThan(budget);

    await apps.create('copycat', { repoURL: repo.url, path: 'shared', destinationNamespace: dest, interval: '1s' });
    const copycat = await apps.waitFor('copycat', 'Ready=False SharedResource', (a) => readyCondition(a)?.reason === 'SharedResource', 120_000);
    expect(statusBytes(copycat)).toBeLessThan(budget);
    expect(readyCondition(copycat)?.message).toMatch(new RegExp(`… and \\d+ more \\(owned by ${ns}/owner\\)$`));
    expect((copycat.status?.resources?.length ?? 0) + (copycat.status?.resourcesTruncated ?? 0)).toBe(500);
    await expectBoundedEvents('copycat');
    // Nothing of the owner's was touched.
    const cm = await core.readNamespacedConfigMap({ name: `cm-000-${'x'.repeat(243)}`, namespace: dest });
    expect(cm.metadata?.annotations?.['capstan.dev/tracking-id']).toContain(`${ns}/owner`);
  }, 400_000);

  it('ten syncs requested with 100 KiB capstan.dev/sync tokens', async () => {
    const dest = destination('tokens');
    repo.write('tokens/settings.yaml', configMap('settings', { colour: 'blue' }));
    const sha = repo.commit('tokens');
    await apps.create('tokens', { repoURL: repo.url, path: 'tokens', destinationNamespace: dest, interval: '1s' });
    await apps.waitFor('tokens', 'Synced', (a) => a.status?.sync?.revision === sha && isSyncedHealthy(a), 90_000);
    let last: Application | undefined;
    for (let i = 0; i < 10; i++) {
      const token = `${i}-${'T'.repeat(100 * 1024)}`;
      apps.annotate('tokens', { 'capstan.dev/sync': token });
      last = await apps.waitFor('tokens', `the sync of token ${i} to finish`, (a) =>
        a.status?.operationState?.syncToken === recordedSyncToken(token) && a.status.operationState.phase === 'Succeeded'
        && a.metadata.annotations?.['capstan.dev/sync'] === undefined, 60_000);
      expect(statusBytes(last)).toBeLessThan(budget);
    }
    expect(last?.status?.history?.length).toBeGreaterThanOrEqual(10);
    expect(statusBytes(last ?? { apiVersion: '', kind: '', metadata: {}, spec: { source: { repoURL: '' }, destination: {} } })).toBeLessThan(16 * 1024);
  });

  it('an interval below --min-interval is raised to it, with one Warning Event naming both', async () => {
    const events = await eventually('an IntervalRaised Event', async () => {
      const list = (await apps.events('tokens')).filter((e) => e.reason === 'IntervalRaised');
      return list.length > 0 ? list : undefined;
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('Warning');
    expect(events[0]?.message).toBe("spec.interval 1s is below the controller's --min-interval of 2s: Git is polled every 2s");
    expect(events[0]?.count ?? 1).toBe(1);
  });
});
