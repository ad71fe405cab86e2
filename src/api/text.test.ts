import { describe, expect, it } from '@jest/globals';
import { boundList, boundText } from './text.js';

describe('boundText', () => {
  it('keeps a short text as it is', () => {
    expect(boundText('hello', 5)).toBe('hello');
    expect(boundText('', 0)).toBe('');
  });

  it('cuts a long text to at most max code units and says how much was left out', () => {
    const text = 'A'.repeat(35 * 1024 * 1024);
    const out = boundText(text, 1024);
    expect(out.length).toBeLessThanOrEqual(1024);
    expect(out.startsWith('AAAA')).toBe(true);
    const omitted = Number(/… \((\d+) more characters\)$/.exec(out)?.[1]);
    expect(omitted + out.indexOf('…')).toBe(text.length);
  });

  it('keeps the end too when asked', () => {
    const text = `field spec.selector: ${'x'.repeat(10_000)} field is immutable`;
    const out = boundText(text, 300, { keepEnd: 100 });
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.startsWith('field spec.selector')).toBe(true);
    expect(out.endsWith('field is immutable')).toBe(true);
    expect(out).toMatch(/… \(\d+ more characters\)/);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(1000);
    for (const max of [100, 101, 102, 103]) {
      const out = boundText(text, max, { keepEnd: 21 });
      expect(out.length).toBeLessThanOrEqual(max);
      expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });

  it('with less room than its marker, keeps just a beginning', () => {
    expect(boundText('abcdefghij', 4)).toBe('abcd');
  });
});

describe('boundList', () => {
  it('names the first items and counts the rest', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => `ConfigMap/cm-${i}-${'x'.repeat(200)}`);
    const out = boundList(items, { maxItems: 3, maxItemChars: 40 });
    expect(out.split(', ')).toHaveLength(3);
    expect(out.endsWith('… and 9997 more')).toBe(true);
    expect(out.length).toBeLessThan(3 * 42 + 20);
  });

  it('joins a short list as it is', () => {
    expect(boundList(['a', 'b'])).toBe('a, b');
    expect(boundList(['a', 'b'], { maxItems: 0 })).toBe('2 items');
  });
});
