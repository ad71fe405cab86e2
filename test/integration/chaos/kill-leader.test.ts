// Issue 17, smoke version of the kill-leader scenario (npm run chaos runs it in full): the leading
// controller killed with SIGKILL in the middle of a sync; every invariant holds after each trial.
import { describe, it } from '@jest/globals';
import { killLeader } from '../../chaos/scenarios/kill-leader.js';
import { expectScenarioHolds } from './smoke.js';

describe('chaos smoke: kill-leader', () => {
  it('keeps every invariant when the leader is killed mid-sync', async () => {
    await expectScenarioHolds(killLeader);
  }, 600_000);
});
