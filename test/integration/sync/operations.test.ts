// The sync operation against the real control plane: syncs waiting on hooks hold no worker (with
// concurrency 2 and two apps waiting, a third app's drift is healed at once); a controller killed
// while a sync waits on its PostSync hook is resumed by the next one, which applies nothing
// twice; and Argo CD's kubectl interface (the operation field) syncs the revision it names.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { Apps, kubectl } from '../support/capstan.js';
import { ControllerProcess } from '../support/controller-process.js';
import { createNamespace, eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

// Two workers: two syncs that held a worker while they wait would stop everything else.
const s = new Scenario('operations', { intervalMs: 600_000, concurrency: 2 });
let batch: BatchV1Api;
let core: CoreV1Api;
const gates: string[] = [];
const cacheDir = mkdtempSync(join(tmpdir(), 'capstan-operations-'));
const processes: ControllerProcess[] = [];

beforeAll(async () => {
  await s.setUp();
  batch = s.kc.makeApiClient(BatchV1Api);
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  for (const p of processes) await p.ensureStopped();
  for (const gate of gates) kubectl('label', 'nodes', '--all', `${gate}-`);
  await s.tearDown();
  rmSync(cacheDir, { recursive: true, force: true });
});

function newGate(name: string): { label: string; open: () => void } {
  const label = `capstan.dev/test-gate-${s.namespace}-${name}`;
  gates.push(label);
  return { label, open: () => kubectl('label', '--overwrite', 'nodes', '--all', `${label}=open`) };
}

/** A hook Job whose pod stays Pending until the gate opens. */
function gatedJob(name: string, hook: string, gate: string): string {
  return JSON.stringify({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, annotations: { 'argocd.argoproj.io/hook': hook } },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', nodeSelector: { [gate]: 'open' }, containers: [{ name: 'main', image: 'busybox' }] } } },
  });
}

const op = (a: Application) => a.status?.operationState;
const colour = async (name: string, namespace: string): Promise<string | undefined> =>
  (await core.readNamespacedConfigMap({ name, namespace }).catch(() => undefined))?.data?.['colour'];

