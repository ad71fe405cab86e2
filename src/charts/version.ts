/**
 * Chart versions and version constraints as Helm and Argo CD read them (both use Masterminds
 * semver): a targetRevision is an exact version or a constraint, and the highest listed version
 * that satisfies it is picked. Versions are compared by the npm `semver` package; this module
 * only translates Masterminds' grammar, which npm semver reads differently in places:
 *
 * - comparators may be separated by commas (`>=1.0, <2.0`) as well as spaces;
 * - `!=`, `=>` and `=<` are operators;
 * - a version may have leading zeros (`2024.03` is 2024.3.0) and may lack minor and patch;
 * - a bare partial version is a range (`1.2` is `~1.2`), and `<1.2` means `<1.2.0`;
 * - prereleases: an AND group whose constraints name a prerelease admits every prerelease
 *   version, not only those of the same major.minor.patch as npm does; a group naming none
 *   admits none;
 * - a few edge cases read literally from Masterminds' code: `^*` and `<=*` admit only 0.0.x.
 *
 * Each Masterminds comparator becomes a test on explicit bounds, so npm semver's own range
 * sugar (and its prerelease rule) is never involved.
 */
import semver from 'semver';

type SemVer = semver.SemVer;

/** Masterminds' limits on a constraint string. */
export const MAX_CONSTRAINT_LENGTH = 512;
export const MAX_CONSTRAINT_GROUPS = 32;
const MAX_VERSION_LENGTH = 256;

const IDENTS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
/** A version as Masterminds' NewVersion takes it (leading zeros allowed, minor and patch optional). */
const LOOSE_VERSION = new RegExp(`^v?([0-9]+)(?:\\.([0-9]+))?(?:\\.([0-9]+))?(?:-(${IDENTS}))?(?:\\+(${IDENTS}))?$`);
/** A version inside a constraint: any of its numbers may be a wildcard (x, X or *). */
const PART = '(?:[0-9]+|[xX*])';
const CONSTRAINT_VERSION = `v?${PART}(?:\\.${PART})?(?:\\.${PART})?(?:-${IDENTS})?(?:\\+${IDENTS})?`;
const CONSTRAINT_VERSION_PARTS = new RegExp(`^v?(${PART})(?:\\.(${PART}))?(?:\\.(${PART}))?(?:-(${IDENTS}))?(?:\\+(${IDENTS}))?$`);
/** Longest operators first; the empty operator last. */
const OPERATOR = '!=|>=|=>|<=|=<|~>|\\^|~|>|<|=|';
const COMPARATOR = new RegExp(`\\s*(${OPERATOR})\\s*(${CONSTRAINT_VERSION})\\s*`, 'y');
/**
 * `1.2 - 1.4.5` is `>= 1.2, <= 1.4.5`. As in Masterminds, a number here may hold '|', so that
 * `1 - 2||3 - 4` reads `2||3` as the upper bound (and is refused), not as two ranges.
 */
const RANGE_PART = '[0-9|xX*]+';
const RANGE_VERSION = `v?${RANGE_PART}(?:\\.${RANGE_PART})?(?:\\.${RANGE_PART})?(?:-${IDENTS})?(?:\\+${IDENTS})?`;
const HYPHEN_RANGE = new RegExp(`\\s*(${RANGE_VERSION})\\s+-\\s+(${RANGE_VERSION})\\s*`, 'g');

type Operator = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~' | '^';
const operators: Readonly<Record<string, Operator>> = {
  '': '=', '=': '=', '!=': '!=', '>': '>', '<': '<', '>=': '>=', '=>': '>=', '<=': '<=', '=<': '<=', '~': '~', '~>': '~', '^': '^',
};

/** Which numbers of a constraint's version are given; the first wildcard or missing number ends it. */
type Precision = 'any' | 'major' | 'minor' | 'exact';

interface Comparator {
  readonly test: (v: SemVer) => boolean;
  readonly prerelease: boolean;
}

/** A parsed constraint: OR groups of AND-ed comparators. */
export interface VersionConstraint {
  readonly text: string;
  test(version: SemVer): boolean;
}

/**
 * A version as Masterminds' NewVersion reads it (Helm and Argo CD: "1.2" is 1.2.0, "v1" is
 * 1.0.0, "2024.03" is 2024.3.0), as an npm SemVer; undefined when it is not one.
 */
