import { describe, expect, it } from '@jest/globals';
import type { Application, OperationState } from '../../api/application.js';
import type { KubeObject } from '../../api/object.js';
import type { ComparedObject } from '../steps/compare.js';
import type { LiveView } from '../steps/live.js';
import type { SyncProgress } from '../steps/sync.js';
import { buildStatus, failureStatus, retryingStatus, type StatusInput } from './build.js';

const sha = 'c'.repeat(40);
const now = '2026-12-01T12:00:00.000Z';
const app: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan', generation: 3 },
  spec: { source: { repoURL: 'file:///r' }, destination: { namespace: 'a' } },
};
const cm = (name: string, annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'a', annotations } });

function compared(name: string, inSync: boolean): ComparedObject {
  const object = cm(name);
  return {
    prepared: { ref: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'a', name }, key: { group: '', kind: 'ConfigMap', namespace: 'a', name }, object, info: { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, verbs: [] }, trackingId: `capstan/a:/ConfigMap:a/${name}`, pendingKind: false },
    live: object, inSync, changes: inSync ? [] : [{ path: '/data/k', live: '1', desired: '2' }], recreate: false,
  };
}

const view = (prunable: KubeObject[] = []): LiveView => ({
  live: new Map(), shared: [], kinds: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
  prunable: prunable.map((object) => ({ key: { group: '', kind: 'ConfigMap', namespace: 'a', name: object.metadata.name ?? '' }, object })),
});

const input = (extra: Partial<StatusInput>): StatusInput => ({
  app, sha, compared: [compared('one', true)], view: view(), decision: { sync: false, prune: false, why: 'in sync' }, progress: undefined, now, maxResources: 500, ...extra,
});

/** A sync that ended in this reconcile. */
function finished(ok: boolean, message: string, extra: { refusedEmpty?: boolean; retryCount?: number; initiatedBy?: string } = {}): SyncProgress {
  const state: OperationState = {
    phase: ok ? 'Succeeded' : 'Failed', message, startedAt: now, finishedAt: now, revision: sha, specHash: 'h',
    initiatedBy: extra.initiatedBy ?? 'automated', retryCount: extra.retryCount ?? 0, syncId: 's1',
  };
  return { state, finished: true, ok, message, records: [], applied: new Map(), pruned: new Set(), refusedEmpty: extra.refusedEmpty ?? false };
}

