import { describe, expect, it } from '@jest/globals';
import type { ApplicationStatus, OperationState, ResourceStatus } from '../api/application.js';
import { operationInfoName } from './operation-info.js';
import { toArgoStatus } from './status.js';
import { fromArgoStatus } from './status-resume.js';
import type { ArgoApplicationSpec } from './types.js';

const sha = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const spec: ArgoApplicationSpec = {
  project: 'default',
  source: { repoURL: 'https://git.example.com/web.git', targetRevision: 'main', path: 'deploy' },
  destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
};

const deployment: ResourceStatus = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web', status: 'Synced', health: { status: 'Healthy' }, syncWave: 1 };
const service: ResourceStatus = { group: '', version: 'v1', kind: 'Service', namespace: 'web', name: 'web', status: 'Synced', health: { status: 'Healthy' }, syncWave: 0 };
const resources: ResourceStatus[] = [deployment, service];

const syncedOperation: OperationState = {
  phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:20.000Z',
  revision: sha, specHash: 'h-1', initiatedBy: 'automated', retryCount: 0, prune: true, syncId: 'sync-1', hooks: [],
  resources: [
    { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', action: 'configured' },
    { group: '', kind: 'Service', namespace: 'web', name: 'web', action: 'configured' },
  ],
};

const synced: ApplicationStatus = {
  sync: { status: 'Synced', revision: sha },
  health: { status: 'Healthy' },
  conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: 'synced to 3f2a9c1', lastTransitionTime: '2026-12-01T10:00:30.000Z' }],
  resources,
  managedKinds: [{ group: 'apps', version: 'v1', kind: 'Deployment' }, { group: '', version: 'v1', kind: 'Service' }],
  sourceType: 'Directory',
  operationState: syncedOperation,
  history: [
    { id: 1, revision: 'a'.repeat(40), deployedAt: '2026-11-30T09:00:00.000Z', initiatedBy: 'user (alice)' },
    { id: 2, revision: sha, deployedAt: '2026-12-01T10:00:20.000Z', initiatedBy: 'automated' },
  ],
  reconciledAt: '2026-12-01T10:00:30.000Z',
};

