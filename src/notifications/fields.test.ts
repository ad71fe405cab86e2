import { describe, expect, it } from '@jest/globals';
import { characters, fieldAt, fieldText, parseFieldPath } from './fields.js';

describe('fields', () => {
  it('parses dotted paths of names and indexes only', () => {
    expect(parseFieldPath('app.spec.sources.0.repoURL')).toEqual(['app', 'spec', 'sources', '0', 'repoURL']);
    expect(parseFieldPath('app..x')).toBeUndefined();
    expect(parseFieldPath('app.x()')).toBeUndefined();
  });

  it('reads fields, missing ones as null', () => {
    const root = { a: { b: [{ c: 'x' }] } };
    expect(fieldAt(root, ['a', 'b', '0', 'c'])).toBe('x');
    expect(fieldAt(root, ['a', 'nope', 'c'])).toBeNull();
    expect(fieldAt(root, ['a', 'b', 'c'])).toBeNull();
    expect(fieldAt('text', ['length'])).toBeNull();
  });

  it('prints values as text and splits text into whole characters', () => {
    expect([fieldText(null), fieldText('s'), fieldText(1), fieldText(true), fieldText(['a'])]).toEqual(['', 's', '1', 'true', '["a"]']);
    expect(characters('a👍🏽b')).toEqual(['a', '👍🏽', 'b']);
  });
});
