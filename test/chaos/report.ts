/** The campaign's figures: per scenario, a row of the table docs/reliability.md collects. Pure. */

export interface ScenarioResult {
  readonly scenario: string;
  readonly trials: number;
  readonly faults: number;
  readonly violations: number;
  /** Time from the end of each fault to all apps converged, in ms, one per trial. */
  readonly convergeMs: readonly number[];
}

/** The nearest-rank percentile (p in 0..100) of the values; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

function seconds(ms: number): string {
  return Number.isNaN(ms) ? '–' : `${(ms / 1000).toFixed(1)} s`;
}

const header = ['date', 'commit', 'scenario', 'trials', 'faults injected', 'invariant violations', 'converge p50', 'p95', 'max'];

/** The campaign's table in Markdown, one row per scenario, and below it one `N violations` line per scenario. */
export function renderTable(results: readonly ScenarioResult[], meta: { readonly date: string; readonly commit: string }): string {
  const rows = results.map((r) => [
    meta.date, meta.commit, r.scenario, String(r.trials), String(r.faults), String(r.violations),
    seconds(percentile(r.convergeMs, 50)), seconds(percentile(r.convergeMs, 95)), seconds(r.convergeMs.length === 0 ? Number.NaN : Math.max(...r.convergeMs)),
  ]);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    ...results.map((r) => `${r.scenario}: ${r.violations} violations`),
  ].join('\n');
}
