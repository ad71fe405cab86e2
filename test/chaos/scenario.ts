/** A scenario of the campaign and the loop that runs its trials. */
import type { ChaosEnv, TrialContext } from './env.js';
import type { Violation } from './invariants.js';
import type { ScenarioResult } from './report.js';

export interface PreparedScenario {
  readonly env: ChaosEnv;
  /** Injects the trial's faults (and ends them); returns how many it injected. */
  fault(ctx: TrialContext): Promise<number>;
  /** Undoes what prepare made besides the env (a private control plane, a mount). */
  tearDown?(): Promise<void>;
}

export interface Scenario {
  readonly name: string;
  readonly summary: string;
  /** Trials of a full campaign run. */
  readonly trials: number;
  /** Trials of the smoke version in npm test. */
  readonly smokeTrials: number;
  prepare(options: { readonly smoke: boolean }): Promise<PreparedScenario>;
}

export interface ScenarioRun extends ScenarioResult {
  readonly findings: readonly { readonly trial: number; readonly violation: Violation }[];
}

/** Runs `trials` trials of the scenario in one environment; every violation is reported, none throws. */
export async function runScenario(scenario: Scenario, options: { readonly smoke: boolean; readonly trials?: number; readonly log?: (line: string) => void }): Promise<ScenarioRun> {
  const trials = options.trials ?? (options.smoke ? scenario.smokeTrials : scenario.trials);
  const log = options.log ?? ((): void => undefined);
  const prepared = await scenario.prepare({ smoke: options.smoke });
  const findings: { trial: number; violation: Violation }[] = [];
  const convergeMs: number[] = [];
  let faults = 0;
  try {
    await prepared.env.setUp();
    for (let trial = 1; trial <= trials; trial++) {
      const result = await prepared.env.trial((ctx) => prepared.fault(ctx));
      faults += result.faults;
      if (result.convergeMs !== undefined) convergeMs.push(result.convergeMs);
      for (const violation of result.violations) findings.push({ trial, violation });
      const { seen } = result;
      log(`${scenario.name} trial ${trial}/${trials}: ${result.faults} faults, converged ${result.convergeMs === undefined ? 'never' : `in ${(result.convergeMs / 1000).toFixed(1)} s`}, ${result.violations.length} violations (seen: ${seen.syncs} syncs, ${seen.hooks} hooks, ${seen.deletions} deletions, ${seen.writes} writes)`);
      for (const v of result.violations) log(`  ${v.invariant}: ${v.detail}`);
      for (const note of prepared.env.notes.splice(0)) log(`  note: ${note}`);
    }
  } finally {
    await prepared.env.tearDown().catch((err: unknown) => {
      log(`${scenario.name}: tear-down failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    await prepared.tearDown?.();
  }
  return { scenario: scenario.name, trials, faults, violations: findings.length, convergeMs, findings };
}

/** A delay in [0, maxMs): where in a sync the fault strikes. */
export function randomDelay(maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, Math.floor(Math.random() * maxMs));
  });
}