export function parseVersion(text: string): SemVer | undefined {
  if (text.length > MAX_VERSION_LENGTH) return undefined;
  const m = LOOSE_VERSION.exec(text);
  if (m === null) return undefined;
  return semverOf(m[1] ?? '0', m[2] ?? '0', m[3] ?? '0', m[4], m[5]);
}

/** Whether Argo CD takes this targetRevision as a pinned version rather than a constraint. */
export function isExactVersion(text: string): boolean {
  return parseVersion(text) !== undefined;
}

/** A version with three numbers and nothing else Masterminds' StrictNewVersion refuses (no 'v', no leading zeros). */
export function isStrictVersion(text: string): boolean {
  // npm semver would also take a leading 'v', '=' or white space.
  return text.length <= MAX_VERSION_LENGTH && /^[0-9][0-9A-Za-z.+-]*$/.test(text) && semver.parse(text) !== null;
}

/** Parses a Masterminds constraint (`1.2.*`, `^1.0`, `>=1.0 <2.0`, `>=1.0, <2.0 || 3.x`, `*`). */
export function parseConstraint(text: string): VersionConstraint | { error: string } {
  if (text.length > MAX_CONSTRAINT_LENGTH) return { error: `a version constraint may be at most ${MAX_CONSTRAINT_LENGTH} characters` };
  if (hasControl(text)) return { error: 'a version constraint may not contain control characters' };
  const rewritten = text.replace(HYPHEN_RANGE, (_match, from: string, to: string) => `>= ${from}, <= ${to} `);
  const ors = rewritten.split('||');
  if (ors.length > MAX_CONSTRAINT_GROUPS) return { error: `a version constraint may have at most ${MAX_CONSTRAINT_GROUPS} alternatives` };
  const groups: Comparator[][] = [];
  for (const or of ors) {
    const group = parseGroup(or);
    if (group === undefined) return { error: `"${or.trim()}" is not a version constraint` };
    groups.push(group);
  }
  return {
    text,
    test(version: SemVer): boolean {
      return groups.some((group) => {
        // Masterminds: prereleases take part only in a group that names one.
        if (version.prerelease.length > 0 && !group.some((c) => c.prerelease)) return false;
        return group.every((c) => c.test(version));
      });
    },
  };
}

export type PickResult = { ok: true; version: string } | { ok: false; reason: 'invalid' | 'none'; message: string };

/**
 * The version to use among `available` (as listed: an index's versions, or a registry's tags
 * with `_` read as `+`), as Helm picks it: the empty targetRevision is `*` (the highest
 * release); a version listed exactly as written is taken; otherwise the highest version that
 * satisfies the targetRevision read as a constraint. Listed versions that are not versions are
 * ignored; among versions of equal precedence the first listed wins.
 */
export function pickVersion(available: readonly string[], targetRevision: string | undefined): PickResult {
  const wanted = (targetRevision ?? '').trim();
  if (wanted !== '' && available.includes(wanted)) return { ok: true, version: wanted };
  const constraint = parseConstraint(wanted === '' ? '*' : wanted);
  if ('error' in constraint) return { ok: false, reason: 'invalid', message: constraint.error };
  let best: { text: string; version: SemVer } | undefined;
  for (const text of available) {
    const version = parseVersion(text);
    if (version === undefined || !constraint.test(version)) continue;
    if (best === undefined || semver.compare(version, best.version) > 0) best = { text, version };
  }
  if (best === undefined) {
    const what = wanted === '' ? 'no released version' : `no version matches "${wanted}"`;
    return { ok: false, reason: 'none', message: `${what} (${available.length} listed)` };
  }
  return { ok: true, version: best.text };
}

function parseGroup(text: string): Comparator[] | undefined {
  const found: Comparator[] = [];
  let at = 0;
  for (;;) {
    COMPARATOR.lastIndex = at;
    const m = COMPARATOR.exec(text);
    if (m === null) return undefined;
    const comparator = comparatorOf(operators[m[1] ?? ''] ?? '=', m[2] ?? '');
    if (comparator === undefined) return undefined;
    found.push(comparator);
    at = COMPARATOR.lastIndex;
    if (at === text.length) return found;
    // Comparators are separated by white space or by a comma (the comparator took the spaces before it).
    if (text[at] === ',') at += 1;
    else if (!/\s$/.test(m[0])) return undefined;
  }
}