describe('buildStatus', () => {
  it('is Synced and Ready when everything is in sync, and records the kinds it manages', () => {
    const { status } = buildStatus(input({}));
    expect(status.sync).toEqual({ status: 'Synced', revision: sha });
    expect(status.observedGeneration).toBe(3);
    expect(status.conditions).toEqual([{ type: 'Ready', status: 'True', reason: 'Synced', message: `synced to ${sha.slice(0, 7)}`, lastTransitionTime: now }]);
    expect(status.managedKinds).toEqual([{ group: '', version: 'v1', kind: 'ConfigMap' }]);
    expect(status.reconciledAt).toBeUndefined();
  });

  it('names what differs and what needs pruning, but an IgnoreExtraneous object does not make the app OutOfSync', () => {
    const out = buildStatus(input({ compared: [compared('one', false)], view: view([cm('old')]) }));
    expect(out.syncStatus).toBe('OutOfSync');
    expect(out.status.conditions?.[0]?.message).toBe(`out of sync with ${sha.slice(0, 7)}: differs from Git: ConfigMap/one (data.k: "1" → "2"); requires pruning: ConfigMap/old`);
    const extraneous = buildStatus(input({ view: view([cm('old', { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' })]) }));
    expect(extraneous.syncStatus).toBe('Synced');
    expect(extraneous.status.resources?.find((r) => r.name === 'old')).toMatchObject({ requiresPruning: true, status: 'OutOfSync' });
  });

  it('reports a refused empty plan as EmptyPlanRefused, not as a failed sync', () => {
    const { status } = buildStatus(input({
      decision: { sync: true, prune: true, trigger: 'automated', initiatedBy: 'automated', why: 'x' },
      progress: finished(false, 'refusing to delete all 2 resources', { refusedEmpty: true }),
    }));
    expect(status.conditions?.[0]).toMatchObject({ reason: 'EmptyPlanRefused', status: 'False' });
    expect(status.operationState).toMatchObject({ phase: 'Failed', revision: sha, specHash: 'h' });
  });

  it('says when a failed automated sync is tried again (retry.backoff), and stalls once retries are used up', () => {
    const automated: Application = { ...app, spec: { ...app.spec, syncPolicy: { automated: {}, retry: { limit: 3, backoff: { duration: '10s', factor: 3 } } } } };
    const failedAgain = buildStatus(input({
      app: automated,
      decision: { sync: true, prune: false, trigger: 'retry', initiatedBy: 'automated (retry)', why: 'x' },
      progress: finished(false, 'boom', { retryCount: 2 }),
    }));
    // The third attempt (retryCount 2) failed: the next waits 10 s × 3².
    expect(failedAgain.status.operationState).toMatchObject({ phase: 'Failed', retryCount: 2, nextAttemptAt: new Date(Date.parse(now) + 90_000).toISOString() });
    const last = buildStatus(input({ app: automated, decision: { sync: true, prune: false, trigger: 'retry', initiatedBy: 'automated (retry)', why: 'x' }, progress: finished(false, 'boom', { retryCount: 3 }) }));
    expect(last.status.operationState?.nextAttemptAt).toBeUndefined();
    const failedBefore: Application = { ...app, status: { operationState: { phase: 'Failed', message: 'boom', startedAt: now, finishedAt: now, revision: sha, specHash: 'h', retryCount: 1 } } };
    const exhausted = buildStatus(input({ app: failedBefore, decision: { sync: false, prune: false, why: 'x', exhausted: true } }));
    expect(exhausted.status.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ reason: 'RetriesExhausted', status: 'True' });
    expect(exhausted.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'SyncFailed', message: 'boom (retries exhausted)' });
  });

  it('adds a history entry for a successful sync of a new revision only', () => {
    const synced = buildStatus(input({
      decision: { sync: true, prune: false, trigger: 'automated', initiatedBy: 'automated', why: 'x' },
      progress: finished(true, '1 configured'),
    }));
    expect(synced.status.history).toEqual([{ id: 1, revision: sha, deployedAt: now, initiatedBy: 'automated' }]);
  });
});

describe('failureStatus and retryingStatus', () => {
  it('a failed step: Ready=False and Stalled=True with its reason, never Synced, the rest kept', () => {
    const before: Application = { ...app, status: { sync: { status: 'Synced', revision: sha }, history: [{ id: 1, revision: sha, deployedAt: now, initiatedBy: 'automated' }] } };
    const status = failureStatus(before, { reason: 'GitError', message: 'host down' }, now);
    expect(status.sync).toEqual({ status: 'Unknown', revision: sha });
    expect(status.conditions?.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual(['Ready=False GitError', 'Stalled=True GitError']);
    expect(status.history).toHaveLength(1);
  });

  it('a transient error: Reconciling=True, Stalled dropped, Ready as it was', () => {
    const before: Application = { ...app, status: { conditions: [
      { type: 'Ready', status: 'True', reason: 'Synced', message: 'ok', lastTransitionTime: '2026-11-30T00:00:00Z' },
      { type: 'Stalled', status: 'True', reason: 'GitError', message: 'old', lastTransitionTime: '2026-11-30T00:00:00Z' },
    ] } };
    const status = retryingStatus(before, 'retrying after an error: 503', now);
    expect(status.conditions?.map((c) => `${c.type}=${c.status} ${c.reason} ${c.lastTransitionTime}`)).toEqual([
      'Ready=True Synced 2026-11-30T00:00:00Z', `Reconciling=True Retrying ${now}`,
    ]);
  });
});
