// Issue 5, acceptance 3 and 4: of two controllers exactly one reconciles; when the leader is
// killed the other takes over once the lease expires; SIGTERM during a sync records it as
// interrupted and the next leader resumes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { Apps, installCrd, isSyncedHealthy, kubectl } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { TestRepo } from '../support/git-repo.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';
import { configMap, deployment } from '../support/manifests.js';

const kc = testKubeConfig();
const ns = uniqueName('leader');
const work = mkdtempSync(join(tmpdir(), 'capstan-leader-'));
const repo = new TestRepo();
const apps = new Apps(kc, ns);
const leaseSeconds = 6;
const gateLabel = `capstan.dev/test-gate-${ns}`;
const processes: ControllerProcess[] = [];
const destinations: string[] = [];

function candidate(name: string): ControllerProcess {
  const p = new ControllerProcess({
    namespace: ns, name, cacheDir: join(work, name), interval: '2s',
    extraArgs: ['--leader-elect', `--lease-duration=${leaseSeconds}s`, '--renew-deadline=4s', '--retry-period=1s', '--shutdown-timeout=2s'],
  });
  processes.push(p);
  return p;
}

async function holder(): Promise<string | undefined> {
  const lease = await kc.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'capstan-controller', namespace: ns }).catch(() => undefined);
  const id = lease?.spec?.holderIdentity;
  return id === undefined || id === '' ? undefined : id;
}

/** Starts a candidate and waits until it leads (when no one else does). */
async function leader(name: string): Promise<ControllerProcess> {
  const p = candidate(name);
  await eventually(`${name} to lead`, () => Promise.resolve(p.firstLog('controller started') !== undefined ? true : undefined), 30_000);
  return p;
}

beforeAll(async () => {
  await installCrd();
  await createNamespace(kc, ns);
});

afterAll(async () => {
  const cleaner = candidate('leader-cleanup');
  for (const p of processes) if (p !== cleaner) await p.ensureStopped();
  for (const app of await apps.list().catch(() => [])) await apps.delete(app, { wait: true }).catch(() => undefined);
  await cleaner.ensureStopped();
  kubectl('label', 'nodes', '--all', `${gateLabel}-`);
  for (const d of [...destinations, ns]) await deleteNamespace(kc, d);
  repo.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('leader election', () => {
  it('lets exactly one of two controllers reconcile, and the other take over when the leader is killed with -9', async () => {
    const first = await leader('leader-a');
    const second = candidate('leader-b');
    await eventually('b to wait for leadership', () => Promise.resolve(second.firstLog('waiting for leadership') !== undefined ? true : undefined));
    const dest = uniqueName('leader-dest');
    destinations.push(dest);
    repo.write('app/settings.yaml', configMap('settings', { version: '1' }));
    const v1 = repo.commit('v1');
    await apps.create('led', { repoURL: repo.url, path: 'app', destinationNamespace: dest, interval: '2s' });
    await apps.waitFor('led', 'Synced at v1', (a) => a.status?.sync?.revision === v1 && isSyncedHealthy(a));
    expect(first.logLines().some((l) => l.msg === 'syncing')).toBe(true);
    expect(second.firstLog('controller started')).toBeUndefined();
    expect(second.logLines().some((l) => l.msg === 'syncing')).toBe(false);

    first.kill('SIGKILL');
    const killedAt = Date.now();
    await first.exited;
    repo.write('app/settings.yaml', configMap('settings', { version: '2' }));
    const v2 = repo.commit('v2 while the leader is dead');
    await apps.waitFor('led', 'Synced at v2 under the new leader', (a) => a.status?.sync?.revision === v2 && a.status.sync.status === 'Synced', 60_000);
    const tookOver = second.firstLog('became leader');
    expect(tookOver).toBeDefined();
    // It took over only once the leader was gone, and holds the lease now: never two leaders.
    expect(tookOver ?? 0).toBeGreaterThan(killedAt);
    expect(await holder()).toBe(second.logLines().find((l) => l.msg === 'waiting for leadership')?.['identity']);
    // It reconciled only after it led: nothing was applied by two controllers at once.
    const firstSync = second.logLines().find((l) => l.msg === 'syncing')?.time ?? 0;
    expect(firstSync).toBeGreaterThanOrEqual(tookOver ?? Infinity);
    const cm = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'settings', namespace: dest });
    expect(cm.data).toEqual({ version: '2' });
    await second.ensureStopped();
  });

  it('a sync cut short by SIGTERM stays Running where it was, and the next leader resumes that very operation', async () => {
    await eventually('the lease to be free or expire', async () => ((await holder()) === undefined ? true : undefined), 20_000).catch(() => undefined);
    const first = await leader('leader-c');
    const dest = uniqueName('leader-gated');
    destinations.push(dest);
    // Wave 0 cannot become healthy until a node carries the gate label; wave 1 waits for it.
    repo.write('gated/gate.yaml', deployment('gate', { annotations: { 'capstan.dev/sync-wave': '0' } })
      .replace('    spec:\n      containers:', `    spec:\n      nodeSelector:\n        ${gateLabel}: open\n      containers:`));
    repo.write('gated/after.yaml', configMap('after', { wave: '1' }, { 'capstan.dev/sync-wave': '1' }));
    const sha = repo.commit('gated');
    await apps.create('gated', { repoURL: repo.url, path: 'gated', destinationNamespace: dest, interval: '2s' });
    await eventually('wave 0 to be applied', async () => (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: dest })).items.length > 0 ? true : undefined, 30_000);
    const running = await apps.waitFor('gated', 'the sync to wait for wave 0', (a) => a.status?.operationState?.phase === 'Running' && a.status.operationState.waitingFor !== undefined, 30_000);

    const second = candidate('leader-d');
    await eventually('d to wait', () => Promise.resolve(second.firstLog('waiting for leadership') !== undefined ? true : undefined));
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Nothing is lost by the stop: the operation is as the first leader left it.
    const stopped = await apps.mustGet('gated');
    expect(stopped.status?.operationState).toMatchObject({ phase: 'Running', revision: sha, syncId: running.status?.operationState?.syncId, syncPhase: 'Sync', wave: 0 });
    expect(first.logLines().some((l) => l.msg === 'released the lease')).toBe(true);

    await eventually('d to lead', () => Promise.resolve(second.firstLog('controller started') !== undefined ? true : undefined), 15_000);
    kubectl('label', '--overwrite', 'nodes', '--all', `${gateLabel}=open`);
    const done = await apps.waitFor('gated', 'Synced after the resumed sync', (a) => a.status?.operationState?.phase === 'Succeeded' && isSyncedHealthy(a), 60_000);
    expect(done.status?.operationState).toMatchObject({ revision: sha, syncId: running.status?.operationState?.syncId, startedAt: running.status?.operationState?.startedAt });
    expect(done.status?.history).toHaveLength(1);
    const after = await kc.makeApiClient(CoreV1Api).readNamespacedConfigMap({ name: 'after', namespace: dest });
    expect(after.data).toEqual({ wave: '1' });
    await second.ensureStopped();
  });
});
