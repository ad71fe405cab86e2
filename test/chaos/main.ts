// Entry point of `npm run chaos [-- --scenario NAME --trials N]`: runs the fault campaign on the
// local control plane(s), prints the table and appends it to docs/reliability.md.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { repoRoot } from '../cluster/paths.js';
import { stopPrivatePlanes } from './private-plane.js';
import { renderTable } from './report.js';
import { runScenario, type ScenarioRun } from './scenario.js';
import { scenarios } from './scenarios/index.js';

const reliabilityDoc = join(repoRoot, 'docs', 'reliability.md');

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

const program = new Command('chaos')
  .description('the fault campaign: each scenario injects its fault in every trial and checks the invariants after it')
  .option('--scenario <name...>', `scenarios to run (default: all): ${scenarios.map((s) => s.name).join(', ')}`)
  .option('--trials <n>', "trials per scenario (default: each scenario's own)", positive)
  .option('--smoke', 'the short version npm test runs (few trials, small workload); nothing is appended to docs/reliability.md', false)
  .parse();

const opts = program.opts<{ scenario?: string[]; trials?: number; smoke: boolean }>();

async function main(): Promise<number> {
  const unknown = (opts.scenario ?? []).filter((name) => !scenarios.some((s) => s.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario: ${unknown.join(', ')}\n`);
    return 2;
  }
  const chosen = opts.scenario === undefined ? scenarios : scenarios.filter((s) => opts.scenario?.includes(s.name));
  const runs: ScenarioRun[] = [];
  try {
    for (const scenario of chosen) {
      process.stdout.write(`== ${scenario.name}: ${scenario.summary}\n`);
      runs.push(await runScenario(scenario, {
        smoke: opts.smoke, ...(opts.trials !== undefined ? { trials: opts.trials } : {}),
        log: (line) => process.stdout.write(`${line}\n`),
      }));
    }
  } finally {
    await stopPrivatePlanes();
  }
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const table = renderTable(runs, { date: new Date().toISOString().slice(0, 10), commit });
  process.stdout.write(`\n${table}\n`);
  if (!opts.smoke) {
    if (!existsSync(reliabilityDoc)) writeFileSync(reliabilityDoc, '# Reliability\n');
    appendFileSync(reliabilityDoc, `\n## Campaign of ${new Date().toISOString()}\n\n${table}\n`);
  }
  return runs.some((r) => r.violations > 0) ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (err: unknown) => {
  process.stderr.write(`chaos: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
