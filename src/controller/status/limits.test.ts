import { describe, expect, it } from '@jest/globals';
import { recordedSyncToken } from '../../api/annotations.js';
import type { Application, ApplicationStatus, OperationState, ResourceStatus } from '../../api/application.js';
import { KubeApiError } from '../../cluster/errors.js';
import type { SyncProgress } from '../steps/sync.js';
import { buildStatus, failureStatus, retryingStatus, syncingStatus, type StatusInput } from './build.js';
import { fitStatus, isTooLarge, jsonBytes, minimalStatus, statusLimits } from './limits.js';

const now = '2026-12-01T12:00:00.000Z';
const budget = 256 * 1024;
const app: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan', generation: 1 },
  spec: { source: { repoURL: 'https://git.example/r.git', path: '.' }, destination: { namespace: 'd' } },
};
const ready = (status: ApplicationStatus) => status.conditions?.find((c) => c.type === 'Ready');
const input = (extra: Partial<StatusInput>): StatusInput => ({
  app, sha: 'b'.repeat(40), compared: [], view: { live: new Map(), shared: [], prunable: [], kinds: [] },
  decision: { sync: false, prune: false, why: 'in sync' }, progress: undefined, now, maxResources: 500, ...extra,
});
function succeeded(state: Omit<OperationState, 'phase' | 'message'>): SyncProgress {
  return { state: { ...state, phase: 'Succeeded', message: 'nothing to change' }, finished: true, ok: true, message: 'nothing to change', records: [], applied: new Map(), pruned: new Set(), refusedEmpty: false };
}

describe('status builders with hostile input stay under 256 KiB and name the current result', () => {
  it('a render failure with a 35 MiB message (five 7 MiB YAML strings quoted)', () => {
    const quoted = `f0.yaml: a document must be an object, found the string "${'A'.repeat(35 * 1024 * 1024)}"`;
    const status = failureStatus(app, { reason: 'RenderError', message: quoted }, now);
    expect(jsonBytes(status)).toBeLessThan(budget);
    expect(ready(status)).toMatchObject({ status: 'False', reason: 'RenderError' });
    expect(ready(status)?.message.startsWith('f0.yaml: a document must be an object')).toBe(true);
    expect(ready(status)?.message.length).toBeLessThanOrEqual(statusLimits.messageChars);
    expect(status.conditions?.find((c) => c.type === 'Stalled')).toMatchObject({ reason: 'RenderError' });
  });

  it('an unknown kind whose name is 3 MB', () => {
    const message = `the cluster does not serve the kind of v1 ${'K'.repeat(3_000_000)}/x; nothing was applied (install its CRD first, or add it to this app)`;
    const status = failureStatus(app, { reason: 'UnknownKind', message }, now);
    expect(jsonBytes(status)).toBeLessThan(8 * 1024);
    expect(ready(status)).toMatchObject({ reason: 'UnknownKind' });
  });

  it('10,000 objects with 200-character names, all owned by another Application', () => {
    const shared = Array.from({ length: 10_000 }, (_, i) => ({
      key: { group: '', kind: 'ConfigMap', namespace: 'd', name: `cm-${String(i).padStart(5, '0')}-${'x'.repeat(200)}` }, owner: 'capstan/other',
    }));
    const { status } = buildStatus(input({ view: { live: new Map(), shared, prunable: [], kinds: [] } }));
    expect(jsonBytes(status)).toBeLessThan(budget);
    expect(ready(status)?.reason).toBe('SharedResource');
    expect(ready(status)?.message).toContain('owned by capstan/other');
    expect(ready(status)?.message).toMatch(/… and 99\d\d more \(owned by capstan\/other\)$/);
    expect((status.resources?.length ?? 0) + (status.resourcesTruncated ?? 0)).toBe(10_000);
  });

  it('a 200 KiB capstan.dev/sync token over 10 syncs', () => {
    let status: ApplicationStatus = {};
    for (let i = 0; i < 10; i++) {
      const token = recordedSyncToken(`${i}${'T'.repeat(200 * 1024)}`);
      const out = buildStatus(input({
        app: { ...app, status }, sha: String(i).repeat(40),
        decision: { sync: true, prune: false, trigger: 'user', initiatedBy: `user (${token})`, why: 'sync requested' },
        progress: succeeded({ startedAt: now, revision: String(i).repeat(40), specHash: 'h', initiatedBy: `user (${token})`, syncToken: token }),
      }));
      status = out.status;
    }
    expect(jsonBytes(status)).toBeLessThan(8 * 1024);
    expect(status.history).toHaveLength(10);
    expect(status.operationState?.revision).toBe('9'.repeat(40));
    expect(status.operationState?.syncToken).toBe(recordedSyncToken(`9${'T'.repeat(200 * 1024)}`));
  });

  it('a token stored raw by an older version, and initiatedBy of any length, are bounded too', () => {
    const token = 'T'.repeat(200 * 1024);
    const before: Application = { ...app, status: {
      operationState: { phase: 'Succeeded', message: 'ok', startedAt: now, syncToken: token, initiatedBy: `user (${token})` },
      history: Array.from({ length: 10 }, (_, id) => ({ id, revision: 'r', deployedAt: now, initiatedBy: `user (${token})` })),
    } };
    for (const status of [retryingStatus(before, 'retrying after an error: 503', now), syncingStatus(before, { phase: 'Running', message: 'syncing to r', startedAt: now, revision: 'r', specHash: 'h', initiatedBy: `user (${token})`, syncToken: token }, now)]) {
      expect(jsonBytes(status)).toBeLessThan(8 * 1024);
      expect(status.operationState?.syncToken).toBe(recordedSyncToken(token));
    }
  });

  it('500 resources with 253-character names and long health messages: resource detail is given up, and Ready says so', () => {
    const compared = Array.from({ length: 500 }, (_, i) => {
      const name = `${String(i).padStart(3, '0')}${'n'.repeat(250)}`;
      const key = { group: 'apps', kind: 'Deployment', namespace: 'd'.repeat(63), name };
      const object = {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: key.namespace, generation: 1 },
        status: { observedGeneration: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'M'.repeat(100_000) }] },
      };
      return {
        prepared: { ref: { ...key, version: 'v1' }, key, object, info: { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, verbs: [] }, trackingId: 't', pendingKind: false },
        live: object, inSync: true, changes: [], recreate: false,
      };
    });
    const { status } = buildStatus(input({ compared }));
    expect(jsonBytes(status)).toBeLessThanOrEqual(budget);
    expect(ready(status)?.message).toMatch(/status shortened to stay within 256 KiB: .*resource/);
    expect((status.resources?.length ?? 0) + (status.resourcesTruncated ?? 0)).toBe(500);
    expect(fitStatus(status)).toEqual(status);
  });
});