describe('the sync operation', () => {
  it('with concurrency 2 and two apps waiting on their hooks, a third app\'s drift is healed while they wait', async () => {
    const gate = newGate('slow');
    for (const name of ['slow-a', 'slow-b']) {
      s.repo.write(`${name}/migrate.json`, gatedJob('migrate', 'PreSync', gate.label)).write(`${name}/settings.yaml`, configMap('settings'));
    }
    s.repo.write('fast/settings.yaml', configMap('settings', { colour: 'blue' }));
    s.repo.commit('two slow apps and a fast one');
    const fast = s.destination('ops-fast');
    await s.apps.create('fast', { repoURL: s.repo.url, path: 'fast', destinationNamespace: fast });
    await s.apps.waitFor('fast', 'Synced', (a) => a.status?.sync?.status === 'Synced' && op(a)?.phase === 'Succeeded');
    for (const name of ['slow-a', 'slow-b']) await s.apps.create(name, { repoURL: s.repo.url, path: name, destinationNamespace: s.destination(`ops-${name}`) });
    for (const name of ['slow-a', 'slow-b']) await s.apps.waitFor(name, 'the sync to wait for its hook', (a) => op(a)?.phase === 'Running' && op(a)?.waitingFor !== undefined);

    kubectl('-n', fast, 'patch', 'configmap', 'settings', '--type', 'merge', '-p', JSON.stringify({ data: { colour: 'red' } }));
    await eventually('the drift to be healed', async () => ((await colour('settings', fast)) === 'blue' ? true : undefined), 60_000, 250);
    // Healed while both syncs still wait: neither held a worker.
    for (const name of ['slow-a', 'slow-b']) expect(op(await s.apps.mustGet(name))).toMatchObject({ phase: 'Running', syncPhase: 'PreSync' });
    gate.open();
    for (const name of ['slow-a', 'slow-b']) await s.apps.waitFor(name, 'the sync to succeed', (a) => op(a)?.phase === 'Succeeded', 90_000);
  });

  it('a controller killed (SIGKILL) while a sync waits on its PostSync hook: the next one resumes it, one history entry, nothing applied twice', async () => {
    const gate = newGate('resume');
    // Its own namespace: the in-process controller of this file does not see it.
    const ns = s.destination('ops-resume-apps');
    await createNamespace(s.kc, ns);
    const dest = s.destination('ops-resume');
    s.repo.write('resume/settings.yaml', configMap('settings', { colour: 'green' })).write('resume/smoke.json', gatedJob('smoke', 'PostSync', gate.label));
    const sha = s.repo.commit('a PostSync smoke test');
    const first = new ControllerProcess({ namespace: ns, name: `${s.namespace}-resume-first`, cacheDir });
    processes.push(first);
    const apps = new Apps(s.kc, ns);
    await apps.create('resume', { repoURL: s.repo.url, path: 'resume', destinationNamespace: dest });
    const waiting = await apps.waitFor('resume', 'the sync to wait on its PostSync hook', (a) => op(a)?.phase === 'Running' && op(a)?.syncPhase === 'PostSync' && op(a)?.waitingFor !== undefined, 90_000);
    const settings = await core.readNamespacedConfigMap({ name: 'settings', namespace: dest });
    const smoke = await batch.readNamespacedJob({ name: 'smoke', namespace: dest });

    first.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const second = new ControllerProcess({ namespace: ns, name: `${s.namespace}-resume-second`, cacheDir });
    processes.push(second);
    gate.open();

    const done = await apps.waitFor('resume', 'the resumed sync to succeed', (a) => op(a)?.phase === 'Succeeded', 90_000);
    expect(op(done)).toMatchObject({ revision: sha, syncId: op(waiting)?.syncId, startedAt: op(waiting)?.startedAt });
    expect(done.status?.history).toHaveLength(1);
    // Neither the Sync-phase object nor the hook was written again.
    expect((await core.readNamespacedConfigMap({ name: 'settings', namespace: dest })).metadata?.resourceVersion).toBe(settings.metadata?.resourceVersion);
    expect((await batch.readNamespacedJob({ name: 'smoke', namespace: dest })).metadata?.uid).toBe(smoke.metadata?.uid);
    await apps.delete('resume', { wait: true });
    await second.stop();
  });

  it("kubectl patch of Argo CD's operation field syncs the revision it names, and the field is cleared", async () => {
    const dest = s.destination('ops-patch');
    s.repo.write('patch/settings.yaml', configMap('settings', { colour: 'one' }));
    const old = s.repo.commit('colour one');
    s.repo.write('patch/settings.yaml', configMap('settings', { colour: 'two' }));
    s.repo.commit('colour two');
    await s.apps.create('patch', { repoURL: s.repo.url, path: 'patch', destinationNamespace: dest, automated: null });
    await s.apps.waitFor('patch', 'OutOfSync (manual)', (a) => a.status?.sync?.status === 'OutOfSync');
    expect(await colour('settings', dest)).toBeUndefined();

    kubectl('-n', s.namespace, 'patch', 'capp', 'patch', '--type', 'merge', '-p', JSON.stringify({ operation: { initiatedBy: { username: 'alice' }, sync: { revision: old } } }));
    const synced = await s.apps.waitFor('patch', 'the operation to succeed and be cleared', (a) =>
      op(a)?.phase === 'Succeeded' && op(a)?.revision === old && (a as unknown as Record<string, unknown>)['operation'] === undefined, 60_000);
    expect(op(synced)).toMatchObject({ initiatedBy: 'user (alice)' });
    expect(await colour('settings', dest)).toBe('one');
    expect(synced.status?.history?.map((h) => h.revision)).toEqual([old]);

    // A malformed operation is refused, reported and cleared; nothing is applied.
    kubectl('-n', s.namespace, 'patch', 'capp', 'patch', '--type', 'merge', '-p', JSON.stringify({ operation: { sync: { syncStrategy: { apply: { force: true } } } } }));
    const refused = await s.apps.waitFor('patch', 'the malformed operation to be refused', (a) =>
      op(a)?.phase === 'Error' && (a as unknown as Record<string, unknown>)['operation'] === undefined, 60_000);
    expect(op(refused)?.message).toContain('operation.sync.syncStrategy is not supported yet');
    expect(await colour('settings', dest)).toBe('one');
  });
});
