import { describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import type { KubeObject } from '../../api/object.js';
import { countLoopTurns } from '../../render/testing/loop-turns.js';
import { FakeCluster } from '../testing/fake-cluster.js';
import { kindsDeclaredByCrds, prepareObjects } from './prepare.js';

const app: Application = {
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'ops', namespace: 'capstan' },
  spec: { source: { repoURL: 'file:///r' }, destination: { namespace: 'ops' } },
};

const crd = (scope: 'Namespaced' | 'Cluster'): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope, names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true }, { name: 'v0', served: false }] },
});
const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

describe('prepareObjects', () => {
  it('places, labels and tracks each object', async () => {
    const result = await prepareObjects(new FakeCluster().kindResolver, app, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value[0]?.object.metadata).toEqual({
      name: 'c', namespace: 'ops', labels: { 'app.capstan.dev/managed-by': 'capstan' }, annotations: { 'capstan.dev/tracking-id': 'capstan/ops:/ConfigMap:ops/c' },
    });
    expect(result.value[0]?.pendingKind).toBe(false);
  });

  it('takes a kind its own CRD declares as pending, with the scope and plural of that CRD', async () => {
    const namespaced = await prepareObjects(new FakeCluster().kindResolver, app, [crd('Namespaced'), widget]);
    if (!namespaced.ok) throw new Error(namespaced.error.message);
    expect(namespaced.value[1]).toMatchObject({ pendingKind: true, key: { group: 'example.com', kind: 'Widget', namespace: 'ops', name: 'w' }, info: { plural: 'widgets', namespaced: true } });
    const cluster = await prepareObjects(new FakeCluster().kindResolver, app, [crd('Cluster'), widget]);
    if (!cluster.ok) throw new Error(cluster.error.message);
    expect(cluster.value[1]?.key.namespace).toBe('');
  });

  it('refuses a kind nobody declares (nothing applied), unless the object skips the dry run for it', async () => {
    const refused = await prepareObjects(new FakeCluster().kindResolver, app, [widget]);
    expect(refused).toMatchObject({ ok: false, error: { reason: 'UnknownKind' } });
    const skipping = { ...widget, metadata: { name: 'w', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } } };
    const accepted = await prepareObjects(new FakeCluster().kindResolver, app, [skipping]);
    expect(accepted).toMatchObject({ ok: true, value: [{ pendingKind: true }] });
  });

  it('refuses a version the CRD does not serve', () => {
    expect([...kindsDeclaredByCrds([crd('Namespaced')]).keys()]).toEqual(['example.com/v1/Widget']);
  });

  it('refuses sync and compare options Capstan does not implement, naming the object', async () => {
    const odd = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'capstan.dev/sync-options': 'Frobnicate=true' } } };
    const result = await prepareObjects(new FakeCluster().kindResolver, app, [odd]);
    expect(result).toMatchObject({ ok: false, error: { reason: 'InvalidObject' } });
    if (!result.ok) expect(result.error.message).toContain('ConfigMap/c: Frobnicate is not a sync option Capstan supports');
  });

  it('declares no kind whose plural, group or version could not be an API path', () => {
    const hostile = (spec: Record<string, unknown>): KubeObject => {
      const base = crd('Namespaced');
      return { ...base, spec: { ...(base['spec'] as Record<string, unknown>), ...spec } };
    };
    expect(kindsDeclaredByCrds([hostile({ names: { kind: 'Widget', plural: '../secrets' } })]).size).toBe(0);
    expect(kindsDeclaredByCrds([hostile({ names: { kind: 'Wid/get', plural: 'widgets' } })]).size).toBe(0);
    expect(kindsDeclaredByCrds([hostile({ group: 'example.com/../api' })]).size).toBe(0);
    expect(kindsDeclaredByCrds([hostile({ versions: [{ name: 'v1/../..', served: true }] })]).size).toBe(0);
  });

  it('copies only the top level and metadata of what it places, and leaves the rendered object as it was', async () => {
    const source: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: 'b' } }, data: { k: 'v' } };
    const before = structuredClone(source);
    const result = await prepareObjects(new FakeCluster().kindResolver, app, [source]);
    if (!result.ok) throw new Error(result.error.message);
    expect(source).toEqual(before);
    expect(result.value[0]?.object['data']).toBe(source['data']);
  });

  it('prepares thousands of objects in slices, keeping the thread free for other work', async () => {
    const objects: KubeObject[] = Array.from({ length: 20_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` }, data: { k: 'v'.repeat(100) } }));
    const turns = countLoopTurns();
    const result = await prepareObjects(new FakeCluster().kindResolver, app, objects);
    const yielded = turns.stop();
    expect(result.ok && result.value.length).toBe(20_000);
    // Done in one go (some 300 ms here) the loop would not turn once; sliced, it turns at least
    // once every 10 ms of work.
    expect(yielded).toBeGreaterThanOrEqual(3);
  });
});
