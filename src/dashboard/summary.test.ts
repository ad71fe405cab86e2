import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { redactManifest, summarize } from './summary.js';

describe('summarize', () => {
  it('shows sync, health, revision, cluster and the last finished sync, with credentials removed from the repository URL', () => {
    const app: Application = {
      apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'team' },
      spec: { project: 'payments', source: { repoURL: 'https://bob:secret@git.example/r.git', path: 'web', targetRevision: 'main' }, destination: { name: 'stage', namespace: 'web' } },
      status: {
        sync: { status: 'OutOfSync', revision: 'abc1234def' }, health: { status: 'Degraded' },
        operationState: { phase: 'Succeeded', message: '', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z' },
      },
    };
    const s = summarize(app);
    expect(s).toMatchObject({ namespace: 'team', name: 'web', project: 'payments', sync: 'OutOfSync', health: 'Degraded', revision: 'abc1234def', cluster: 'stage', destinationNamespace: 'web', lastSyncedAt: '2026-01-01T00:01:00Z', operationPhase: 'Succeeded' });
    expect(s.repoURL).not.toContain('secret');
  });

  it('says Unknown before the controller wrote a status', () => {
    const s = summarize({ apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'n' }, spec: { source: { repoURL: 'r' }, destination: {} } });
    expect([s.sync, s.health, s.project, s.cluster]).toEqual(['Unknown', 'Unknown', 'default', 'in-cluster']);
  });
});

describe('redactManifest', () => {
  it("hides a Secret's values, also in kubectl's last-applied copy, and drops managedFields", () => {
    const shown = redactManifest({
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 's', managedFields: [{ manager: 'x' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"c2VjcmV0"}}', keep: 'me' } },
      data: { p: 'c2VjcmV0' }, stringData: { q: 'plain' },
    });
    expect(JSON.stringify(shown)).not.toMatch(/c2VjcmV0|plain|managedFields/);
    expect(shown['data']).toEqual({ p: '++++++++' });
    expect((shown['metadata'] as { annotations: Record<string, string> }).annotations['keep']).toBe('me');
  });

  it('leaves other objects as they are', () => {
    expect(redactManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } })['data']).toEqual({ k: 'v' });
  });
});
