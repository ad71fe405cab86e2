import { describe, expect, it } from '@jest/globals';
import type { Application, OperationState } from '../api/application.js';
import { decideSync, retryDelayMs, type DecisionInput } from './decide.js';

const sha = '1'.repeat(40);
const now = Date.parse('2026-12-01T12:00:00Z');

function app(spec: Partial<Application['spec']> = {}, op?: Partial<OperationState>, annotations: Record<string, string> = {}): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan', annotations },
    spec: { source: { repoURL: 'file:///r' }, destination: { namespace: 'web' }, syncPolicy: { automated: { prune: true } }, ...spec },
    ...(op === undefined ? {} : { status: { operationState: { phase: 'Succeeded', message: '', startedAt: '2026-12-01T11:00:00Z', revision: sha, specHash: 'h1', ...op } } }),
  };
}

const input = (a: Application, extra: Partial<DecisionInput> = {}): DecisionInput =>
  ({ app: a, sha, specHash: 'h1', outOfSync: true, hasPrunable: false, syncToken: undefined, now, ...extra });

describe('decideSync', () => {
  it('runs a requested sync, whatever the policy', () => {
    expect(decideSync(input(app({ syncPolicy: {} }), { syncToken: 't1' }))).toMatchObject({ sync: true, trigger: 'user', initiatedBy: 'user (t1)' });
  });

  it('leaves manual apps, paused apps and apps in sync alone', () => {
    expect(decideSync(input(app({ syncPolicy: {} })))).toMatchObject({ sync: false, why: 'manual sync policy' });
    expect(decideSync(input(app({}, undefined, { 'capstan.dev/sync-revision': sha })))).toMatchObject({ sync: false });
    expect(decideSync(input(app(), { outOfSync: false }))).toMatchObject({ sync: false, why: 'in sync' });
  });

  it('prunes only with automated.prune, and a prune alone is a reason to sync', () => {
    expect(decideSync(input(app(), { outOfSync: false, hasPrunable: true }))).toMatchObject({ sync: true, prune: true });
    expect(decideSync(input(app({ syncPolicy: { automated: {} } }), { outOfSync: false, hasPrunable: true }))).toMatchObject({ sync: false, prune: false });
  });

  it('syncs a new revision, and a spec change at the revision it already synced', () => {
    expect(decideSync(input(app({}, { revision: '2'.repeat(40) })))).toMatchObject({ sync: true, trigger: 'automated', why: `new revision ${sha.slice(0, 7)}` });
    expect(decideSync(input(app({}, {}), { specHash: 'h2' }))).toMatchObject({ sync: true, trigger: 'automated', why: 'the spec changed what is applied' });
  });

  it('reverts drift only with selfHeal', () => {
    expect(decideSync(input(app({}, {})))).toMatchObject({ sync: false, why: 'drift (selfHeal is off)' });
    expect(decideSync(input(app({ syncPolicy: { automated: { selfHeal: true } } }, {})))).toMatchObject({ sync: true, trigger: 'self-heal' });
  });

  it('resumes an interrupted or running operation', () => {
    expect(decideSync(input(app({}, { phase: 'Interrupted' })))).toMatchObject({ sync: true, why: 'resuming an interrupted sync' });
    expect(decideSync(input(app({}, { phase: 'Running' })))).toMatchObject({ sync: true });
  });

  it('counts an operation recorded without specHash as of the current spec', () => {
    expect(decideSync(input(app({}, { specHash: undefined })))).toMatchObject({ sync: false, why: 'drift (selfHeal is off)' });
  });

  it('retries a failed sync after its backoff, up to retry.limit', () => {
    const retry = { limit: 3, backoff: { duration: '10s', factor: 3, maxDuration: '1m' } };
    const failed = (retryCount: number, finishedAgoMs: number): Application =>
      app({ syncPolicy: { automated: {}, retry } }, { phase: 'Failed', retryCount, finishedAt: new Date(now - finishedAgoMs).toISOString() });
    expect(decideSync(input(failed(0, 4_000)))).toMatchObject({ sync: false, retryInMs: 6_000 });
    expect(decideSync(input(failed(0, 10_000)))).toMatchObject({ sync: true, trigger: 'retry' });
    expect(decideSync(input(failed(1, 29_000)))).toMatchObject({ sync: false, retryInMs: 1_000 });
    expect(decideSync(input(failed(2, 59_000)))).toMatchObject({ sync: false, retryInMs: 1_000 });
    expect(decideSync(input(failed(3, 3_600_000)))).toMatchObject({ sync: false, exhausted: true });
  });

  it('retries 5 times without a retry policy (Argo CD\'s default), never with limit 0, and forever with a negative limit', () => {
    const op = { phase: 'Failed' as const, retryCount: 0, finishedAt: '2026-12-01T11:00:00Z' };
    expect(decideSync(input(app({}, op)))).toMatchObject({ sync: true, trigger: 'retry' });
    expect(decideSync(input(app({}, { ...op, retryCount: 5 })))).toMatchObject({ sync: false, exhausted: true });
    expect(decideSync(input(app({ syncPolicy: { automated: {}, retry: { limit: 0 } } }, op)))).toMatchObject({ sync: false, exhausted: true });
    expect(decideSync(input(app({ syncPolicy: { automated: {}, retry: { limit: -1 } } }, { ...op, retryCount: 99 })))).toMatchObject({ sync: true, trigger: 'retry' });
  });
});

describe('retryDelayMs', () => {
  it("uses Argo CD's defaults: 5s, doubling, at most 3m", () => {
    expect([0, 1, 2, 3, 10].map((n) => retryDelayMs(undefined, n))).toEqual([5_000, 10_000, 20_000, 40_000, 180_000]);
  });
});
