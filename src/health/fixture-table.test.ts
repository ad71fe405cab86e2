import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { assessHealth } from './registry.js';
import { healthFixtureExpectations, healthFixturesDir, loadHealthFixture } from './testing/fixtures.js';

describe('assessHealth on fixtures', () => {
  // Rows as objects: jest would take a missing third array element for its `done` callback.
  const rows = healthFixtureExpectations.map(([file, status, mentions]) => ({ file, status, mentions: mentions ?? null }));
  it.each(rows)('$file is $status', ({ file, status, mentions }) => {
    const health = assessHealth(loadHealthFixture(file));
    expect(health?.status ?? null).toBe(status);
    if (mentions !== null) expect(health?.message).toContain(mentions);
  });

  it('gives a message with every status that is not Healthy', () => {
    for (const [file] of healthFixtureExpectations) {
      const health = assessHealth(loadHealthFixture(file));
      if (health !== null && health.status !== 'Healthy') expect({ file, message: health.message ?? '' }).not.toEqual({ file, message: '' });
    }
  });

  it('has an expectation for every fixture file', () => {
    const files = readdirSync(healthFixturesDir).filter((f) => f.endsWith('.yaml')).sort();
    expect(healthFixtureExpectations.map(([file]) => file).sort()).toEqual(files);
  });

  it('reaches each of Healthy, Progressing, Degraded and Suspended through the fixtures', () => {
    const reached = new Set(healthFixtureExpectations.map(([, status]) => status));
    for (const status of ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Unknown'] as const) expect(reached).toContain(status);
  });
});
