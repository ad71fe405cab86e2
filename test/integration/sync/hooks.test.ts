// Hooks against the real control plane: a sync waits for its PreSync Job before the Sync
// objects, and for those before PostSync; a failed hook runs SyncFail hooks and is retried with
// its backoff; a hook that never completes fails at syncPolicy.hookTimeout; terminate ends a
// sync at once; BeforeHookCreation re-runs a Job, HookSucceeded deletes it, and a Job that
// deletes itself (ttlSecondsAfterFinished) leaves the app Synced.
//
// A hook Job's pod is held Pending by a nodeSelector on a label no node has ("the gate"); the
// test opens the gate by labelling the nodes, and KWOK then runs the pod to completion.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { Application } from '../../../src/api/application.js';
import { kubectl, readyCondition } from '../support/capstan.js';
import { eventually } from '../support/kube.js';
import { configMap } from '../support/manifests.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('hooks', { intervalMs: 600_000 });
let batch: BatchV1Api;
let core: CoreV1Api;
const gates: string[] = [];

beforeAll(async () => {
  await s.setUp();
  batch = s.kc.makeApiClient(BatchV1Api);
  core = s.kc.makeApiClient(CoreV1Api);
});
afterAll(async () => {
  for (const gate of gates) kubectl('label', 'nodes', '--all', `${gate}-`);
  await s.tearDown();
});

/** A node label no node has yet; `open` puts it on every node. */
function newGate(name: string): { label: string; open: () => void } {
  const label = `capstan.dev/test-gate-${s.namespace}-${name}`;
  gates.push(label);
  return { label, open: () => kubectl('label', '--overwrite', 'nodes', '--all', `${label}=open`) };
}

interface JobOptions {
  hook: string;
  gate?: string;
  annotations?: Record<string, string>;
  generateName?: boolean;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
}

function job(name: string, options: JobOptions): string {
  const annotations = { 'argocd.argoproj.io/hook': options.hook, ...(options.annotations ?? {}) };
  return JSON.stringify({
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { ...(options.generateName === true ? { generateName: `${name}-` } : { name }), annotations },
    spec: {
      backoffLimit: 0,
      ...(options.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: options.activeDeadlineSeconds } : {}),
      ...(options.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: options.ttlSecondsAfterFinished } : {}),
      template: { spec: { restartPolicy: 'Never', ...(options.gate !== undefined ? { nodeSelector: { [options.gate]: 'open' } } : {}), containers: [{ name: 'main', image: 'busybox' }] } },
    },
  });
}

async function readJob(name: string, namespace: string) {
  return batch.readNamespacedJob({ name, namespace }).catch(() => undefined);
}

async function configMapCreated(name: string, namespace: string): Promise<number | undefined> {
  const cm = await core.readNamespacedConfigMap({ name, namespace }).catch(() => undefined);
  return cm?.metadata?.creationTimestamp === undefined ? undefined : new Date(cm.metadata.creationTimestamp).getTime();
}

const op = (a: Application) => a.status?.operationState;

