import { describe, it, expect } from '@jest/globals';
import { KeyedBackoff, parseDuration } from './backoff.js';

const noJitter = (): number => 0.5;

describe('KeyedBackoff', () => {
  it('doubles the delay per consecutive failure of a key and caps it at maxMs', () => {
    const backoff = new KeyedBackoff({ baseMs: 100, maxMs: 1000, jitter: 0 });
    const delays = Array.from({ length: 7 }, () => backoff.next('ns/a'));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(backoff.failures('ns/a')).toBe(7);
  });

  it('honours a custom factor', () => {
    const backoff = new KeyedBackoff({ baseMs: 10, maxMs: 10_000, factor: 3 }, noJitter);
    expect([backoff.next('k'), backoff.next('k'), backoff.next('k')]).toEqual([10, 30, 90]);
  });

  it('keeps keys independent and starts over after reset', () => {
    const backoff = new KeyedBackoff({ baseMs: 100, maxMs: 1000 }, noJitter);
    backoff.next('a');
    backoff.next('a');
    expect(backoff.next('b')).toBe(100);
    expect(backoff.failures('a')).toBe(2);

    backoff.reset('a');
    expect(backoff.failures('a')).toBe(0);
    expect(backoff.next('a')).toBe(100);
    expect(backoff.failures('b')).toBe(1);
  });

  it('spreads delays by ±jitter and never exceeds maxMs', () => {
    const low = new KeyedBackoff({ baseMs: 1000, maxMs: 60_000, jitter: 0.2 }, () => 0);
    const high = new KeyedBackoff({ baseMs: 1000, maxMs: 60_000, jitter: 0.2 }, () => 0.999_999);
    expect(low.next('k')).toBe(800);
    expect(high.next('k')).toBe(1200);

    const capped = new KeyedBackoff({ baseMs: 1000, maxMs: 1500, jitter: 0.5 }, () => 0.999_999);
    expect([capped.next('k'), capped.next('k'), capped.next('k')]).toEqual([1500, 1500, 1500]);
  });

  it('uses a default jitter of ±10 %', () => {
    const low = new KeyedBackoff({ baseMs: 1000, maxMs: 60_000 }, () => 0);
    expect(low.next('k')).toBe(900);
  });

  it('stays at maxMs through very long failure streaks', () => {
    const backoff = new KeyedBackoff({ baseMs: 1000, maxMs: 300_000, jitter: 0 });
    let last = 0;
    for (let i = 0; i < 2000; i++) last = backoff.next('k');
    expect(last).toBe(300_000);
  });

  it('rejects unusable options', () => {
    expect(() => new KeyedBackoff({ baseMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => new KeyedBackoff({ baseMs: 100, maxMs: 10 })).toThrow(RangeError);
    expect(() => new KeyedBackoff({ baseMs: 10, maxMs: 100, factor: 0.5 })).toThrow(RangeError);
    expect(() => new KeyedBackoff({ baseMs: 10, maxMs: 100, jitter: 1.5 })).toThrow(RangeError);
    expect(() => new KeyedBackoff({ baseMs: Number.NaN, maxMs: 100 })).toThrow(RangeError);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['90s', 90_000],
    ['3m', 180_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2h45m30s', 9_930_000],
    ['1m500ms', 60_500],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['0', 0],
    ['0s', 0],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '1x', '-1s', '+1s', ' 5s', '5s ', '5 s', 's', '1h30', 'ms', '.s', '1..5s', '1e3s', 'Infinityh', '5S'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it('is not confused by an earlier failed parse', () => {
    expect(parseDuration('1h1x')).toBeUndefined();
    expect(parseDuration('2m')).toBe(120_000);
  });
});