const entry = (i: number, extra: Partial<ResourceStatus> = {}): ResourceStatus => ({
  group: '', version: 'v1', kind: 'ConfigMap', namespace: 'd', name: `cm-${i}-${'x'.repeat(240)}`, status: 'Synced', message: 'm'.repeat(300), ...extra,
});

describe('fitStatus', () => {

  it('bounds every text, and leaves a bounded status as it is', () => {
    const status: ApplicationStatus = {
      health: { status: 'Degraded', message: 'h'.repeat(5000) },
      conditions: [{ type: 'Ready', status: 'False', reason: 'SyncFailed', message: 'x'.repeat(5000), lastTransitionTime: now }],
      resources: [entry(1, { health: { status: 'Degraded', message: 'd'.repeat(5000) } })],
      operationState: { phase: 'Failed', message: 'o'.repeat(5000), startedAt: now, resources: [{ group: '', kind: 'ConfigMap', namespace: 'd', name: 'n', action: 'failed', message: 'r'.repeat(5000) }] },
      lastRefresh: { reason: 'push by '.repeat(1000), at: now },
    };
    const fitted = fitStatus(status);
    expect(fitted.health?.message?.length).toBeLessThanOrEqual(statusLimits.messageChars);
    expect(fitted.conditions?.[0]?.message.length).toBeLessThanOrEqual(statusLimits.messageChars);
    expect(fitted.resources?.[0]?.message?.length).toBeLessThanOrEqual(statusLimits.resourceMessageChars);
    expect(fitted.resources?.[0]?.health?.message?.length).toBeLessThanOrEqual(statusLimits.resourceMessageChars);
    expect(fitted.operationState?.message.length).toBeLessThanOrEqual(statusLimits.messageChars);
    expect(fitted.operationState?.resources?.[0]?.message?.length).toBeLessThanOrEqual(statusLimits.resourceMessageChars);
    expect(fitted.lastRefresh?.reason.length).toBeLessThanOrEqual(statusLimits.refreshReasonChars);
    expect(fitStatus(fitted)).toEqual(fitted);
  });

  it('drops resource messages first, then resources (least important first), then history', () => {
    const resources = [...Array.from({ length: 2000 }, (_, i) => entry(i)), entry(9999, { status: 'OutOfSync' })];
    const history = Array.from({ length: 100 }, (_, id) => ({ id, revision: 'r'.repeat(40), deployedAt: now, initiatedBy: 'automated' }));
    const status: ApplicationStatus = {
      conditions: [{ type: 'Ready', status: 'False', reason: 'OutOfSync', message: 'out of sync', lastTransitionTime: now }],
      resources, history, managedKinds: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
    };
    const fitted = fitStatus(status, 64 * 1024);
    expect(jsonBytes(fitted)).toBeLessThanOrEqual(64 * 1024);
    expect(fitted.resources?.every((r) => r.message === undefined)).toBe(true);
    expect(fitted.resources?.[0]?.status).toBe('OutOfSync');
    expect((fitted.resources?.length ?? 0) + (fitted.resourcesTruncated ?? 0)).toBe(2001);
    expect(fitted.history).toHaveLength(100);
    expect(fitted.managedKinds).toEqual(status.managedKinds);
    expect(ready(fitted)?.message).toMatch(/^out of sync \(status shortened to stay within 64 KiB: resource messages left out, \d+ more resources not listed\)$/);
    expect(fitStatus(fitted, 64 * 1024)).toEqual(fitted);

    const tiny = fitStatus({ ...status, resources: [] }, 4 * 1024);
    expect(jsonBytes(tiny)).toBeLessThanOrEqual(4 * 1024);
    expect(tiny.history?.[tiny.history.length - 1]?.id).toBe(99);
    expect(ready(tiny)?.message).toContain('older history entries left out');
  });
});

