import { describe, expect, it } from '@jest/globals';
import type { HealthScript } from '../lua/runner.js';
import { groupKindKey, HealthCustomizations } from './customizations.js';

const script = (origin: string): HealthScript => ({ source: 'return nil', openLibs: false, origin });

/** Customizations whose scripts are named after their patterns; `origin` says which one a kind gets. */
function customizations(patterns: readonly string[], wildcardCrossesSlash: boolean): HealthCustomizations {
  return new HealthCustomizations(patterns.map((pattern) => ({ pattern, script: script(pattern) })), { wildcardCrossesSlash });
}

const originFor = (c: HealthCustomizations, group: string, kind: string): string | undefined => c.scriptFor(group, kind)?.origin;

describe('groupKindKey', () => {
  it('is group/Kind, and Kind alone for the core group, as Argo CD keys them', () => {
    expect(groupKindKey('apps', 'Deployment')).toBe('apps/Deployment');
    expect(groupKindKey('cert-manager.io', 'Certificate')).toBe('cert-manager.io/Certificate');
    expect(groupKindKey('', 'ConfigMap')).toBe('ConfigMap');
  });
});

describe.each([true, false])('HealthCustomizations (wildcardCrossesSlash %s)', (crosses) => {
  it('finds a script by its exact group/Kind, and a core-group kind by Kind alone', () => {
    const c = customizations(['example.com/Widget', 'ConfigMap', 'apps/Deployment'], crosses);
    expect(originFor(c, 'example.com', 'Widget')).toBe('example.com/Widget');
    expect(originFor(c, '', 'ConfigMap')).toBe('ConfigMap');
    expect(originFor(c, 'apps', 'Deployment')).toBe('apps/Deployment');
    expect(c.size).toBe(3);
  });

  it('matches group and kind exactly: no other group, no other kind, case counts', () => {
    const c = customizations(['example.com/Widget', 'ConfigMap'], crosses);
    expect(originFor(c, 'other.example.com', 'Widget')).toBeUndefined();
    expect(originFor(c, 'example.com', 'Widgets')).toBeUndefined();
    expect(originFor(c, 'example.com', 'widget')).toBeUndefined();
    // The core group's key is Kind alone: a ConfigMap kind of a group is another kind.
    expect(originFor(c, 'example.com', 'ConfigMap')).toBeUndefined();
    expect(originFor(c, '', 'Widget')).toBeUndefined();
  });

  it('prefers the exact key to any wildcard, wherever the wildcard comes in the order', () => {
    const c = customizations(['*.aws.example.com/*', 'ec2.aws.example.com/*', 'ec2.aws.example.com/Instance'], crosses);
    expect(originFor(c, 'ec2.aws.example.com', 'Instance')).toBe('ec2.aws.example.com/Instance');
  });

  it('takes the first matching wildcard in the order given', () => {
    const patterns = ['*.aws.example.com/*', 'ec2.aws.example.com/*'];
    expect(originFor(customizations(patterns, crosses), 'ec2.aws.example.com', 'Volume')).toBe('*.aws.example.com/*');
    expect(originFor(customizations([...patterns].reverse(), crosses), 'ec2.aws.example.com', 'Volume')).toBe('ec2.aws.example.com/*');
    // Only the first pattern matches rds.aws.example.com.
    expect(originFor(customizations([...patterns].reverse(), crosses), 'rds.aws.example.com', 'Instance')).toBe('*.aws.example.com/*');
  });

  it('keeps the first of two scripts with the same exact key', () => {
    const c = new HealthCustomizations([
      { pattern: 'example.com/Widget', script: script('first') },
      { pattern: 'example.com/Widget', script: script('second') },
    ], { wildcardCrossesSlash: crosses });
    expect(originFor(c, 'example.com', 'Widget')).toBe('first');
  });

  it('matches a wildcard group: any subgroup, but not the group itself', () => {
    const c = customizations(['*.crossplane.example.com/*'], crosses);
    expect(originFor(c, 'ec2.aws.crossplane.example.com', 'VPC')).toBe('*.crossplane.example.com/*');
    expect(originFor(c, 's3.crossplane.example.com', 'Bucket')).toBe('*.crossplane.example.com/*');
    expect(originFor(c, 'crossplane.example.com', 'Provider')).toBeUndefined();
    expect(originFor(c, 'crossplane.example.org', 'Provider')).toBeUndefined();
  });

  it('matches wildcards within a kind name, and ?, [...] and {a,b}', () => {
    const c = customizations(['example.com/*Set', 'example.com/Gadget?', 'example.com/[AB]ucket', 'example.com/{Queue,Topic}'], crosses);
    expect(originFor(c, 'example.com', 'WidgetSet')).toBe('example.com/*Set');
    expect(originFor(c, 'example.com', 'Gadget2')).toBe('example.com/Gadget?');
    expect(originFor(c, 'example.com', 'Gadget')).toBeUndefined();
    expect(originFor(c, 'example.com', 'Bucket')).toBe('example.com/[AB]ucket');
    expect(originFor(c, 'example.com', 'Cucket')).toBeUndefined();
    expect(originFor(c, 'example.com', 'Topic')).toBe('example.com/{Queue,Topic}');
  });

  it('never matches a core-group kind with */* (its key has no slash), as in Argo CD', () => {
    const c = customizations(['*/*'], crosses);
    expect(originFor(c, 'apps', 'Deployment')).toBe('*/*');
    expect(originFor(c, '', 'ConfigMap')).toBeUndefined();
  });

  it('matches */Kind for the kind of any group but not of the core group', () => {
    const c = customizations(['*/ConfigMap'], crosses);
    expect(originFor(c, 'settings.example.com', 'ConfigMap')).toBe('*/ConfigMap');
    expect(originFor(c, '', 'ConfigMap')).toBeUndefined();
  });

  it('has nothing for any kind when empty', () => {
    expect(originFor(HealthCustomizations.none, 'apps', 'Deployment')).toBeUndefined();
    expect(originFor(customizations([], crosses), '', 'Pod')).toBeUndefined();
    expect(HealthCustomizations.none.size).toBe(0);
  });
});

