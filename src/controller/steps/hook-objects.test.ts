import { describe, expect, it } from '@jest/globals';
import type { OperationHook } from '../../api/application.js';
import type { KubeObject } from '../../api/object.js';
import type { LiveState } from '../ports.js';
import { readHook } from './hook-objects.js';

const job = (uid: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pre', namespace: 'dest', uid } });

const record: OperationHook = { group: 'batch', version: 'v1', kind: 'Job', namespace: 'dest', name: 'pre', uid: 'new', phase: 'PreSync', wave: 0, status: 'Running' };

/** A live state whose watch cache holds `cached` and whose API server holds `served`; counts the API reads. */
function liveState(cached: KubeObject | undefined, served: KubeObject | undefined): { live: LiveState; reads: () => number } {
  let reads = 0;
  const live = {
    isWatched: () => true,
    cached: () => cached,
    fetch: () => {
      reads++;
      return Promise.resolve(served);
    },
  } as unknown as LiveState;
  return { live, reads: () => reads };
}

describe('readHook', () => {
  it('takes the cached hook when it is the one the sync created', async () => {
    const state = liveState(job('new'), job('new'));
    expect((await readHook({ live: state.live }, record))?.metadata.uid).toBe('new');
    expect(state.reads()).toBe(0);
  });

  it('asks the API server when the cache still holds the earlier hook of that name (a lagging watch)', async () => {
    const state = liveState(job('old'), job('new'));
    expect((await readHook({ live: state.live }, record))?.metadata.uid).toBe('new');
    expect(state.reads()).toBe(1);
  });

  it('reports a hook really replaced (the API server has another uid too) as the other object', async () => {
    const state = liveState(job('old'), job('other'));
    expect((await readHook({ live: state.live }, record))?.metadata.uid).toBe('other');
  });

  it('asks the API server when the cache has no object of that name yet', async () => {
    const state = liveState(undefined, job('new'));
    expect((await readHook({ live: state.live }, record))?.metadata.uid).toBe('new');
    expect(state.reads()).toBe(1);
  });
});
