import { describe, expect, it } from '@jest/globals';
import type { ResourceStatus } from '../../api/application.js';
import { formatSelected, parseResourceArg, parseResourceArgs, unknownSelection } from './resource-arg.js';

const refusal = (value: string): string => {
  const parsed = parseResourceArg(value);
  if (parsed.ok) throw new Error(`${value} was accepted`);
  return parsed.error;
};

describe('--resource', () => {
  it("reads Argo CD's GROUP:KIND:NAME and GROUP:KIND:NAMESPACE/NAME, and KIND/NAME for the core group", () => {
    expect(parseResourceArg('apps:Deployment:web')).toEqual({ ok: true, value: { group: 'apps', kind: 'Deployment', name: 'web' } });
    expect(parseResourceArg(':ConfigMap:one')).toEqual({ ok: true, value: { group: '', kind: 'ConfigMap', name: 'one' } });
    expect(parseResourceArg(':ConfigMap:guestbook/one')).toEqual({ ok: true, value: { group: '', kind: 'ConfigMap', namespace: 'guestbook', name: 'one' } });
    expect(parseResourceArg('ConfigMap/one')).toEqual({ ok: true, value: { group: '', kind: 'ConfigMap', name: 'one' } });
    expect(parseResourceArg('networking.k8s.io:Ingress:web.example')).toEqual({ ok: true, value: { group: 'networking.k8s.io', kind: 'Ingress', name: 'web.example' } });
    // RBAC names may hold colons: everything after KIND: is the name.
    expect(parseResourceArg('rbac.authorization.k8s.io:ClusterRole:system:reader')).toEqual({ ok: true, value: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:reader' } });
  });

  it('refuses what is not one object, saying why and what it expects', () => {
    expect(refusal('one')).toBe('--resource "one": no kind given (expected GROUP:KIND:[NAMESPACE/]NAME or KIND/NAME (core group))');
    expect(refusal('apps:Deployment')).toContain('GROUP:KIND:NAME needs three fields');
    expect(refusal('ConfigMap/ns/one')).toContain('KIND/NAME takes no namespace; use :KIND:NAMESPACE/NAME');
    expect(refusal(':ConfigMap:')).toContain('the name is missing');
    expect(refusal('::one')).toContain('the kind is missing');
    expect(refusal('apps:deploy-ment:web')).toContain('"deploy-ment" is not a kind');
    expect(refusal('Apps:Deployment:web')).toContain('"Apps" is not an API group');
    expect(refusal(':ConfigMap:Bad_NS/one')).toContain('"Bad_NS" is not a namespace');
    expect(refusal(':ConfigMap:a/b/c')).toContain('more than one "/"');
    expect(refusal(':ConfigMap:*')).toContain('wildcards are not supported');
    expect(refusal('!:ConfigMap:one')).toContain('excluding objects (!) is not supported');
    expect(refusal(':ConfigMap:two words')).toContain('is not an object name');
  });

  it('reads every value, or reports every bad one', () => {
    expect(parseResourceArgs([':ConfigMap:one', 'Secret/two'])).toEqual({ ok: true, value: [{ group: '', kind: 'ConfigMap', name: 'one' }, { group: '', kind: 'Secret', name: 'two' }] });
    const bad = parseResourceArgs(['x', ':ConfigMap:one', 'y:z']);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors).toHaveLength(2);
  });

  it("writes a selection back in Argo CD's form", () => {
    expect(formatSelected({ group: '', kind: 'ConfigMap', namespace: 'ns', name: 'one' })).toBe(':ConfigMap:ns/one');
    expect(formatSelected({ group: 'apps', kind: 'Deployment', name: 'web' })).toBe('apps:Deployment:web');
  });

  it('names selections the app has no object for, suggesting the group of one with that kind and name', () => {
    const resource = (group: string, kind: string, namespace: string, name: string): ResourceStatus => ({ group, version: 'v1', kind, namespace, name, status: 'Synced' });
    const resources = [resource('', 'ConfigMap', 'web', 'one'), resource('apps', 'Deployment', 'web', 'web')];
    expect(unknownSelection([{ group: '', kind: 'ConfigMap', name: 'one' }, { group: '', kind: 'ConfigMap', namespace: 'web', name: 'one' }], resources)).toBeUndefined();
    expect(unknownSelection([{ group: '', kind: 'Deployment', name: 'web' }, { group: '', kind: 'ConfigMap', namespace: 'other', name: 'one' }], resources))
      .toBe("not among the app's resources: :Deployment:web (did you mean apps:Deployment:web?), :ConfigMap:other/one");
  });
});
