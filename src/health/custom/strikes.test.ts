import { afterAll, describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../api/object.js';
import { CustomHealthChecks } from './checks.js';
import { parseHealthConfig } from './config-map.js';

const clock = { now: Date.parse('2026-12-02T12:00:00Z') };
const loop = 'resource.customizations.health.example.com_Widget';
const { customizations } = parseHealthConfig({ [loop]: 'while true do end', 'resource.customizations.health.example.com_Gadget': 'return { status = "Healthy" }' });
const checks = new CustomHealthChecks(customizations, { strikes: 2, pauseMs: 60_000, now: () => clock.now });
afterAll(async () => {
  await checks.close();
});

const object = (kind: string, name: string): KubeObject => ({ apiVersion: 'example.com/v1', kind, metadata: { name } });

describe('a script that keeps running into its limits', () => {
  it('is paused after repeated stops, its objects Unknown without running it, and runs again once the pause ends', async () => {
    for (const name of ['a', 'b']) {
      const health = await checks.assess(object('Widget', name));
      expect(health?.status).toBe('Unknown');
      expect(health?.message).toMatch(/ran past its time limit|did not finish within/);
    }
    const paused = await checks.assess(object('Widget', 'c'));
    expect(paused).toEqual({ status: 'Unknown', message: `health check (capstan-config key ${loop}) paused until 2026-12-02T12:01:00.000Z: it was stopped by its time or memory limit 2 times in a row` });
    // Other scripts are not held up.
    await expect(checks.assess(object('Gadget', 'g'))).resolves.toEqual({ status: 'Healthy' });

    clock.now += 60_001;
    expect((await checks.assess(object('Widget', 'd')))?.message).toMatch(/ran past its time limit|did not finish within/);
  });

  it('is run again at once when the scripts change', async () => {
    await checks.assess(object('Widget', 'e'));
    expect((await checks.assess(object('Widget', 'f')))?.message).toContain('paused until');
    checks.use(parseHealthConfig({ [loop]: 'return { status = "Degraded", message = "fixed script" }' }).customizations);
    await expect(checks.assess(object('Widget', 'g'))).resolves.toEqual({ status: 'Degraded', message: 'fixed script' });
  });
});