describe('a status the API server refuses by its size', () => {
  it('is recognised by HTTP 413 or etcd\'s message', () => {
    expect(isTooLarge(new KubeApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'))).toBe(true);
    expect(isTooLarge(new KubeApiError(500, '', 'etcdserver: request is too large'))).toBe(true);
    expect(isTooLarge(new KubeApiError(409, 'Conflict', 'the object has been modified'))).toBe(false);
    expect(isTooLarge('no')).toBe(false);
  });

  it('is replaced by a small one that keeps the current result, managedKinds and the newest history entry', () => {
    const status: ApplicationStatus = {
      observedGeneration: 4,
      sync: { status: 'Unknown', revision: 'r' },
      conditions: [
        { type: 'Ready', status: 'False', reason: 'RenderError', message: 'f.yaml: bad', lastTransitionTime: now },
        { type: 'Stalled', status: 'True', reason: 'RenderError', message: 'f.yaml: bad', lastTransitionTime: now },
      ],
      resources: [entry(1)], resourcesTruncated: 3, managedKinds: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
      operationState: { phase: 'Succeeded', message: 'ok', startedAt: now, resources: [{ group: '', kind: 'ConfigMap', namespace: 'd', name: 'n', action: 'configured' }] },
      history: [{ id: 1, revision: 'a', deployedAt: now, initiatedBy: 'automated' }, { id: 2, revision: 'b', deployedAt: now, initiatedBy: 'automated' }],
    };
    const small = minimalStatus(status, { message: 'etcdserver: request is too large', bytes: 2_000_000, now });
    expect(small.conditions?.map((c) => `${c.type} ${c.reason}`)).toEqual(['Ready RenderError', 'Stalled StatusTooLarge']);
    expect(small.conditions?.[1]?.message).toContain('2000000 bytes');
    expect(small).toMatchObject({ observedGeneration: 4, sync: status.sync, managedKinds: status.managedKinds, resources: [], resourcesTruncated: 4, history: [{ id: 2 }] });
    expect(small.operationState?.resources).toBeUndefined();
    const again = minimalStatus(status, { message: 'x', bytes: 1, now: '2026-12-02T00:00:00Z', previous: small });
    expect(again.conditions?.[1]?.lastTransitionTime).toBe(now);
  });
});