function comparatorOf(op: Operator, versionText: string): Comparator | undefined {
  const m = CONSTRAINT_VERSION_PARTS.exec(versionText);
  if (m === null) return undefined;
  const parts = [m[1] ?? '', m[2], m[3]];
  const given = parts.findIndex((p) => p === undefined || isWildcard(p));
  const precision: Precision = given === 0 ? 'any' : given === 1 ? 'major' : given === 2 ? 'minor' : 'exact';
  const numbers = parts.map((p, i) => (given >= 0 && i >= given ? '0' : (p ?? '0')));
  // A wildcard drops the build metadata, as Masterminds does; it never counts in comparisons.
  const c = semverOf(numbers[0] ?? '0', numbers[1] ?? '0', numbers[2] ?? '0', m[4], precision === 'exact' ? m[5] : undefined);
  if (c === undefined || c.major >= Number.MAX_SAFE_INTEGER || c.minor >= Number.MAX_SAFE_INTEGER || c.patch >= Number.MAX_SAFE_INTEGER) return undefined;
  return { test: testOf(op, c, precision), prerelease: c.prerelease.length > 0 };
}

/** Each operator as Masterminds' constraint functions define it, over explicit bounds. */
function testOf(op: Operator, c: SemVer, precision: Precision): (v: SemVer) => boolean {
  const nextMajor = bound(c.major + 1, 0, 0);
  const nextMinor = bound(c.major, c.minor + 1, 0);
  const exact = precision === 'exact';
  switch (op) {
    case '=':
      return exact ? (v) => semver.eq(v, c) : tilde(c, precision);
    case '~':
      return tilde(c, precision);
    case '^': {
      if (c.major > 0 || precision === 'major') return (v) => semver.gte(v, c) && semver.lt(v, nextMajor);
      if (c.minor > 0 || precision === 'minor') return (v) => semver.gte(v, c) && semver.lt(v, nextMinor);
      const nextPatch = bound(0, 0, c.patch + 1);
      return (v) => semver.gte(v, c) && semver.lt(v, nextPatch);
    }
    case '>':
      if (precision === 'major') return (v) => semver.gte(v, nextMajor);
      if (precision === 'minor') return (v) => semver.gte(v, nextMinor);
      return (v) => semver.gt(v, c);
    case '<':
      return (v) => semver.lt(v, c);
    case '>=':
      return (v) => semver.gte(v, c);
    case '<=':
      if (exact) return (v) => semver.lte(v, c);
      return precision === 'major' ? (v) => semver.lt(v, nextMajor) : (v) => semver.lt(v, nextMinor);
    case '!=':
      return notEqual(c, precision);
  }
}

/** `~1.2.3` and `~1.2` are >=1.2.x <1.3, `~1` is >=1 <2; `~*` and `~0.0.0` take everything from their bound on. */
function tilde(c: SemVer, precision: Precision): (v: SemVer) => boolean {
  const anything = precision === 'any' || (precision === 'exact' && c.major === 0 && c.minor === 0 && c.patch === 0);
  if (anything) return (v) => semver.gte(v, c);
  const upper = precision === 'major' ? bound(c.major + 1, 0, 0) : bound(c.major, c.minor + 1, 0);
  return (v) => semver.gte(v, c) && semver.lt(v, upper);
}

function notEqual(c: SemVer, precision: Precision): (v: SemVer) => boolean {
  if (precision === 'major') return (v) => v.major !== c.major;
  if (precision === 'minor') {
    // Masterminds lets a prerelease through when its prerelease differs from the constraint's.
    const pre = c.prerelease.join('.');
    return (v) => v.major !== c.major || v.minor !== c.minor || ((v.prerelease.length > 0 || pre !== '') && v.prerelease.join('.') !== pre);
  }
  return (v) => !semver.eq(v, c);
}

/** The lowest version of a major.minor.patch: below every prerelease of it. */
function bound(major: number, minor: number, patch: number): SemVer {
  return new semver.SemVer(`${major}.${minor}.${patch}-0`);
}

function semverOf(major: string, minor: string, patch: string, pre: string | undefined, build: string | undefined): SemVer | undefined {
  const numbers = [major, minor, patch].map((n) => Number(n));
  if (numbers.some((n) => !Number.isSafeInteger(n))) return undefined;
  const text = `${numbers.join('.')}${pre === undefined ? '' : `-${pre}`}${build === undefined ? '' : `+${build}`}`;
  try {
    return new semver.SemVer(text);
  } catch {
    return undefined;
  }
}

function isWildcard(part: string): boolean {
  return part === 'x' || part === 'X' || part === '*';
}

function hasControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(text);
}
