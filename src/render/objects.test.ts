import { describe, expect, it } from '@jest/globals';
import { objectsOfDocument, objectProblems } from './objects.js';

const origin = { file: 'x.yaml', document: 1 };
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

describe('objectsOfDocument: lists', () => {
  it('unwraps v1 List, and the v1 list of a core kind', () => {
    expect(objectsOfDocument({ apiVersion: 'v1', kind: 'List', items: [cm('a')] }, origin).objects).toEqual([cm('a')]);
    expect(objectsOfDocument({ apiVersion: 'v1', kind: 'ConfigMapList', items: [cm('b')] }, origin).objects).toEqual([cm('b')]);
  });

  it('applies anything else that ends in List as the object it is, items and all', () => {
    const allowList = { apiVersion: 'policy.example.com/v1', kind: 'AllowList', metadata: { name: 'allowed' }, items: [cm('hidden')] };
    expect(objectsOfDocument(allowList, origin).objects).toEqual([allowList]);
    const deploymentList = { apiVersion: 'apps/v1', kind: 'DeploymentList', metadata: { name: 'd' }, items: [cm('c')] };
    expect(objectsOfDocument(deploymentList, origin).objects).toEqual([deploymentList]);
    const otherList = { apiVersion: 'example.com/v1', kind: 'List', metadata: { name: 'l' }, items: [cm('d')] };
    expect(objectsOfDocument(otherList, origin).objects).toEqual([otherList]);
    // A core-kind list under another apiVersion, or a list of a kind that is not core, is not unwrapped either.
    expect(objectsOfDocument({ apiVersion: 'v2', kind: 'SecretList', metadata: { name: 's' }, items: [] }, origin).objects).toHaveLength(1);
    expect(objectsOfDocument({ apiVersion: 'v1', kind: 'WidgetList', metadata: { name: 'w' }, items: [] }, origin).objects).toHaveLength(1);
  });
});

describe('objectProblems', () => {
  it('describes a document that is not an object by its type and length, never its content', () => {
    const token = `ghp_${'x'.repeat(36)}`;
    expect(objectProblems(token)).toEqual(['expected an object with apiVersion, kind and metadata, found a string of 40 characters']);
    expect(objectProblems(12345)).toEqual(['expected an object with apiVersion, kind and metadata, found a number']);
  });

  it('refuses names, namespaces, kinds and apiVersions that could change an API path', () => {
    const problems = objectProblems({ apiVersion: 'x/../../api/v1/secrets', kind: 'Secret/x', metadata: { name: '..', namespace: '../kube-system' } });
    expect(problems).toEqual([
      'apiVersion "x/../../api/v1/secrets" is not a valid API version: expected v1 or <group>/<version>, such as apps/v1',
      'kind "Secret/x" is not a valid kind: expected a letter, then up to 62 letters and digits',
      'metadata.name ".." is not a valid name: it may not be "." or ".."',
      "metadata.namespace \"../kube-system\" is not a valid namespace: expected at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
    ]);
  });

  it('quotes long values cut short and escaped', () => {
    const [problem] = objectProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { ['k'.repeat(500)]: 1 } } });
    expect(problem).toBe(`metadata.labels.${'k'.repeat(64)}… must be a string, found the number 1 (quote it)`);
    const [long] = objectProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 7, labels: {} } });
    expect(long).toBe('metadata.name must be a string, found the number 7');
    const [string] = objectProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: ['x'] } });
    expect(string).toBe('metadata.namespace must be a string, found a list');
    const [label] = objectProblems({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { a: { secret: 'x'.repeat(100) } } } });
    expect(label).toBe('metadata.annotations.a must be a string, found an object (quote it)');
  });
});
