// Issue 17, smoke version of partition (npm run chaos runs it in full): the leader, in a network
// namespace of its own, is cut off from the API server while a standby takes the lease.
import { describe, it } from '@jest/globals';
import { partition } from '../../chaos/scenarios/partition.js';
import { expectScenarioHolds } from './smoke.js';

describe('chaos smoke: partition', () => {
  it('keeps every invariant when the leader is partitioned from the API server', async () => {
    await expectScenarioHolds(partition);
  }, 600_000);
});
