// Issue 17, smoke version of cluster-down (npm run chaos runs it in full): a second cluster (a
// control plane of this file's own) stops answering while apps of both have a commit to sync.
import { afterAll, describe, it } from '@jest/globals';
import { down } from '../../cluster/launcher.js';
import { remotePlaneDir } from '../../chaos/private-plane.js';
import { clusterDown } from '../../chaos/scenarios/cluster-down.js';
import { expectScenarioHolds } from './smoke.js';

afterAll(async () => {
  await down(remotePlaneDir);
}, 120_000);

describe('chaos smoke: cluster-down', () => {
  it('keeps the first cluster syncing while the second is down, and every invariant', async () => {
    await expectScenarioHolds(clusterDown);
  }, 600_000);
});
