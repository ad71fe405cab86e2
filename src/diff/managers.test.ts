import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { managersOfChanges } from './managers.js';

const live: KubeObject = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web',
    managedFields: [
      { manager: 'capstan', operation: 'Apply', time: '2026-01-01T00:00:00Z', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:template': {} } } },
      { manager: 'kubectl-edit', operation: 'Update', time: '2026-01-01T00:01:00Z', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', time: '2026-01-01T00:02:00Z', fieldsV1: { 'f:status': { 'f:replicas': {} } } },
    ],
  },
};

describe('managersOfChanges', () => {
  it('names the manager that owns the changed field', () => {
    expect(managersOfChanges(live, [{ path: '/spec/replicas', live: 5, desired: 2 }], 'capstan')).toEqual(['kubectl-edit']);
  });

  it('never names the excepted manager, and falls back to the latest update', () => {
    expect(managersOfChanges(live, [{ path: '/metadata/labels/app', live: 'x', desired: 'web' }], 'capstan')).toEqual(['kube-controller-manager']);
  });

  it('collects the owners of several changes', () => {
    const changes = [{ path: '/spec/replicas', live: 5, desired: 2 }, { path: '/status/replicas', live: 5, desired: 2 }];
    expect(managersOfChanges(live, changes, 'capstan')).toEqual(['kube-controller-manager', 'kubectl-edit']);
  });

  it('returns nothing when the object has no managed fields', () => {
    expect(managersOfChanges({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, [{ path: '/data/a', live: '1', desired: '2' }], 'capstan')).toEqual([]);
  });
});
