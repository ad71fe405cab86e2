import { describe, expect, it } from '@jest/globals';
import type { Application, ApplicationStatus } from '../../api/application.js';
import { fakeWorld } from '../testing/deps.js';
import { jsonBytes } from './limits.js';
import { writeStatusIfChanged } from './write.js';

const now = '2026-12-01T12:00:00.000Z';
const key = { namespace: 'capstan', name: 'a' };
const app: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan', generation: 2 },
  spec: { source: { repoURL: 'https://git.example/r.git' }, destination: { namespace: 'd' } },
  status: { sync: { status: 'Synced', revision: 'a'.repeat(40) }, conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: 'synced to aaaaaaa', lastTransitionTime: now }] },
};
const failing = (resources: number): ApplicationStatus => ({
  observedGeneration: 2,
  sync: { status: 'Unknown', revision: 'a'.repeat(40) },
  conditions: [{ type: 'Ready', status: 'False', reason: 'RenderError', message: 'bad.yaml: not an object', lastTransitionTime: now }],
  resources: Array.from({ length: resources }, (_, i) => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'd', name: `cm-${i}`, status: 'Synced' as const })),
  managedKinds: [{ group: '', version: 'v1', kind: 'ConfigMap' }],
});

describe('writeStatusIfChanged', () => {
  it('writes a bounded status: a message of any size is cut before it is written', async () => {
    const world = fakeWorld();
    world.apps.put(app);
    world.apps.maxStatusBytes = 256 * 1024;
    const status = failing(1);
    status.conditions = [{ type: 'Ready', status: 'False', reason: 'RenderError', message: 'x'.repeat(10 * 1024 * 1024), lastTransitionTime: now }];
    await writeStatusIfChanged(world.deps, world.apps.mustGet(key), status, { now });
    const stored = world.apps.mustGet(key).status;
    expect(jsonBytes(stored)).toBeLessThan(4 * 1024);
    expect(stored?.conditions?.[0]?.reason).toBe('RenderError');
  });

  it('when the API server still refuses the status by its size, writes a small one with the current result instead of keeping the old one', async () => {
    const world = fakeWorld();
    world.apps.put(app);
    world.apps.maxStatusBytes = 4 * 1024;
    await writeStatusIfChanged(world.deps, world.apps.mustGet(key), failing(500), { now });
    const stored = world.apps.mustGet(key).status;
    expect(stored?.conditions?.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual(['Ready=False RenderError', 'Stalled=True StatusTooLarge']);
    expect(stored).toMatchObject({ resources: [], resourcesTruncated: 500, managedKinds: [{ kind: 'ConfigMap' }], observedGeneration: 2 });
    expect(world.apps.statusWrites).toBe(2);

    // The same refused status again: one refused attempt, and the small status is not written again.
    await writeStatusIfChanged(world.deps, world.apps.mustGet(key), failing(500), { now: '2026-12-01T12:05:00.000Z' });
    expect(world.apps.statusWrites).toBe(3);
    expect(world.apps.mustGet(key).status?.reconciledAt).toBe(now);
  });

  it('an error that is not about size is thrown (the work queue retries it)', async () => {
    const world = fakeWorld();
    world.apps.put(app);
    world.apps.writeStatus = () => Promise.reject(new Error('connection reset'));
    await expect(writeStatusIfChanged(world.deps, world.apps.mustGet(key), failing(1), { now })).rejects.toThrow('connection reset');
  });
});
