// Acceptance (hostile input, 1): YAML alias bombs in one app's repository (the shape an earlier
// render accepted at 2.1 GB, and the one it refused after 1.5 GB, with their kin). That app
// reports a render error; the controller's peak memory stays under 300 MiB; another app's
// drift is healed meanwhile, while the bombs are rendered again and again.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { repoRoot } from '../../cluster/paths.js';
import { Apps, installCrd, isSyncedHealthy, kubectl, readyCondition } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';

const kc = testKubeConfig();
const ns = uniqueName('bombs');
const healDest = uniqueName('bombs-heal');
const bombDest = uniqueName('bombs-target');
const apps = new Apps(kc, ns);
const good = new TestRepo();
const bombs = new TestRepo();
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-bombs-'));
let controller: ControllerProcess;

const bombFiles = ['alias-object-bomb-437.yaml', 'alias-object-bomb-465.yaml', 'billion-laughs.yaml', 'merge-key-bomb-nested.yaml', 'nested-sequence-bomb.yaml'];
const MiB = 1024 * 1024;

/** The highest resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  const kib = Number(/(\d+)\s*kB/.exec(line ?? '')?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no VmHWM for process ${pid}`);
  return kib * 1024;
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
  controller = new ControllerProcess({ namespace: ns, name: 'render-bombs', cacheDir, interval: '10m' });
});
afterAll(async () => {
  await Promise.all(['healthy', 'bombed'].map((name) => apps.delete(name, { wait: true }).catch(() => undefined)));
  await controller.ensureStopped();
  for (const name of [ns, healDest, bombDest]) await deleteNamespace(kc, name);
  good.destroy();
  bombs.destroy();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('alias bombs in a repository', () => {
  it('fail their app with RenderError, keep the controller under 300 MiB, and never stop another app healing', async () => {
    const appsApi = kc.makeApiClient(AppsV1Api);
    good.write('heal/web.yaml', deployment('web', { replicas: 2 }));
    good.commit('web');
    await apps.create('healthy', { repoURL: good.url, path: 'heal', destinationNamespace: healDest, automated: { prune: true, selfHeal: true }, interval: '10m' });
    await apps.waitFor('healthy', 'Synced and Healthy', isSyncedHealthy, 90_000);

    for (const file of bombFiles) bombs.write(`app/${file}`, readFileSync(join(repoRoot, 'test', 'hostile', 'yaml', file), 'utf8'));
    bombs.write('app/settings.yaml', configMap('settings', { round: '0' }));
    bombs.commit('bombs');
    await apps.create('bombed', { repoURL: bombs.url, path: 'app', destinationNamespace: bombDest, interval: '10m' });
    const bombed = await apps.waitFor('bombed', 'Ready=False RenderError', (a) => readyCondition(a)?.reason === 'RenderError', 90_000);
    const message = readyCondition(bombed)?.message ?? '';
    expect(message).toContain('app/alias-object-bomb-437.yaml: document 1 uses aliases excessively');
    expect(message).toContain('app/alias-object-bomb-465.yaml: document 1 uses aliases excessively');
    expect(bombed.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'RenderError' });
    await eventually('a Warning Event RenderError', async () => ((await apps.events('bombed')).some((e) => e.type === 'Warning' && e.reason === 'RenderError') ? true : undefined));

    // Each round: a new commit of the bombs (rendered anew, nothing cached) and a drift of the
    // other app, at the same time. The drift is healed; the bombs are refused again.
    for (let round = 1; round <= 3; round++) {
      bombs.write('app/settings.yaml', configMap('settings', { round: String(round) }));
      const sha = bombs.commit(`round ${round}`);
      apps.annotate('bombed', { 'capstan.dev/refresh': 'normal' });
      kubectl('-n', healDest, 'scale', 'deployment/web', `--replicas=${4 + round}`);
      await eventually(`round ${round}: the drift healed`, async () => {
        const web = await appsApi.readNamespacedDeployment({ name: 'web', namespace: healDest });
        return web.spec?.replicas === 2 ? true : undefined;
      }, 30_000, 100);
      await apps.waitFor('bombed', `round ${round}: commit ${sha} refused`, (a) =>
        a.metadata.annotations?.['capstan.dev/refresh'] === undefined && readyCondition(a)?.reason === 'RenderError', 90_000);
    }

    // Nothing of the bombed app was applied.
    const core = kc.makeApiClient(CoreV1Api);
    await expect(core.readNamespacedConfigMap({ name: 'settings', namespace: bombDest })).rejects.toThrow();
    const pid = controller.pid;
    if (pid === undefined) throw new Error('the controller has no process id');
    const peak = peakRss(pid);
    expect(peak).toBeLessThan(300 * MiB);
    // The controller never restarted: it is the process that started the test.
    expect(await Promise.race([controller.exited.then(() => 'exited'), Promise.resolve('running')])).toBe('running');
    await apps.waitFor('healthy', 'Synced and Healthy after the last heal', isSyncedHealthy, 60_000);
  }, 300_000);
});

describe('--max-manifest-bytes', () => {
  it('bounds the manifests of every app of the controller that runs with it', async () => {
    const small = new TestRepo();
    const smallNs = uniqueName('bombs-flag');
    const smallCache = mkdtempSync(join(tmpdir(), 'capstan-bombs-flag-'));
    const flagged = new ControllerProcess({ namespace: smallNs, name: 'render-bombs-flag', cacheDir: smallCache, extraArgs: ['--max-manifest-bytes', '1Ki'] });
    const smallApps = new Apps(kc, smallNs);
    try {
      await createNamespace(kc, smallNs);
      small.write('app/settings.yaml', configMap('settings', { text: 'x'.repeat(2000) }));
      small.commit('2 KB of manifests');
      await smallApps.create('big', { repoURL: small.url, path: 'app', destinationNamespace: smallNs, automated: null });
      const app = await smallApps.waitFor('big', 'Ready=False RenderError', (a) => readyCondition(a)?.reason === 'RenderError', 90_000);
      expect(readyCondition(app)?.message).toMatch(/^app: the source's manifests add up to \d+ bytes, more than the limit of 1024$/);
    } finally {
      await smallApps.delete('big', { wait: true }).catch(() => undefined);
      await flagged.ensureStopped();
      await deleteNamespace(kc, smallNs);
      small.destroy();
      rmSync(smallCache, { recursive: true, force: true });
    }
  }, 180_000);
});