const failed: ApplicationStatus = {
  sync: { status: 'OutOfSync', revision: sha },
  health: { status: 'Degraded', message: 'Deployment/web: ProgressDeadlineExceeded' },
  conditions: [{ type: 'Ready', status: 'False', reason: 'SyncFailed', message: 'Deployment/web: admission webhook denied the request', lastTransitionTime: '2026-12-01T10:05:00.000Z' }],
  resources: [{ ...deployment, status: 'OutOfSync', health: { status: 'Degraded', message: 'ProgressDeadlineExceeded' } }, service],
  managedKinds: [{ group: 'apps', version: 'v1', kind: 'Deployment' }, { group: '', version: 'v1', kind: 'Service' }],
  operationState: {
    phase: 'Failed', message: 'one or more objects failed to apply: Deployment/web', startedAt: '2026-12-01T10:04:00.000Z', finishedAt: '2026-12-01T10:05:00.000Z',
    revision: sha, specHash: 'h-1', initiatedBy: 'automated (retry)', retryCount: 2, nextAttemptAt: '2026-12-01T10:05:20.000Z', syncId: 'sync-2',
    failure: 'Deployment/web: admission webhook denied the request',
    resources: [
      { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', action: 'failed', message: 'admission webhook denied the request' },
      { group: '', kind: 'ConfigMap', namespace: 'web', name: 'old', action: 'skipped', message: 'not pruned: Prune=false' },
    ],
    hooks: [{ group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: 'notify-failure', uid: 'uid-9', phase: 'SyncFail', wave: 0, status: 'Succeeded' }],
  },
  history: synced.history ?? [],
};

const running: ApplicationStatus = {
  sync: { status: 'OutOfSync', revision: sha },
  health: { status: 'Progressing', message: 'Deployment/web: 1 of 3 updated replicas are available' },
  resources,
  managedKinds: [{ group: 'apps', version: 'v1', kind: 'Deployment' }, { group: '', version: 'v1', kind: 'Service' }],
  operationState: {
    phase: 'Running', message: 'waiting for Deployment/web to become healthy', startedAt: '2026-12-01T11:00:00.000Z', revision: sha, specHash: 'h-2',
    syncToken: 'tok-7', initiatedBy: 'user (alice)', retryCount: 0, syncPhase: 'Sync', wave: 1, waveStartedAt: '2026-12-01T11:00:05.000Z',
    waitingFor: 'Deployment/web', syncId: 'sync-3', prune: true, selected: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
    syncOptions: ['Replace=true'], retry: { limit: 3, backoff: { duration: '10s' } },
    hooks: [{ group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: 'migrate', uid: 'uid-1', phase: 'PreSync', wave: -1, status: 'Succeeded', message: 'job completed' }],
    resources: [{ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', action: 'configured' }],
  },
  history: synced.history ?? [],
};

/** What Argo CD's schema cannot hold (status.ts lists it): here, the conditions. */
function expectedBack(status: ApplicationStatus): ApplicationStatus {
  const { conditions: _conditions, ...rest } = status;
  return rest;
}

describe('toArgoStatus and fromArgoStatus', () => {
  it.each([
    ['a synced app', synced],
    ['a failed sync', failed],
    ['a running sync', running],
  ])('round-trip %s: what the controller reads back is what it wrote', (_name, status) => {
    const argo = JSON.parse(JSON.stringify(toArgoStatus(status, spec))) as ReturnType<typeof toArgoStatus>;
    expect(fromArgoStatus(argo, spec)).toEqual(expectedBack(status));
  });

  it('writes what kubectl and Argo CD tools read', () => {
    const argo = toArgoStatus(synced, spec, { now: '2026-12-01T10:00:30.000Z' });
    expect(argo.sync).toEqual({ status: 'Synced', revision: sha, comparedTo: { source: spec.source, destination: spec.destination } });
    expect(argo.health).toEqual({ status: 'Healthy', lastTransitionTime: '2026-12-01T10:00:30.000Z' });
    expect(argo.resources?.[0]).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web', status: 'Synced', health: { status: 'Healthy' }, syncWave: 1 });
    expect(argo.conditions).toBeUndefined();
    expect(argo.sourceType).toBe('Directory');
    expect(argo.summary).toEqual({});
    expect(argo.operationState).toMatchObject({
      operation: { sync: { revision: sha, prune: true }, initiatedBy: { automated: true } },
      phase: 'Succeeded', startedAt: '2026-12-01T10:00:00.000Z', finishedAt: '2026-12-01T10:00:20.000Z',
      syncResult: { revision: sha, source: spec.source, resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web', status: 'Synced', syncPhase: 'Sync' }, { group: '', version: 'v1', kind: 'Service', namespace: 'web', name: 'web', status: 'Synced', syncPhase: 'Sync' }] },
    });
    expect(argo.operationState?.retryCount).toBeUndefined();
  });

  it('keeps health.lastTransitionTime while the health stays the same', () => {
    const previous = { health: { status: 'Healthy' as const, lastTransitionTime: '2026-11-01T00:00:00Z' } };
    expect(toArgoStatus(synced, spec, { previous, now: '2026-12-02T00:00:00Z' }).health?.lastTransitionTime).toBe('2026-11-01T00:00:00Z');
    expect(toArgoStatus(failed, spec, { previous, now: '2026-12-02T00:00:00Z' }).health).toEqual({ status: 'Degraded', message: 'Deployment/web: ProgressDeadlineExceeded', lastTransitionTime: '2026-12-02T00:00:00Z' });
  });

  it('shows a failed sync with Argo CD result codes, its SyncFail hook and a SyncError', () => {
    const argo = toArgoStatus(failed, spec);
    expect(argo.operationState?.phase).toBe('Failed');
    expect(argo.operationState?.retryCount).toBe(2);
    expect(argo.operationState?.operation.initiatedBy).toEqual({ automated: true });
    expect(argo.operationState?.syncResult?.resources).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web', status: 'SyncFailed', message: 'admission webhook denied the request', syncPhase: 'Sync' },
      { group: '', version: '', kind: 'ConfigMap', namespace: 'web', name: 'old', status: 'PruneSkipped', message: 'not pruned: Prune=false', syncPhase: 'Sync' },
      { group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: 'notify-failure', hookType: 'SyncFail', hookPhase: 'Succeeded', syncPhase: 'SyncFail' },
    ]);
    expect(argo.conditions).toEqual([{ type: 'SyncError', message: 'Deployment/web: admission webhook denied the request', lastTransitionTime: '2026-12-01T10:05:00.000Z' }]);
  });

  it('keeps what a running sync resumes from in the operation info, the sync token as `token`', () => {
    const argo = toArgoStatus(running, spec);
    const info = argo.operationState?.operation.info ?? [];
    expect(info.find((i) => i.name === 'token')?.value).toBe('tok-7');
    const kept = JSON.parse(info.find((i) => i.name === operationInfoName)?.value ?? '{}') as Record<string, unknown>;
    expect(kept).toEqual({
      specHash: 'h-2', initiatedBy: 'user (alice)', syncPhase: 'Sync', wave: 1, waveStartedAt: '2026-12-01T11:00:05.000Z', waitingFor: 'Deployment/web', syncId: 'sync-3',
      hooks: running.operationState?.hooks,
    });
    expect(argo.operationState?.operation).toMatchObject({
      sync: { revision: sha, prune: true, resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }], syncOptions: ['Replace=true'] },
      initiatedBy: { username: 'alice' }, retry: { limit: 3, backoff: { duration: '10s' } },
    });
    expect(argo.operationState?.phase).toBe('Running');
    expect(argo.operationState?.finishedAt).toBeUndefined();
  });

  it('shows an Interrupted sync (resumed by the controller) as Running and reads it back as Interrupted', () => {
    const interrupted: ApplicationStatus = { operationState: { ...syncedOperation, phase: 'Interrupted' } };
    const argo = toArgoStatus(interrupted, spec);
    expect(argo.operationState?.phase).toBe('Running');
    expect(fromArgoStatus(argo, spec).operationState?.phase).toBe('Interrupted');
  });

  it('writes history with increasing ids, each new entry with its source and start, older ones as they were', () => {
    const previous = { history: [{ id: 1, revision: 'a'.repeat(40), deployedAt: '2026-11-30T09:00:00.000Z', deployStartedAt: '2026-11-30T08:59:00.000Z', source: { repoURL: 'https://git.example.com/old.git' } }] };
    const history = toArgoStatus(synced, spec, { previous }).history ?? [];
    expect(history.map((h) => h.id)).toEqual([1, 2]);
    expect(history.every((h, i) => i === 0 || h.id > (history[i - 1]?.id ?? 0))).toBe(true);
    expect(history[0]).toEqual({ id: 1, revision: 'a'.repeat(40), deployedAt: '2026-11-30T09:00:00.000Z', deployStartedAt: '2026-11-30T08:59:00.000Z', source: { repoURL: 'https://git.example.com/old.git' }, initiatedBy: { username: 'alice' } });
    expect(history[1]).toEqual({ id: 2, revision: sha, deployedAt: '2026-12-01T10:00:20.000Z', deployStartedAt: '2026-12-01T10:00:00.000Z', source: spec.source, initiatedBy: { automated: true } });
  });

  it('writes several sources as Argo CD does: revisions, no revision; reads them back comma-joined', () => {
    const multi: ArgoApplicationSpec = { ...spec, source: undefined, sources: [{ repoURL: 'https://charts.example.com', chart: 'api', targetRevision: '1.4.2' }, { repoURL: 'https://git.example.com/values.git', ref: 'values' }] };
    const status: ApplicationStatus = {
      sync: { status: 'Synced', revision: `1.4.2,${sha}`, revisions: ['1.4.2', sha] },
      history: [{ id: 4, revision: `1.4.2,${sha}`, deployedAt: '2026-12-01T10:00:20.000Z', initiatedBy: 'automated' }],
      operationState: { ...syncedOperation, revision: `1.4.2,${sha}` },
    };
    const argo = toArgoStatus(status, multi);
    expect(argo.sync).toEqual({ status: 'Synced', revisions: ['1.4.2', sha], comparedTo: { sources: multi.sources, destination: spec.destination } });
    expect(argo.history?.[0]?.revisions).toEqual(['1.4.2', sha]);
    expect(argo.history?.[0]?.revision).toBeUndefined();
    expect(argo.operationState?.syncResult).toMatchObject({ revision: '', revisions: ['1.4.2', sha], sources: multi.sources });
    expect(argo.operationState?.operation.sync).toMatchObject({ revisions: ['1.4.2', sha] });
    const back = fromArgoStatus(argo, multi);
    expect(back.sync).toEqual(status.sync);
    expect(back.history).toEqual(status.history);
    expect(back.operationState?.revision).toBe(`1.4.2,${sha}`);
  });

  it('reads a status Argo CD itself wrote: hooks from the sync result, kinds from the resources', () => {
    const back = fromArgoStatus({
      sync: { status: 'Synced', revision: sha },
      resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'web', status: 'Synced' }, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'api', status: 'Synced' }],
      operationState: {
        operation: { sync: { revision: sha }, initiatedBy: { username: 'admin' } }, phase: 'Running', startedAt: '2026-12-01T10:00:00Z',
        syncResult: { revision: sha, resources: [{ group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: 'migrate', hookType: 'PreSync', hookPhase: 'Running', syncPhase: 'PreSync' }] },
      },
      history: [{ id: 7, revision: sha, deployedAt: '2026-11-01T00:00:00Z', initiatedBy: { automated: true } }],
    }, spec);
    expect(back.managedKinds).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(back.operationState).toEqual({
      phase: 'Running', message: '', startedAt: '2026-12-01T10:00:00Z', revision: sha, initiatedBy: 'user (admin)', retryCount: 0,
      hooks: [{ group: 'batch', version: 'v1', kind: 'Job', namespace: 'web', name: 'migrate', phase: 'PreSync', wave: 0, status: 'Running' }],
    });
    expect(back.history).toEqual([{ id: 7, revision: sha, deployedAt: '2026-11-01T00:00:00Z', initiatedBy: 'automated' }]);
  });

  it('ignores a malformed capstan.dev/operation entry', () => {
    const argo = toArgoStatus(running, spec);
    const state = argo.operationState;
    if (state === undefined) throw new Error('no operationState');
    const info = (state.operation.info ?? []).map((i) => (i.name === operationInfoName ? { ...i, value: '{not json' } : i));
    const broken = { ...argo, operationState: { ...state, operation: { ...state.operation, info } } };
    const back = fromArgoStatus(broken, spec).operationState;
    expect(back?.syncId).toBeUndefined();
    expect(back?.syncToken).toBe('tok-7');
    expect(back?.hooks?.map((h) => h.name)).toEqual(['migrate']);
  });
});