describe('HealthCustomizations: a * and the slash', () => {
  it('lets * cross the slash for ConfigMap patterns (argocd-cm keys match the whole group/Kind text)', () => {
    const c = customizations(['db.example.com*', '*'], true);
    expect(originFor(c, 'db.example.com', 'Database')).toBe('db.example.com*');
    expect(originFor(c, 'example.com', 'Widget')).toBe('*');
    expect(originFor(c, '', 'ConfigMap')).toBe('*');
    expect(originFor(customizations(['*.example.com'], true), 'cache.example.com', 'Redis')).toBeUndefined();
  });

  it('keeps * within one segment for directory patterns (group and Kind are directories)', () => {
    const c = customizations(['db.example.com*', '*'], false);
    expect(originFor(c, 'db.example.com', 'Database')).toBeUndefined();
    expect(originFor(c, 'example.com', 'Widget')).toBeUndefined();
    // A core-group kind is one segment.
    expect(originFor(c, '', 'ConfigMap')).toBe('*');
  });
});

describe('HealthCustomizations.over', () => {
  it("uses its own script for a kind, the fallback's only where it has none (even a wildcard of its own wins)", () => {
    const own = customizations(['apps/Deployment', 'example.com/*'], true);
    const fallback = customizations(['apps/Deployment', 'example.com/Widget', 'batch/Job'], true);
    const layered = own.over(fallback);
    expect(originFor(layered, 'apps', 'Deployment')).toBe('apps/Deployment');
    expect(layered.scriptFor('apps', 'Deployment')).toBe(own.scriptFor('apps', 'Deployment'));
    expect(originFor(layered, 'example.com', 'Widget')).toBe('example.com/*');
    expect(layered.scriptFor('batch', 'Job')).toBe(fallback.scriptFor('batch', 'Job'));
    expect(layered.scriptFor('', 'ConfigMap')).toBeUndefined();
    expect(layered.size).toBe(5);
  });

  it('is either side when the other is empty, and layers again', () => {
    const one = customizations(['a/A'], true);
    expect(one.over(HealthCustomizations.none)).toBe(one);
    expect(HealthCustomizations.none.over(one)).toBe(one);
    const three = customizations(['c/C'], true).over(customizations(['b/B'], true)).over(one);
    expect(['a', 'b', 'c'].map((g) => originFor(three, g, g.toUpperCase()))).toEqual(['a/A', 'b/B', 'c/C']);
  });
});
