import { describe, expect, it } from '@jest/globals';
import type { KubeObject, ResourceKey } from '../../api/object.js';
import type { ComparedObject } from '../steps/compare.js';
import type { PreparedObject } from '../steps/prepare.js';
import { buildPlan, maxPlanItems } from './plan.js';

const key = (kind: string, name: string, group = ''): ResourceKey => ({ group, kind, namespace: 'web', name });
const obj = (kind: string, name: string, extra: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, metadata: { name, namespace: 'web', ...(annotations !== undefined ? { annotations } : {}) }, ...extra,
});
const prepared = (o: KubeObject, k: ResourceKey): PreparedObject => ({ ref: { ...k, version: 'v1' }, key: k, object: o, info: {} as PreparedObject['info'], trackingId: `x:${k.kind}/${k.name}`, pendingKind: false });
function compared(o: KubeObject, k: ResourceKey, live: KubeObject | undefined, changes: ComparedObject['changes'] = []): ComparedObject {
  return { prepared: prepared(o, k), live, inSync: live !== undefined && changes.length === 0, changes, recreate: false };
}

const deployment = obj('Deployment', 'web', { spec: { replicas: 1 } });
const liveDeployment = obj('Deployment', 'web', { spec: { replicas: 2 } });
const update = compared(deployment, key('Deployment', 'web', 'apps'), liveDeployment, [{ path: '/spec/replicas', live: 2, desired: 1 }]);
const create = compared(obj('ConfigMap', 'new'), key('ConfigMap', 'new'), undefined);
const same = compared(obj('ConfigMap', 'same'), key('ConfigMap', 'same'), obj('ConfigMap', 'same'));
const old = { key: key('ConfigMap', 'old'), object: { ...obj('ConfigMap', 'old'), metadata: { name: 'old', namespace: 'web', uid: 'u-old' } } };
const hook = prepared(obj('Job', 'migrate', {}, { 'argocd.argoproj.io/hook': 'PreSync' }), key('Job', 'migrate', 'batch'));

describe('buildPlan', () => {
  it('lists hooks, creations, updates with the changed fields, and prunes, with complete counts', () => {
    const plan = buildPlan('abc', [update, create, same], { prunable: [old] }, [hook]);
    expect(plan.items).toEqual([
      { action: 'hook', group: 'batch', kind: 'Job', namespace: 'web', name: 'migrate', phases: ['PreSync'] },
      { action: 'create', group: '', kind: 'ConfigMap', namespace: 'web', name: 'new' },
      { action: 'update', group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web', paths: ['spec.replicas'] },
      { action: 'prune', group: '', kind: 'ConfigMap', namespace: 'web', name: 'old' },
    ]);
    expect(plan.counts).toEqual({ create: 1, update: 1, prune: 1, hook: 1 });
    expect(plan.revision).toBe('abc');
    expect(plan.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives the same hash for the same plan, whatever the order, and another when Git, the cluster or the revision changes', () => {
    const base = buildPlan('abc', [update, create], { prunable: [old] }, []).hash;
    expect(buildPlan('abc', [create, update], { prunable: [old] }, []).hash).toBe(base);
    expect(buildPlan('abd', [update, create], { prunable: [old] }, []).hash).not.toBe(base);
    const gitChanged = compared(obj('Deployment', 'web', { spec: { replicas: 3 } }), key('Deployment', 'web', 'apps'), liveDeployment, [{ path: '/spec/replicas', live: 2, desired: 3 }]);
    expect(buildPlan('abc', [gitChanged, create], { prunable: [old] }, []).hash).not.toBe(base);
    const clusterChanged = compared(deployment, key('Deployment', 'web', 'apps'), obj('Deployment', 'web', { spec: { replicas: 5 } }), [{ path: '/spec/replicas', live: 5, desired: 1 }]);
    expect(buildPlan('abc', [clusterChanged, create], { prunable: [old] }, []).hash).not.toBe(base);
    const recreatedOld = { ...old, object: { ...old.object, metadata: { ...old.object.metadata, uid: 'u-new' } } };
    expect(buildPlan('abc', [update, create], { prunable: [recreatedOld] }, []).hash).not.toBe(base);
  });

  it(`keeps ${maxPlanItems} items and counts the rest`, () => {
    const many = Array.from({ length: maxPlanItems + 5 }, (_, i) => compared(obj('ConfigMap', `c${String(i).padStart(3, '0')}`), key('ConfigMap', `c${String(i).padStart(3, '0')}`), undefined));
    const plan = buildPlan('abc', many, { prunable: [] }, []);
    expect(plan.items).toHaveLength(maxPlanItems);
    expect(plan.itemsTruncated).toBe(5);
    expect(plan.counts.create).toBe(maxPlanItems + 5);
  });
});
