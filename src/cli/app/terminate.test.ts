import { describe, expect, it } from '@jest/globals';
import type { Application, OperationState } from '../../api/application.js';
import { captureIO } from '../output/testing/capture.js';
import type { AppClient, PatchDecision } from './client.js';
import { endedOperation, terminate, terminateDecision } from './terminate.js';

const running: OperationState = { phase: 'Running', message: 'waiting for hook Job/migrate', startedAt: '2026-12-01T00:00:00Z', syncPhase: 'PreSync', wave: 0 };
const appWith = (op: OperationState | undefined): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan' },
  spec: { source: { repoURL: 'https://git.example.com/org/web.git' }, destination: {} },
  status: op === undefined ? {} : { operationState: op },
});

/** An AppClient whose app is `before` until patched, then `after` (what the controller made of it). */
function fakeClient(before: Application, after: Application): { client: AppClient; patches: unknown[] } {
  const patches: unknown[] = [];
  const client = {
    patchGuarded: (_ns: string, _name: string, decide: (a: Application) => PatchDecision) => {
      const decision = decide(before);
      if ('refuse' in decision) return Promise.resolve({ ok: false, error: decision.refuse });
      patches.push(decision.patch);
      return Promise.resolve({ ok: true, value: before });
    },
    waitFor: <T>(_ns: string, _name: string, done: (a: Application) => T | undefined) => {
      const result = done(after);
      return result === undefined ? Promise.reject(new Error('timed out')) : Promise.resolve(result);
    },
  } as unknown as AppClient;
  return { client, patches };
}

describe('capstan app terminate', () => {
  it('annotates only while an operation runs', () => {
    expect(terminateDecision('2026-12-01T00:00:05Z')(appWith(running))).toEqual({ patch: { metadata: { annotations: { 'capstan.dev/terminate-operation': '2026-12-01T00:00:05Z' } } } });
    expect(terminateDecision('t')(appWith({ ...running, phase: 'Terminating' }))).toHaveProperty('patch');
    expect(terminateDecision('t')(appWith({ ...running, phase: 'Succeeded' }))).toEqual({ refuse: 'no operation is running' });
    expect(terminateDecision('t')(appWith(undefined))).toEqual({ refuse: 'no operation is running' });
  });

  it('waits until that operation ended, or another took its place', () => {
    expect(endedOperation(running)(appWith({ ...running, phase: 'Terminating' }))).toBeUndefined();
    expect(endedOperation(running)(appWith({ ...running, phase: 'Failed' }))).toMatchObject({ phase: 'Failed' });
    expect(endedOperation(running)(appWith({ ...running, startedAt: '2026-12-01T00:01:00Z' }))).toMatchObject({ phase: 'Running' });
  });

  it('prints the phase and message of the terminated operation', async () => {
    const ended = { ...running, phase: 'Failed' as const, terminated: true, message: 'terminated while waiting for hook Job/migrate' };
    const { client, patches } = fakeClient(appWith(running), appWith(ended));
    const io = captureIO();
    await terminate(client, 'capstan', 'web', { wait: true, timeoutMs: 1_000 }, io);
    expect(patches).toHaveLength(1);
    expect(io.out.text()).toBe('termination of the running operation of capstan/web requested\nFailed (terminated): terminated while waiting for hook Job/migrate\n');
    expect(io.exitCode()).toBeUndefined();
  });

  it('says so and exits 1 without annotating when nothing runs', async () => {
    const done = appWith({ ...running, phase: 'Succeeded', message: '1 configured', finishedAt: '2026-12-01T00:00:09Z' });
    const { client, patches } = fakeClient(done, done);
    const io = captureIO();
    await terminate(client, 'capstan', 'web', { wait: true, timeoutMs: 1_000 }, io);
    expect(patches).toHaveLength(0);
    expect(io.out.text()).toBe('capstan/web: no operation is running (the last one: Succeeded: 1 configured)\n');
    expect(io.exitCode()).toBe(1);
  });

  it('exits 1 when the operation finished by itself before it was terminated', async () => {
    const { client } = fakeClient(appWith(running), appWith({ ...running, phase: 'Succeeded', message: '1 configured' }));
    const io = captureIO();
    await terminate(client, 'capstan', 'web', { wait: true, timeoutMs: 1_000 }, io);
    expect(io.out.text()).toContain('Succeeded: 1 configured');
    expect(io.exitCode()).toBe(1);
  });
});
