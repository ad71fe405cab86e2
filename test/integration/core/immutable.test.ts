// Review M5: a change of a field that cannot change (a Job's pod template) is refused with a
// clear InvalidObject naming the way out, unless the object allows Replace=true or Force=true: then the sync
// deletes the object and creates it again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchV1Api } from '@kubernetes/client-node';
import { readyCondition } from '../support/capstan.js';
import { Scenario } from '../support/scenario.js';

const s = new Scenario('immutable', { intervalMs: 600_000 });
let batch: BatchV1Api;

beforeAll(async () => {
  await s.setUp();
  batch = s.kc.makeApiClient(BatchV1Api);
});
afterAll(async () => {
  await s.tearDown();
});

function job(image: string, syncOptions?: string): string {
  const annotations = syncOptions === undefined ? '' : `\n  annotations:\n    argocd.argoproj.io/sync-options: ${syncOptions}`;
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate${annotations}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: ${image}
`;
}

async function jobUid(namespace: string): Promise<string | undefined> {
  return (await batch.readNamespacedJob({ name: 'migrate', namespace })).metadata?.uid;
}

describe('immutable fields', () => {
  it('re-creates a Job whose template changed when it says Replace=true (as kubectl replace --force)', async () => {
    const dest = s.destination('forced');
    s.repo.write('forced/job.yaml', job('busybox:1.36', 'Replace=true'));
    s.repo.commit('a job');
    await s.apps.create('forced', { repoURL: s.repo.url, path: 'forced', destinationNamespace: dest, interval: '2s' });
    await s.apps.waitFor('forced', 'Synced', (a) => a.status?.sync?.status === 'Synced', 90_000);
    const first = await jobUid(dest);

    s.repo.write('forced/job.yaml', job('busybox:1.37', 'Replace=true'));
    const sha = s.repo.commit('a new image for the job');
    const app = await s.apps.waitFor('forced', 'Synced at the new commit', (a) => a.status?.sync?.revision === sha && a.status.sync.status === 'Synced', 90_000);
    expect(app.status?.operationState?.phase).toBe('Succeeded');
    const second = await jobUid(dest);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const live = await batch.readNamespacedJob({ name: 'migrate', namespace: dest });
    expect(live.spec?.template.spec?.containers[0]?.image).toBe('busybox:1.37');
  });

  it('refuses the same change without Force, naming the way out, and leaves the Job alone', async () => {
    const dest = s.destination('plain');
    s.repo.write('plain/job.yaml', job('busybox:1.36'));
    s.repo.commit('a plain job');
    await s.apps.create('plain', { repoURL: s.repo.url, path: 'plain', destinationNamespace: dest, interval: '2s' });
    await s.apps.waitFor('plain', 'Synced', (a) => a.status?.sync?.status === 'Synced', 90_000);
    const first = await jobUid(dest);

    s.repo.write('plain/job.yaml', job('busybox:1.37'));
    s.repo.commit('a new image, without Force');
    const app = await s.apps.waitFor('plain', 'InvalidObject', (a) => readyCondition(a)?.reason === 'InvalidObject', 60_000);
    expect(readyCondition(app)?.message).toMatch(/immutable/);
    expect(readyCondition(app)?.message).toContain('Replace=true or Force=true');
    expect(await jobUid(dest)).toBe(first);
  });
});
