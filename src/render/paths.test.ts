import { describe, expect, it } from '@jest/globals';
import { isWithin, normaliseSourcePath } from './paths.js';

describe('normaliseSourcePath', () => {
  it.each([
    ['', '.'],
    ['.', '.'],
    ['./', '.'],
    ['apps', 'apps'],
    ['apps/', 'apps'],
    ['./apps//web/', 'apps/web'],
    ['apps/../web', 'web'],
    ['apps\\web', 'apps/web'],
    ['..foo', '..foo'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseSourcePath(input)).toEqual({ ok: true, path: expected });
  });

  it.each(['..', '../x', 'apps/../../x', '/etc', '/', 'C:\\repo', '\\\\server\\share'])('refuses %j', (input) => {
    const result = normaliseSourcePath(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'PathEscapesRepository', file: input });
  });
});

describe('isWithin', () => {
  it('accepts the root itself and paths beneath it only', () => {
    expect(isWithin('/repo', '/repo')).toBe(true);
    expect(isWithin('/repo', '/repo/a/b')).toBe(true);
    expect(isWithin('/repo', '/repo/..a')).toBe(true);
    expect(isWithin('/repo', '/repository')).toBe(false);
    expect(isWithin('/repo', '/')).toBe(false);
    expect(isWithin('/repo', '/other/repo')).toBe(false);
  });
});
