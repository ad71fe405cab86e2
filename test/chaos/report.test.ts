import { describe, expect, it } from '@jest/globals';
import { percentile, renderTable } from './report.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('renderTable', () => {
  it('has one row per scenario and ends each scenario with its violation count', () => {
    const table = renderTable([
      { scenario: 'kill-leader', trials: 3, faults: 3, violations: 0, convergeMs: [1000, 2000, 4000] },
      { scenario: 'git-down', trials: 1, faults: 2, violations: 2, convergeMs: [] },
    ], { date: '2026-12-03', commit: 'abc1234' });
    const lines = table.split('\n');
    expect(lines[0]).toBe('| date | commit | scenario | trials | faults injected | invariant violations | converge p50 | p95 | max |');
    expect(lines[2]).toBe('| 2026-12-03 | abc1234 | kill-leader | 3 | 3 | 0 | 2.0 s | 4.0 s | 4.0 s |');
    expect(lines[3]).toBe('| 2026-12-03 | abc1234 | git-down | 1 | 2 | 2 | – | – | – |');
    expect(lines.slice(-2)).toEqual(['kill-leader: 0 violations', 'git-down: 2 violations']);
  });
});
