import { describe, expect, it } from '@jest/globals';
import { apiVersionProblem, kindProblem, nameProblem, namespaceProblem } from './identity.js';

describe('apiVersionProblem', () => {
  it.each(['v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', 'example.com/v1beta1', 'x-y.example/v2alpha3'])('accepts %s', (apiVersion) => {
    expect(apiVersionProblem(apiVersion)).toBeUndefined();
  });

  it.each([
    'x/../../api/v1/secrets', '../v1', 'apps/v1/', '/v1', 'apps//v1', 'Apps/v1', 'apps/V1', 'apps/1', 'apps/v1?watch=true',
    'apps/v1#x', 'apps%2Fv1', 'apps/ v1', 'a/b/v1', `${'a'.repeat(254)}/v1`, '-apps/v1', 'apps-/v1', 'v1\n',
  ])('refuses %j', (apiVersion) => {
    expect(apiVersionProblem(apiVersion)).toMatch(/^apiVersion ".*is not a valid API version/);
  });
});

describe('kindProblem', () => {
  it.each(['ConfigMap', 'A', 'x', `K${'a'.repeat(62)}`])('accepts %s', (kind) => {
    expect(kindProblem(kind)).toBeUndefined();
  });

  it.each(['Config Map', '1Kind', 'Kind/x', '..', 'Kind-x', `K${'a'.repeat(63)}`, 'Ünicode'])('refuses %j', (kind) => {
    expect(kindProblem(kind)).toMatch(/^kind ".*" is not a valid kind/);
  });
});

describe('nameProblem', () => {
  it.each(['web', 'web-1.example', 'system:controller:job', 'a'.repeat(253), 'UPPER_case'])('accepts %j (any path segment; the API server narrows it per kind)', (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  it.each([
    ['.', 'it may not be "." or ".."'],
    ['..', 'it may not be "." or ".."'],
    ['../kube-system', 'it may not contain "/"'],
    ['a/b', 'it may not contain "/"'],
    ['a%2Fb', 'it may not contain "%"'],
    ['a'.repeat(254), 'it is longer than 253 characters'],
    ['web\u0000', 'it may not contain control characters'],
    ['web\u001b[2J', 'it may not contain control characters'],
    ['web\u202egnp.exe', 'it may not contain control characters'],
  ])('refuses %j: %s', (name, why) => {
    expect(nameProblem(name)).toMatch(new RegExp(`^metadata\\.name ".*is not a valid name: ${why.replace(/[."]/g, '\\$&')}$`));
  });

  it('quotes a bad name escaped and cut short', () => {
    expect(nameProblem(`${'a'.repeat(300)}/`)).toBe(`metadata.name "${'a'.repeat(64)}"… (301 characters) is not a valid name: it may not contain "/"`);
    expect(nameProblem('x\u001b]0;title\u0007/')).toBe('metadata.name "x\\u001b]0;title\\u0007/" is not a valid name: it may not contain "/"');
  });
});

describe('namespaceProblem', () => {
  it.each(['default', 'team-a', 'a', '0', 'a'.repeat(63)])('accepts %s', (namespace) => {
    expect(namespaceProblem(namespace)).toBeUndefined();
  });

  it.each(['..', '.', '../kube-system', 'kube-system/x', 'Team', 'team_a', '-team', 'team-', 'a'.repeat(64), 'team.a', 'tëam'])('refuses %j', (namespace) => {
    expect(namespaceProblem(namespace)).toMatch(/^metadata\.namespace ".*" is not a valid namespace/);
  });
});
