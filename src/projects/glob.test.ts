import { describe, expect, it } from '@jest/globals';
import { compileGlob, globMatches, globProblem, maxAlternatives, ruleMatches } from './glob.js';

describe('globMatches', () => {
  it.each([
    ['team-a*', 'team-a', true],
    ['team-a*', 'team-abc', true],
    ['team-a*', 'team-b', false],
    ['?eam', 'team', true],
    ['?eam', 'eam', false],
    ['[abc]x', 'bx', true],
    ['[abc]x', 'dx', false],
    ['[a-c]x', 'cx', true],
    ['[!a-c]x', 'dx', true],
    ['[^a-c]x', 'ax', false],
    ['{dev,stage}-*', 'stage-1', true],
    ['{dev,stage}-*', 'prod-1', false],
    ['{dev,st{a,o}ge}', 'stoge', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['', '', true],
    ['', 'x', false],
    ['*', '', true],
  ])('%j against %j is %s (no separators)', (pattern, text, expected) => {
    expect(globMatches(pattern, text)).toBe(expected);
  });

  it('without separators, * crosses a slash', () => {
    expect(globMatches('https://*', 'https://kubernetes.default.svc/api')).toBe(true);
  });

  it('with / as separator, * and ? stay within a segment while ** crosses', () => {
    expect(globMatches('https://github.com/org/*', 'https://github.com/org/repo', '/')).toBe(true);
    expect(globMatches('https://github.com/org/*', 'https://github.com/org/group/repo', '/')).toBe(false);
    expect(globMatches('https://github.com/org/**', 'https://github.com/org/group/repo', '/')).toBe(true);
    expect(globMatches('a?b', 'a/b', '/')).toBe(false);
  });

  it('matches a pattern of many stars against a long text without backtracking', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    expect(globMatches(pattern, 'a'.repeat(5000))).toBe(false);
  });

  it('a pattern that does not compile matches nothing', () => {
    expect(globMatches('[abc', '[abc')).toBe(false);
  });
});

describe('globProblem', () => {
  it.each([
    ['[abc', 'a [ is not closed'],
    ['{a,b', 'a { is not closed'],
    ['a\\', 'it ends with an escape'],
    ['[]', 'a [] names no character'],
    ['[z-a]', 'the range z-a is inverted'],
  ])('refuses %j: %s', (pattern, why) => {
    expect(globProblem(pattern)).toContain(why);
  });

  it('refuses a pattern whose braces expand past the bound', () => {
    expect(globProblem('{a,b}'.repeat(7))).toContain(`more than ${maxAlternatives} alternatives`);
  });

  it('accepts valid patterns', () => {
    expect(globProblem('team-{a,b}-[0-9]*')).toBeUndefined();
    expect(compileGlob('x*').matches('xy')).toBe(true);
  });
});

describe('ruleMatches', () => {
  it('takes * alone for everything, even across separators', () => {
    expect(ruleMatches('*', 'a/b/c', { negation: false, separators: '/' })).toBe(true);
  });

  it('with negation, !pattern matches what the pattern does not', () => {
    expect(ruleMatches('!kube-*', 'kube-system', { negation: true })).toBe(false);
    expect(ruleMatches('!kube-*', 'default', { negation: true })).toBe(true);
    expect(ruleMatches('!kube-*', '!kube-x', { negation: false })).toBe(true);
  });
});
