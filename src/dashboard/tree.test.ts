import { describe, expect, it } from '@jest/globals';
import type { ResourceStatus } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import { buildTree } from './tree.js';

const obj = (apiVersion: string, kind: string, name: string, uid: string, owner?: string): KubeObject => ({
  apiVersion, kind, metadata: { name, namespace: 'web', uid, ...(owner !== undefined ? { ownerReferences: [{ apiVersion: 'x', kind: 'y', name: 'z', uid: owner }] } : {}) },
});
const status = (kind: string, name: string, group = 'apps'): ResourceStatus => ({ group, version: 'v1', kind, namespace: 'web', name, status: 'Synced', health: { status: 'Healthy' } });

describe('buildTree', () => {
  it('puts owned objects under their owners, recursively, and keeps managed objects not yet created', () => {
    const deploy = obj('apps/v1', 'Deployment', 'web', 'd1');
    const tree = buildTree(
      [status('Deployment', 'web'), status('ConfigMap', 'settings', '')],
      [deploy],
      [obj('apps/v1', 'ReplicaSet', 'web-1', 'r1', 'd1'), obj('v1', 'Pod', 'web-1-b', 'p2', 'r1'), obj('v1', 'Pod', 'web-1-a', 'p1', 'r1'), obj('v1', 'Pod', 'other', 'p3', 'nobody')],
      (o) => (o.kind === 'Pod' ? { status: 'Progressing', message: 'starting' } : null),
    );
    expect(tree.map((n) => [n.kind, n.name, n.live, n.sync])).toEqual([['Deployment', 'web', true, 'Synced'], ['ConfigMap', 'settings', false, 'Synced']]);
    const rs = tree[0]?.children[0];
    expect([rs?.kind, rs?.name, rs?.managed, rs?.health]).toEqual(['ReplicaSet', 'web-1', false, undefined]);
    expect(rs?.children.map((p) => [p.name, p.health, p.healthMessage])).toEqual([['web-1-a', 'Progressing', 'starting'], ['web-1-b', 'Progressing', 'starting']]);
  });

  it('stops at a cycle of ownerReferences', () => {
    const tree = buildTree([status('Deployment', 'a')], [obj('apps/v1', 'Deployment', 'a', 'u1', 'u2')], [obj('apps/v1', 'ReplicaSet', 'b', 'u2', 'u1'), obj('apps/v1', 'Deployment', 'a', 'u1', 'u2')], () => null);
    expect(tree[0]?.children.map((c) => c.name)).toEqual(['b']);
    expect(tree[0]?.children[0]?.children).toEqual([]);
  });
});
