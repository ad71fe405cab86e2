import { describe, expect, it } from '@jest/globals';
import { selfHealBackoffOf } from './self-heal-flags.js';

const defaults = { selfHealBackoffDuration: '2s', selfHealBackoffFactor: '2', selfHealBackoffMax: '5m' };

describe('selfHealBackoffOf', () => {
  it("reads the defaults as Argo CD's backoff: 2 s, doubling, at most 5 minutes", () => {
    expect(selfHealBackoffOf(defaults)).toEqual({ durationMs: 2_000, factor: 2, maxMs: 300_000 });
    expect(selfHealBackoffOf({ selfHealBackoffDuration: '500ms', selfHealBackoffFactor: '1.5', selfHealBackoffMax: '1h' })).toEqual({ durationMs: 500, factor: 1.5, maxMs: 3_600_000 });
    expect(selfHealBackoffOf({ ...defaults, selfHealBackoffFactor: '1', selfHealBackoffMax: '2s' })).toEqual({ durationMs: 2_000, factor: 1, maxMs: 2_000 });
  });

  it.each([
    [{ selfHealBackoffDuration: '2' }, '--self-heal-backoff-duration "2" is not a duration such as 2s or 5m'],
    [{ selfHealBackoffDuration: '0s' }, '--self-heal-backoff-duration "0s" is not a duration such as 2s or 5m'],
    [{ selfHealBackoffMax: 'forever' }, '--self-heal-backoff-max "forever" is not a duration such as 2s or 5m'],
    [{ selfHealBackoffFactor: '0.5' }, '--self-heal-backoff-factor "0.5" must be a number of at least 1 (1 keeps the delay, 2 doubles it)'],
    [{ selfHealBackoffFactor: 'two' }, '--self-heal-backoff-factor "two" must be a number of at least 1'],
    [{ selfHealBackoffFactor: '' }, '--self-heal-backoff-factor "" must be a number of at least 1'],
    [{ selfHealBackoffFactor: 'Infinity' }, '--self-heal-backoff-factor "Infinity" must be a number of at least 1'],
    [{ selfHealBackoffDuration: '10m' }, '--self-heal-backoff-max "5m" is below --self-heal-backoff-duration "10m"'],
  ])('refuses %j, naming the flag', (flags, message) => {
    expect(() => selfHealBackoffOf({ ...defaults, ...flags })).toThrow(message);
  });
});
