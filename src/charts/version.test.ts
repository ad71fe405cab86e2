import { describe, expect, it } from '@jest/globals';
import { isExactVersion, isStrictVersion, parseConstraint, parseVersion, pickVersion } from './version.js';

const versions = ['0.0.0', '0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0', '1.0.0', '1.0.0-rc.1', '1.2.0', '1.2.0-beta', '1.2.3', '1.2.3-alpha', '1.2.3-beta.2', '1.2.3+build.5', '1.2.4', '1.2.9', '1.3.0-alpha', '1.3.0', '1.4.5', '1.4.6', '2.0.0-alpha', '2.0.0', '2.5.1'];

/**
 * Each constraint with the versions above that satisfy it (undefined: not a constraint), as
 * Masterminds semver v3.5.0 (the one Helm v4.3.2 is built with) answers.
 */
const masterminds: [string, string[] | undefined][] = [
  ["*", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  ["1.2.*", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["1.2.x", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["1.2", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["1.x", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  ["1", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  ["=1.2.3", ["1.2.3", "1.2.3+build.5"]],
  ["1.2.3", ["1.2.3", "1.2.3+build.5"]],
  ["v1.2.3", ["1.2.3", "1.2.3+build.5"]],
  ["^1.0", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  ["^1.2.3", ["1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  ["^0.2.3", ["0.2.3", "0.2.9"]],
  ["^0.0.3", ["0.0.3"]],
  ["^0", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0"]],
  ["^0.0", ["0.0.0", "0.0.3", "0.0.4"]],
  ["^*", ["0.0.0"]],
  ["~1.2.3", ["1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["~>1.2", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["~1", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  ["~*", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  [">=1.0 <2.0", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  [">=1.0, <2.0", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  [">=1.0,<2.0", ["1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  [">1.2", ["1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  ["<1.2", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0"]],
  ["<=1.2", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["=>1.2", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  ["=<1.2", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["!=1.2.3", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  [">=1.2, !=1.2.4", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.9", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  ["!=1.x", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "2.0.0", "2.5.1"]],
  [">=1.0 !=1.2.x", ["1.0.0", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  ["1.2 - 1.4.5", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5"]],
  ["1.2 - 1.4", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6"]],
  ["1.0 || 2.x", ["1.0.0", "2.0.0", "2.5.1"]],
  ["^1.2.3-beta", ["1.2.3", "1.2.3-beta.2", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0-alpha", "1.3.0", "1.4.5", "1.4.6"]],
  [">=1.2.3-alpha <1.3", ["1.2.3", "1.2.3-alpha", "1.2.3-beta.2", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0-alpha"]],
  [">=0.0.0-0", ["0.0.0", "0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.0.0-rc.1", "1.2.0", "1.2.0-beta", "1.2.3", "1.2.3-alpha", "1.2.3-beta.2", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0-alpha", "1.3.0", "1.4.5", "1.4.6", "2.0.0-alpha", "2.0.0", "2.5.1"]],
  ["~1.2.3-beta", ["1.2.3", "1.2.3-beta.2", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["<=*", ["0.0.0", "0.0.3", "0.0.4"]],
  [">*", ["0.0.3", "0.0.4", "0.2.3", "0.2.9", "0.3.0", "1.0.0", "1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9", "1.3.0", "1.4.5", "1.4.6", "2.0.0", "2.5.1"]],
  ["01.2", ["1.2.0", "1.2.3", "1.2.3+build.5", "1.2.4", "1.2.9"]],
  ["2.0.0-alpha", ["2.0.0-alpha"]],
  ["1.0 - 2.0||3.0 - 4.0", undefined],
  ["1.2.3.4", undefined],
  ["abc", undefined],
  [">=1.0 <2.0 ||", undefined],
  [">>1", undefined],
];

function matches(constraint: string): string[] | undefined {
  const parsed = parseConstraint(constraint);
  if ('error' in parsed) return undefined;
  return versions.filter((v) => {
    const version = parseVersion(v);
    return version !== undefined && parsed.test(version);
  });
}

describe('parseConstraint', () => {
  it.each(masterminds)('reads %j as Masterminds semver does', (constraint, expected) => {
    expect(matches(constraint)).toEqual(expected);
  });

  it('refuses constraints past Masterminds limits and control characters', () => {
    expect(parseConstraint(`>=1.0${' '.repeat(600)}`)).toEqual({ error: expect.stringContaining('512') });
    expect(parseConstraint(Array.from({ length: 33 }, () => '1').join('||'))).toEqual({ error: expect.stringContaining('32') });
    expect(parseConstraint('1.0\n')).toEqual({ error: expect.stringContaining('control') });
  });
});

describe('parseVersion', () => {
  it('reads versions as Masterminds NewVersion does', () => {
    expect(parseVersion('1.2')?.version).toBe('1.2.0');
    expect(parseVersion('v1')?.version).toBe('1.0.0');
    expect(parseVersion('2024.03-LTS-RC19')?.version).toBe('2024.3.0-LTS-RC19');
    expect(parseVersion('1.2.3+build')?.build).toEqual(['build']);
    for (const notVersion of ['', 'V1.2.3', '=1.2.3', ' 1.2.3', '1.2.3.4', '1.2.3-01', '1.2.3-', 'latest', '1.x']) expect(parseVersion(notVersion)).toBeUndefined();
  });

  it('tells pinned versions from constraints, and strict semver tags', () => {
    expect(isExactVersion('1.2.3')).toBe(true);
    expect(isExactVersion('1.2')).toBe(true);
    expect(isExactVersion('^1.2')).toBe(false);
    expect(isExactVersion('1.2.*')).toBe(false);
    expect(isStrictVersion('1.2.3-rc.1+build')).toBe(true);
    for (const loose of ['1.2', 'v1.2.3', '01.2.3', 'latest']) expect(isStrictVersion(loose)).toBe(false);
  });
});

describe('pickVersion', () => {
  const listed = ['2.0.0-alpha', '1.4.6', '1.4.5', '1.2.9', '1.2.3', '1.0.0', 'not-a-version'];

  it('takes the highest release for an empty targetRevision or *', () => {
    expect(pickVersion(listed, undefined)).toEqual({ ok: true, version: '1.4.6' });
    expect(pickVersion(listed, '  ')).toEqual({ ok: true, version: '1.4.6' });
    expect(pickVersion(listed, '*')).toEqual({ ok: true, version: '1.4.6' });
  });

  it('takes a listed version as written, and the highest match of a range', () => {
    expect(pickVersion(listed, '1.2.3')).toEqual({ ok: true, version: '1.2.3' });
    expect(pickVersion(listed, '1.2.*')).toEqual({ ok: true, version: '1.2.9' });
    expect(pickVersion(listed, '^1.0')).toEqual({ ok: true, version: '1.4.6' });
    expect(pickVersion(listed, '>=1.0 <1.3')).toEqual({ ok: true, version: '1.2.9' });
    expect(pickVersion(listed, '>=1.0, <1.3')).toEqual({ ok: true, version: '1.2.9' });
    // A version that is not listed is read as a constraint, as Helm does: 1.2 is ~1.2.
    expect(pickVersion(listed, '1.2')).toEqual({ ok: true, version: '1.2.9' });
    // Exact strings come first, even when they are not versions.
    expect(pickVersion(listed, 'not-a-version')).toEqual({ ok: true, version: 'not-a-version' });
  });

  it('takes prereleases only when the constraint names one', () => {
    expect(pickVersion(listed, '>=1.0')).toEqual({ ok: true, version: '1.4.6' });
    expect(pickVersion(listed, '>=1.0.0-0')).toEqual({ ok: true, version: '2.0.0-alpha' });
    expect(pickVersion(listed, '2.0.0-alpha')).toEqual({ ok: true, version: '2.0.0-alpha' });
    expect(pickVersion(['1.0.0-rc.1'], '')).toEqual({ ok: false, reason: 'none', message: 'no released version (1 listed)' });
  });

  it('keeps the first listed of versions of equal precedence', () => {
    expect(pickVersion(['1.0.0+b', '1.0.0+a', 'v1.0.0'], '^1')).toEqual({ ok: true, version: '1.0.0+b' });
    expect(pickVersion(['v1.0.0', '1.0.0+a'], '^1')).toEqual({ ok: true, version: 'v1.0.0' });
  });

  it('says when nothing matches, and when the targetRevision is no constraint', () => {
    expect(pickVersion(listed, '3.x')).toEqual({ ok: false, reason: 'none', message: 'no version matches "3.x" (7 listed)' });
    expect(pickVersion([], '1.0.0')).toEqual({ ok: false, reason: 'none', message: 'no version matches "1.0.0" (0 listed)' });
    expect(pickVersion(listed, 'latest')).toEqual({ ok: false, reason: 'invalid', message: '"latest" is not a version constraint' });
  });
});
