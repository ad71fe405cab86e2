/** The smoke version of a campaign scenario, as npm test runs it: its few trials, every invariant kept. */
import { expect } from '@jest/globals';
import { runScenario, type Scenario } from '../../chaos/scenario.js';

export async function expectScenarioHolds(scenario: Scenario): Promise<void> {
  const run = await runScenario(scenario, { smoke: true });
  expect(run.findings.map((f) => `trial ${f.trial}: ${f.violation.invariant}: ${f.violation.detail}`)).toEqual([]);
  // Every trial injected its fault and converged after it.
  expect(run.faults).toBeGreaterThanOrEqual(scenario.smokeTrials);
  expect(run.convergeMs).toHaveLength(scenario.smokeTrials);
}
