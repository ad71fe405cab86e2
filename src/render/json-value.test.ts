import { describe, expect, it } from '@jest/globals';
import { copyAsJson } from './json-value.js';

const big = { maxBytes: 1024 * 1024 };

describe('copyAsJson', () => {
  it('deep-copies JSON values', () => {
    const original = { a: [1, 'two', true, null, { b: 0.5 }] };
    const copy = copyAsJson(original, big);
    expect(copy).toMatchObject({ ok: true, value: original });
    if (copy.ok) expect(copy.value).not.toBe(original);
  });

  it.each([
    [{ when: new Date(0) }, 'when: a Date is not a JSON value'],
    [{ data: Buffer.from('hi') }, 'data: a Buffer is not a JSON value'],
    [{ list: [1, Infinity] }, 'list[1]: Infinity is not a JSON number'],
    [{ fn: () => 1 }, 'fn: a function is not a JSON value'],
    [{ a: { b: undefined } }, 'a.b: undefined is not a JSON value'],
  ])('refuses %p', (value, message) => {
    expect(copyAsJson(value, big)).toEqual({ ok: false, failure: 'NotJson', message });
  });

  it('refuses nesting past maxDepth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5; i++) deep = [deep];
    expect(copyAsJson(deep, { ...big, maxDepth: 5 }).ok).toBe(true);
    expect(copyAsJson([deep], { ...big, maxDepth: 5 })).toMatchObject({ ok: false, failure: 'NotJson' });
  });

  it('stops once the copy passes maxBytes', () => {
    const shared = ['x'.repeat(100)];
    const wide = Array.from({ length: 100 }, () => shared);
    expect(copyAsJson(wide, { maxBytes: 20_000 }).ok).toBe(true);
    expect(copyAsJson(wide, { maxBytes: 5_000 })).toMatchObject({ ok: false, failure: 'TooLarge' });
  });
});

describe('copyAsJson: what a copy costs', () => {
  it('charges 64 bytes a collection, 16 plus the length a scalar, 32 plus the length a key', () => {
    // {} 64, the key "ab" 32+2, the list 64, "xyz" 16+3, 7 16+8, true 16, null 16
    expect(copyAsJson({ ab: ['xyz', 7, true, null] }, big)).toMatchObject({ ok: true, bytes: 64 + 34 + 64 + 19 + 24 + 16 + 16 });
  });

  it('charges every use of a shared value, as the copy makes one of each', () => {
    const shared = { a: 'x' };
    const once = copyAsJson([shared], big);
    const twice = copyAsJson([shared, shared], big);
    if (!once.ok || !twice.ok) throw new Error('expected copies');
    expect(twice.bytes - once.bytes).toBe(64 + 33 + 17);
    if (twice.value === null || !Array.isArray(twice.value)) throw new Error('expected a list');
    expect(twice.value[0]).not.toBe(twice.value[1]);
  });
});

describe('copyAsJson: aliases bounded as go-yaml bounds them', () => {
  /** A value whose every level holds `fan` uses of the level below: fan^levels leaves from a few dozen nodes. */
  function aliased(levels: number, fan: number): unknown {
    let level: unknown = {};
    for (let i = 0; i < levels; i++) level = Array.from({ length: fan }, () => level);
    return level;
  }

  it('refuses a value made almost entirely of uses of shared values, long before it is expanded', () => {
    const result = copyAsJson(aliased(10, 10), { maxBytes: 10 ** 12 });
    expect(result).toMatchObject({ ok: false, failure: 'Aliases' });
    if (!result.ok) expect(result.message).toMatch(/^uses aliases excessively: \d+ of the first \d+ values read come from aliases$/);
  });

  it('accepts shared values that make up less than 99% of a small value', () => {
    const shared = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, `v${i}`]));
    const own = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`own${i}`, i]));
    // 125 values of its own and 1001 for each use of `shared`, of which 1000 aliased after the
    // first: 80 uses are 79000 aliased of 80205 values (98.5%), 400 uses 399000 of 400525 (99.6%).
    expect(copyAsJson({ own, uses: Array.from({ length: 80 }, () => shared) }, { maxBytes: 10 ** 9 }).ok).toBe(true);
    expect(copyAsJson({ own, uses: Array.from({ length: 400 }, () => shared) }, { maxBytes: 10 ** 9 })).toMatchObject({ ok: false, failure: 'Aliases' });
  });

  it('allows less aliasing as a value grows', async () => {
    const { allowedAliasRatio } = await import('./aliases.js');
    expect(allowedAliasRatio(1000)).toBe(0.99);
    expect(allowedAliasRatio(400_000)).toBe(0.99);
    expect(allowedAliasRatio(2_200_000)).toBeCloseTo(0.545, 3);
    expect(allowedAliasRatio(4_000_000)).toBe(0.1);
    expect(allowedAliasRatio(40_000_000)).toBe(0.1);
  });
});
