import { describe, expect, it } from '@jest/globals';
import type { IgnoreDifference } from '../api/application.js';
import type { KubeObject, ResourceKey } from '../api/object.js';
import { ignoreRulesFor, removePointers } from './ignore.js';

const deploymentKey: ResourceKey = { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'api' };

describe('ignoreRulesFor', () => {
  it.each<[string, IgnoreDifference, boolean]>([
    ['group and kind', { group: 'apps', kind: 'Deployment' }, true],
    ['empty kind', { group: 'apps', kind: '' }, true],
    ['group glob', { group: '*', kind: 'Deployment' }, true],
    ['kind glob', { group: 'apps', kind: 'Deploy*' }, true],
    ['group and kind wildcards', { group: '*', kind: '*' }, true],
    ['braces', { group: 'apps', kind: '{StatefulSet,Deployment}' }, true],
    ['name', { group: 'apps', kind: 'Deployment', name: 'api' }, true],
    ['namespace', { group: 'apps', kind: 'Deployment', namespace: 'web' }, true],
    ['name and namespace', { group: 'apps', kind: 'Deployment', name: 'api', namespace: 'web' }, true],
    ['missing group (the core group, as in Argo CD)', { kind: 'Deployment' }, false],
    ['empty group (the core group)', { group: '', kind: 'Deployment' }, false],
    ['another group', { group: 'batch', kind: 'Deployment' }, false],
    ['another kind', { group: 'apps', kind: 'StatefulSet' }, false],
    ['another name', { group: 'apps', kind: 'Deployment', name: 'worker' }, false],
    ['a name glob (names match exactly)', { group: 'apps', kind: 'Deployment', name: 'a*' }, false],
    ['another namespace', { group: 'apps', kind: 'Deployment', namespace: 'other' }, false],
    ['a glob that does not match', { group: 'app?x', kind: 'Deployment' }, false],
    ['a dot taken literally', { group: 'a.ps', kind: 'Deployment' }, false],
  ])('matching a Deployment by %s → %s', (_case, entry, matches) => {
    const rules = ignoreRulesFor(deploymentKey, [{ ...entry, jsonPointers: ['/spec/replicas'] }]);
    expect(rules).toEqual(matches ? [{ pointers: ['/spec/replicas'] }] : []);
  });

  const configMapKey: ResourceKey = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' };
  it.each<[string, IgnoreDifference, boolean]>([
    ['missing group', { kind: 'ConfigMap' }, true],
    ['empty group', { group: '', kind: 'ConfigMap' }, true],
    ['group *', { group: '*', kind: 'ConfigMap' }, true],
    ['group and kind *', { group: '*', kind: '*' }, true],
    ['group apps', { group: 'apps', kind: 'ConfigMap' }, false],
    ['group ?*', { group: '?*', kind: 'ConfigMap' }, false],
  ])('matching a core-group ConfigMap by %s → %s', (_case, entry, matches) => {
    expect(ignoreRulesFor(configMapKey, [{ ...entry, jsonPointers: ['/data'] }])).toEqual(matches ? [{ pointers: ['/data'] }] : []);
  });

  it('returns one rule per matching entry (pointers, field managers or jq expressions) and leaves out entries with none', () => {
    const rules = ignoreRulesFor(deploymentKey, [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      { kind: 'ConfigMap', jsonPointers: ['/data'] },
      { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
      { group: 'apps', kind: 'Deployment' },
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/metadata/labels/x', '/spec/paused'] },
      { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas', '.metadata.annotations."x"'] },
    ]);
    expect(rules).toEqual([
      { pointers: ['/spec/replicas'] }, { pointers: [], managers: ['kube-controller-manager'] }, { pointers: ['/metadata/labels/x', '/spec/paused'] },
      {
        pointers: [],
        expressions: [
          { expression: '.spec.replicas', field: 'spec.ignoreDifferences[5].jqPathExpressions[0]' },
          { expression: '.metadata.annotations."x"', field: 'spec.ignoreDifferences[5].jqPathExpressions[1]' },
        ],
      },
    ]);
  });

  it('returns nothing without ignoreDifferences', () => {
    expect(ignoreRulesFor(deploymentKey, undefined)).toEqual([]);
    expect(ignoreRulesFor(deploymentKey, [])).toEqual([]);
  });
});

describe('removePointers', () => {
  const obj: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', annotations: { 'capstan.dev/sync-wave': '1', 'a~b': 'tilde', keep: 'yes' } },
    spec: {
      replicas: 3,
      template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }, { name: 'c', image: 'c:1' }] } },
    },
  };

  const containers = (o: KubeObject): unknown => (o.spec as { template: { spec: { containers: unknown } } }).template.spec.containers;

  it('removes a scalar field', () => {
    expect((removePointers(obj, ['/spec/replicas']).spec as Record<string, unknown>).replicas).toBeUndefined();
  });

  it('decodes ~1 and ~0 escapes', () => {
    const result = removePointers(obj, ['/metadata/annotations/capstan.dev~1sync-wave', '/metadata/annotations/a~0b']);
    expect(result.metadata.annotations).toEqual({ keep: 'yes' });
  });

  it('removes a field inside an array element', () => {
    const result = removePointers(obj, ['/spec/template/spec/containers/1/image']);
    expect(containers(result)).toEqual([{ name: 'a', image: 'a:1' }, { name: 'b' }, { name: 'c', image: 'c:1' }]);
  });

  it('removes array elements by their original index, whatever the order of the pointers', () => {
    const expected = [{ name: 'b', image: 'b:1' }];
    expect(containers(removePointers(obj, ['/spec/template/spec/containers/0', '/spec/template/spec/containers/2']))).toEqual(expected);
    expect(containers(removePointers(obj, ['/spec/template/spec/containers/2', '/spec/template/spec/containers/0']))).toEqual(expected);
  });

  it('removes a field of an element and a lower element together', () => {
    const result = removePointers(obj, ['/spec/template/spec/containers/0', '/spec/template/spec/containers/2/image']);
    expect(containers(result)).toEqual([{ name: 'b', image: 'b:1' }, { name: 'c' }]);
  });

  it.each([
    ['a missing path', '/spec/missing/deep'],
    ['an index past the end', '/spec/template/spec/containers/3'],
    ['a non-numeric index', '/spec/template/spec/containers/first'],
    ['a leading-zero index', '/spec/template/spec/containers/01'],
    ['the append token', '/spec/template/spec/containers/-'],
    ['a path through a scalar', '/spec/replicas/x'],
    ['the whole-document pointer', ''],
    ['a pointer without a leading slash', 'spec/replicas'],
  ])('ignores %s', (_case, pointer) => {
    expect(removePointers(obj, [pointer])).toEqual(obj);
  });

  it('leaves its input alone', () => {
    const before = structuredClone(obj);
    removePointers(obj, ['/spec/replicas', '/spec/template/spec/containers/0', '/metadata/annotations/keep']);
    expect(obj).toEqual(before);
  });
});
