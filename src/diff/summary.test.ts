import { describe, expect, it } from '@jest/globals';
import type { FieldChange } from './compare.js';
import { redactedValue } from './compare.js';
import { describeChanges, displayPath } from './summary.js';

const change = (path: string, live: unknown, desired: unknown): FieldChange => ({ path, live, desired });

describe('describeChanges', () => {
  it.each<[string, FieldChange, string]>([
    ['a number', change('/spec/replicas', 3, 5), 'spec.replicas: 3 → 5'],
    ['a string', change('/spec/template/spec/containers/0/image', 'nginx:1.25', 'nginx:1.26'), 'spec.template.spec.containers[0].image: "nginx:1.25" → "nginx:1.26"'],
    ['an added field', change('/spec/paused', undefined, true), 'spec.paused: (absent) → true'],
    ['a removed field', change('/spec/paused', false, undefined), 'spec.paused: false → (absent)'],
    ['null', change('/spec/x', null, 1), 'spec.x: null → 1'],
    ['an array', change('/spec/args', ['a'], ['a', 'b']), 'spec.args: ["a"] → ["a","b"]'],
    ['a key with a slash', change('/metadata/annotations/capstan.dev~1sync-wave', '1', '2'), 'metadata.annotations["capstan.dev/sync-wave"]: "1" → "2"'],
    ['a redacted value', change('/data/password', redactedValue, redactedValue), 'data.password: <redacted> → <redacted>'],
  ])('describes %s', (_case, c, expected) => {
    expect(describeChanges([c])).toBe(expected);
  });

  it('cuts long values', () => {
    const line = describeChanges([change('/data/big', 'x'.repeat(200), 'y')]);
    expect(line).toBe(`data.big: "${'x'.repeat(78)}… → "y"`);
  });

  it('writes one line per change', () => {
    expect(describeChanges([change('/spec/replicas', 3, 5), change('/spec/paused', undefined, true)])).toBe(
      'spec.replicas: 3 → 5\nspec.paused: (absent) → true',
    );
  });

  it.each([
    [5, 9, 6, '… and 4 more'],
    [3, 3, 3, 'spec.f2: 2 → 3'],
    [3, 4, 4, '… and 1 more'],
    [0, 2, 1, '… and 2 more'],
  ])('with max %d and %d changes writes %d lines ending in %s', (max, count, lines, last) => {
    const changes = Array.from({ length: count }, (_, i) => change(`/spec/f${String(i)}`, i, i + 1));
    const text = describeChanges(changes, max);
    expect(text.split('\n')).toHaveLength(lines);
    expect(text.split('\n').at(-1)).toBe(last);
  });

  it('lists five changes by default', () => {
    const changes = Array.from({ length: 7 }, (_, i) => change(`/spec/f${String(i)}`, i, i + 1));
    expect(describeChanges(changes).split('\n')).toEqual([
      'spec.f0: 0 → 1',
      'spec.f1: 1 → 2',
      'spec.f2: 2 → 3',
      'spec.f3: 3 → 4',
      'spec.f4: 4 → 5',
      '… and 2 more',
    ]);
  });

  it('is empty for no changes', () => {
    expect(describeChanges([])).toBe('');
  });
});

describe('displayPath', () => {
  it.each([
    ['/spec/replicas', 'spec.replicas'],
    ['/spec/containers/10/ports/0', 'spec.containers[10].ports[0]'],
    ['/data/app.properties', 'data["app.properties"]'],
    ['/data/a~0b', 'data["a~b"]'],
    ['', '(object)'],
  ])('%s → %s', (pointer, expected) => {
    expect(displayPath(pointer)).toBe(expected);
  });
});
