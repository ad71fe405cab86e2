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
