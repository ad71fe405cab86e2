import { describe, expect, it } from '@jest/globals';
import type { Application, OperationState } from '../../api/application.js';
import { readRequests } from '../annotations.js';
import type { ReconcileContext } from '../context.js';
import { fakeWorld, type FakeWorld } from '../testing/deps.js';
import { resolveRevision } from './resolve.js';

const charts = 'https://git.example.com/org/charts.git';
const values = 'https://git.example.com/org/values.git';
const [chartsMain, valuesMain, chartsOld, valuesOld] = ['1', '2', '3', '4'].map((d) => d.repeat(40)) as [string, string, string, string];

function application(operationState?: OperationState): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application',
    metadata: { name: 'web', namespace: 'capstan', uid: 'web-uid', generation: 1 },
    spec: {
      sources: [{ repoURL: charts, path: 'web', targetRevision: 'main', helm: { valueFiles: ['$values/prod.yaml'] } }, { repoURL: values, targetRevision: 'main', ref: 'values' }],
      destination: { namespace: 'web' },
    },
    ...(operationState === undefined ? {} : { status: { operationState } }),
  };
}

function context(w: FakeWorld, app: Application): ReconcileContext {
  return { deps: w.deps, key: { namespace: 'capstan', name: 'web' }, app, requests: readRequests(app), log: w.deps.logger, signal: new AbortController().signal, force: false };
}

function world(): FakeWorld {
  const w = fakeWorld();
  w.repos.setRevision(charts, 'main', chartsMain).setRevision(values, 'main', valuesMain);
  return w;
}

const running = (revision: string): OperationState => ({ phase: 'Running', message: 'syncing', startedAt: '2026-12-01T12:00:00Z', revision, syncId: 'sync-1' });

describe('resolve step, several sources', () => {
  it("resolves each source's targetRevision in its own repository; the app's revision is theirs, comma-separated", async () => {
    const ctx = context(world(), application());
    expect(await resolveRevision.run(ctx)).toEqual({ ok: true, value: undefined });
    expect(ctx.sources?.map((s) => [s.source.repoURL, s.revision])).toEqual([[charts, chartsMain], [values, valuesMain]]);
    expect(ctx.sha).toBe(`${chartsMain},${valuesMain}`);
  });

  it('resumes a running sync at the revision of each source it started with, though the branches moved on', async () => {
    const ctx = context(world(), application(running(`${chartsOld},${valuesOld}`)));
    expect(await resolveRevision.run(ctx)).toEqual({ ok: true, value: undefined });
    expect(ctx.sources?.map((s) => s.revision)).toEqual([chartsOld, valuesOld]);
    expect(ctx.sha).toBe(`${chartsOld},${valuesOld}`);
  });

  it('refuses a revision that does not name one revision per source', async () => {
    const ctx = context(world(), application(running(chartsOld)));
    const result = await resolveRevision.run(ctx);
    expect(result).toEqual({ ok: false, error: { reason: 'InvalidSpec', message: expect.stringContaining('this app has 2 sources, so it needs one per source, comma-separated') } });
    expect(ctx.sources).toBeUndefined();
  });

  it('names the source whose repository fails', async () => {
    const w = world();
    w.repos.setFailure(values, { code: 'RevisionNotFound', message: 'revision main not found' });
    const ctx = context(w, application());
    expect(await resolveRevision.run(ctx)).toEqual({ ok: false, error: { reason: 'RevisionNotFound', message: 'spec.sources[1]: revision main not found' } });
  });
});