describe('hooks', () => {
  it('PreSync Job (completing late), then Sync objects, then a PostSync Job: order and waits observed, Running with the phase while waiting', async () => {
    const dest = s.destination('hooks-order');
    const gate = newGate('order');
    s.repo.write('order/migrate.json', job('migrate', { hook: 'PreSync', gate: gate.label }));
    s.repo.write('order/settings.yaml', configMap('settings'));
    s.repo.write('order/smoke.json', job('smoke', { hook: 'PostSync' }));
    const sha = s.repo.commit('hooks in order');
    await s.apps.create('order', { repoURL: s.repo.url, path: 'order', destinationNamespace: dest });

    const waiting = await s.apps.waitFor('order', 'the sync to wait for its PreSync hook', (a) => op(a)?.phase === 'Running' && op(a)?.syncPhase === 'PreSync' && op(a)?.waitingFor !== undefined);
    expect(op(waiting)).toMatchObject({ revision: sha, wave: 0, waitingFor: 'hook Job/migrate to complete before Sync wave 0' });
    expect(waiting.status?.conditions?.find((c) => c.type === 'Reconciling')).toMatchObject({ status: 'True' });
    expect(await readJob('migrate', dest)).toBeDefined();
    expect(await configMapCreated('settings', dest)).toBeUndefined();
    // The migration "runs" for 20 s: nothing of the Sync phase may be applied meanwhile.
    const openedAt = Date.now() + 20_000;
    await eventually('20 s of migration', async () => {
      if (await configMapCreated('settings', dest) !== undefined) throw new Error('a Sync-phase object was applied while the PreSync hook ran');
      return Date.now() >= openedAt ? true : undefined;
    }, 40_000, 500);
    const stillWaiting = await s.apps.mustGet('order');
    expect(op(stillWaiting)).toMatchObject({ phase: 'Running', syncPhase: 'PreSync' });
    gate.open();

    const done = await s.apps.waitFor('order', 'the sync to succeed', (a) => op(a)?.phase === 'Succeeded' && op(a)?.revision === sha, 90_000);
    const migrate = await readJob('migrate', dest);
    const smoke = await readJob('smoke', dest);
    const completed = migrate?.status?.completionTime === undefined ? NaN : new Date(migrate.status.completionTime).getTime();
    const created = await configMapCreated('settings', dest);
    // creationTimestamp has one-second resolution.
    expect(created).toBeGreaterThanOrEqual(Math.floor(completed / 1000) * 1000);
    expect(smoke?.metadata?.creationTimestamp?.getTime()).toBeGreaterThanOrEqual(created ?? Infinity);
    expect(op(done)?.hooks?.map((h) => `${h.phase}/${h.name}/${h.status}`)).toEqual(['PreSync/migrate/Succeeded', 'PostSync/smoke/Succeeded']);
    expect(done.status?.history).toHaveLength(1);
    expect(done.status?.sync?.status).toBe('Synced');
    expect(done.status?.resources?.map((r) => `${r.kind}/${r.name}`)).toEqual(['ConfigMap/settings']);
  });

  it('a PreSync Job that fails: nothing of the Sync phase applied, SyncFail hooks run, Failed naming the hook, retried after the backoff', async () => {
    const dest = s.destination('hooks-fail');
    const gate = newGate('fail');
    // Held Pending, the Job fails at its deadline (DeadlineExceeded).
    s.repo.write('fail/migrate.json', job('migrate', { hook: 'PreSync', gate: gate.label, activeDeadlineSeconds: 2 }));
    s.repo.write('fail/settings.yaml', configMap('settings'));
    s.repo.write('fail/cleanup.json', job('cleanup', { hook: 'SyncFail' }));
    s.repo.commit('a failing migration');
    await s.apps.create('fail', {
      repoURL: s.repo.url, path: 'fail', destinationNamespace: dest,
      extraSpec: { syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'], retry: { limit: 1, backoff: { duration: '8s', factor: 2 } } } },
    });
    const failed = await s.apps.waitFor('fail', 'the sync to fail', (a) => op(a)?.phase === 'Failed', 90_000);
    expect(op(failed)?.message).toMatch(/^PreSync hook Job\/migrate failed/);
    expect(op(failed)?.hooks?.map((h) => `${h.phase}/${h.name}/${h.status}`)).toEqual(['PreSync/migrate/Failed', 'SyncFail/cleanup/Succeeded']);
    expect(readyCondition(failed)).toMatchObject({ status: 'False', reason: 'SyncFailed' });
    expect(await readJob('cleanup', dest)).toBeDefined();
    expect(await configMapCreated('settings', dest)).toBeUndefined();
    const firstFinished = Date.parse(op(failed)?.finishedAt ?? '');
    expect(Date.parse(op(failed)?.nextAttemptAt ?? '') - firstFinished).toBe(8_000);

    const retried = await s.apps.waitFor('fail', 'the retry to fail too', (a) => op(a)?.phase === 'Failed' && op(a)?.retryCount === 1, 90_000);
    expect(Date.parse(op(retried)?.startedAt ?? '')).toBeGreaterThanOrEqual(firstFinished + 8_000);
    expect(op(retried)?.nextAttemptAt).toBeUndefined();
    expect(retried.status?.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ status: 'True', reason: 'RetriesExhausted' });
    expect(await configMapCreated('settings', dest)).toBeUndefined();
  });

  it('a hook that never completes fails at syncPolicy.hookTimeout; terminate ends a running sync at once', async () => {
    const dest = s.destination('hooks-stuck');
    const gate = newGate('stuck');
    s.repo.write('stuck/migrate.json', job('migrate', { hook: 'PreSync', gate: gate.label }));
    s.repo.write('stuck/settings.yaml', configMap('settings'));
    s.repo.commit('a migration that never ends');
    await s.apps.create('stuck', {
      repoURL: s.repo.url, path: 'stuck', destinationNamespace: dest,
      extraSpec: { syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'], hookTimeout: '15s', retry: { limit: 0 } } },
    });
    const timedOut = await s.apps.waitFor('stuck', 'the sync to time out', (a) => op(a)?.phase === 'Failed', 90_000);
    expect(op(timedOut)?.message).toBe('timed out after 15s (syncPolicy.hookTimeout) waiting for hook Job/migrate to complete before Sync wave 0');
    await eventually('the stuck hook to be deleted', async () => ((await readJob('migrate', dest)) === undefined ? true : undefined), 30_000);

    const dest2 = s.destination('hooks-term');
    s.repo.write('term/migrate.json', job('migrate', { hook: 'PreSync', gate: gate.label }));
    s.repo.write('term/settings.yaml', configMap('settings'));
    s.repo.commit('another one');
    await s.apps.create('term', { repoURL: s.repo.url, path: 'term', destinationNamespace: dest2 });
    await s.apps.waitFor('term', 'the sync to wait', (a) => op(a)?.phase === 'Running' && op(a)?.waitingFor !== undefined);
    s.apps.annotate('term', { 'capstan.dev/terminate-operation': 'true' });
    // The annotation is removed right after the status is written: handled means both.
    const ended = await s.apps.waitFor('term', 'the sync to be terminated and the annotation removed', (a) =>
      op(a)?.phase === 'Failed' && a.metadata.annotations?.['capstan.dev/terminate-operation'] === undefined, 30_000);
    expect(op(ended)).toMatchObject({ terminated: true, message: 'terminated while waiting for hook Job/migrate to complete before Sync wave 0' });
    expect(ended.metadata.annotations?.['capstan.dev/terminate-operation']).toBeUndefined();
    await eventually('the running hook to be deleted', async () => ((await readJob('migrate', dest2)) === undefined ? true : undefined), 30_000);
    expect(await configMapCreated('settings', dest2)).toBeUndefined();
  });

  it('BeforeHookCreation re-runs a completed Job (new uid); HookSucceeded deletes it; a Job deleted by its TTL does not make the app OutOfSync', async () => {
    const dest = s.destination('hooks-policy');
    s.repo.write('policy/migrate.json', job('migrate', { hook: 'PreSync' }));
    s.repo.write('policy/smoke.json', job('smoke', { hook: 'PostSync', annotations: { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' } }));
    s.repo.write('policy/report.json', job('report', { hook: 'PostSync', ttlSecondsAfterFinished: 0 }));
    s.repo.write('policy/settings.yaml', configMap('settings'));
    s.repo.commit('hooks with delete policies');
    await s.apps.create('policy', { repoURL: s.repo.url, path: 'policy', destinationNamespace: dest });
    const first = await s.apps.waitFor('policy', 'the sync to succeed', (a) => op(a)?.phase === 'Succeeded', 90_000);
    const firstUid = (await readJob('migrate', dest))?.metadata?.uid;
    expect(firstUid).toBeDefined();
    await eventually('the HookSucceeded Job to be deleted', async () => ((await readJob('smoke', dest)) === undefined ? true : undefined), 30_000);
    await eventually('the TTL Job to delete itself', async () => ((await readJob('report', dest)) === undefined ? true : undefined), 60_000);
    const after = await s.apps.mustGet('policy');
    expect(after.status?.sync?.status).toBe('Synced');
    expect(after.status?.resources?.map((r) => r.name)).toEqual(['settings']);
    expect(op(after)?.startedAt).toBe(op(first)?.startedAt); // no sync ran again for the missing hooks

    s.apps.annotate('policy', { 'capstan.dev/sync': 'again' });
    const second = await s.apps.waitFor('policy', 'the requested sync to succeed', (a) => op(a)?.syncToken === 'again' && op(a)?.phase === 'Succeeded', 90_000);
    const secondUid = (await readJob('migrate', dest))?.metadata?.uid;
    expect(secondUid).toBeDefined();
    expect(secondUid).not.toBe(firstUid);
    expect(second.status?.history).toHaveLength(2);
  });

  it('PostDelete: once the app is deleted and its objects are gone, its PostDelete hook runs, and the app goes when it completed', async () => {
    const dest = s.destination('hooks-postdelete');
    const gate = newGate('postdelete');
    s.repo.write('postdelete/settings.yaml', configMap('settings'));
    s.repo.write('postdelete/cleanup.json', job('cleanup', { hook: 'PostDelete', gate: gate.label }));
    s.repo.commit('a PostDelete hook');
    await s.apps.create('postdelete', { repoURL: s.repo.url, path: 'postdelete', destinationNamespace: dest });
    await s.apps.waitFor('postdelete', 'Synced', (a) => op(a)?.phase === 'Succeeded' && a.status?.sync?.status === 'Synced');
    expect(await readJob('cleanup', dest)).toBeUndefined(); // not a sync's hook

    await s.apps.delete('postdelete');
    const waiting = await s.apps.waitFor('postdelete', 'the PostDelete hook to run', (a) => op(a)?.syncPhase === 'PostDelete' && op(a)?.waitingFor !== undefined, 60_000);
    expect(op(waiting)?.waitingFor).toBe('PostDelete hook Job/cleanup to complete');
    expect(await configMapCreated('settings', dest)).toBeUndefined();
    expect(await readJob('cleanup', dest)).toBeDefined();
    gate.open();
    await eventually('the app to be gone', async () => ((await s.apps.get('postdelete')) === undefined ? true : undefined), 90_000);
    const cleanup = await readJob('cleanup', dest);
    expect(cleanup?.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True')).toBe(true);
  });
});
