import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { diffObjects } from './compare.js';
import { ownsPath, walkOwned } from './fields-v1.js';

const capstanFields = {
  'f:metadata': { 'f:annotations': { 'f:capstan.dev/tracking-id': {} }, 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:args': {} } } } },
  },
};

function deployment(options: { image?: string; revision?: string; replicas?: number; resources?: unknown; managers?: KubeObject['metadata']['managedFields'] } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: 'web', namespace: 'ns', labels: { app: 'web' },
      annotations: { 'capstan.dev/tracking-id': 'capstan/web:apps/Deployment:ns/web', ...(options.revision === undefined ? {} : { 'deployment.kubernetes.io/revision': options.revision }) },
      managedFields: options.managers ?? [
        { manager: 'capstan', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: capstanFields },
        { manager: 'kube-controller-manager', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } } },
      ],
    },
    spec: {
      replicas: options.replicas ?? 2,
      template: { spec: { containers: [{ name: 'main', image: options.image ?? 'nginx:1', args: ['a', 'b'], ...(options.resources === undefined ? {} : { resources: options.resources }) }] } },
    },
  };
}

describe('walkOwned / ownsPath', () => {
  const live = deployment();
  it.each<[string, boolean]>([
    ['/spec/replicas', true],
    ['/spec/template/spec/containers/0/image', true],
    ['/spec/template/spec/containers/0/args/1', true],
    ['/spec/template/spec/containers', true],
    ['/spec/template/spec/containers/0/resources', false],
    ['/metadata/annotations/deployment.kubernetes.io~1revision', false],
    ['/metadata/annotations', true],
    ['/spec/paused', false],
  ])('%s owned by capstan: %s', (path, owned) => {
    expect(ownsPath(live, 'capstan', path)).toBe(owned);
  });

  it('follows list elements by merge key', () => {
    expect(walkOwned(capstanFields, live, '/spec/template/spec/containers/0/image')).toEqual({ depth: 6, owned: true });
  });

  it("counts a Secret's stringData as its data", () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', managedFields: [{ manager: 'capstan', operation: 'Apply', fieldsV1: { 'f:stringData': { 'f:password': {} } } }] }, data: { password: 'eA==' } };
    expect(ownsPath(secret, 'capstan', '/data/password')).toBe(true);
    expect(ownsPath(secret, 'capstan', '/data/other')).toBe(false);
  });
});

describe('diffObjects with the manager filter', () => {
  it('ignores a field only another controller sets, even when the dry run started from a newer version', () => {
    // The dry run ran against the object after the deployment controller bumped its revision; the cache still has the older one.
    const predicted = deployment({ revision: '2' });
    const live = deployment({ revision: '1' });
    expect(diffObjects(predicted, live, { manager: 'capstan' })).toEqual({ equal: true, changes: [] });
    expect(diffObjects(predicted, live).equal).toBe(false);
  });

  it('still sees a change of a field Capstan sets, and one the manifest dropped', () => {
    expect(diffObjects(deployment({ replicas: 2 }), deployment({ replicas: 5 }), { manager: 'capstan' }).changes.map((c) => c.path)).toEqual(['/spec/replicas']);
    expect(diffObjects(deployment({ image: 'nginx:2' }), deployment(), { manager: 'capstan' }).changes.map((c) => c.path)).toEqual(['/spec/template/spec/containers/0/image']);
    // Capstan owned `args` in the live object; the new manifest dropped it, so the dry run removed it.
    const predicted = deployment();
    const container = (predicted['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0];
    if (container !== undefined) delete container['args'];
    predicted.metadata.managedFields = [{ manager: 'capstan', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    expect(diffObjects(predicted, deployment(), { manager: 'capstan' }).changes.map((c) => c.path)).toEqual(['/spec/template/spec/containers/0/args']);
  });

  it('leaves out fields owned by the managers ignoreDifferences names', () => {
    const live = deployment({ replicas: 7, managers: [
      { manager: 'capstan', operation: 'Apply', fieldsV1: capstanFields },
      { manager: 'hpa-controller', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ] });
    expect(diffObjects(deployment({ replicas: 2 }), live, { manager: 'capstan', ignore: [{ pointers: [], managers: ['hpa-controller'] }] }).equal).toBe(true);
    expect(diffObjects(deployment({ replicas: 2 }), live, { manager: 'capstan' }).equal).toBe(false);
  });
});
