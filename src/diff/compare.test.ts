import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import type { KubeObject } from '../api/object.js';
import { diffObjects, redactedValue } from './compare.js';
import { ignoreRulesFor } from './ignore.js';

function fixture(name: string): KubeObject {
  return yaml.load(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as KubeObject;
}

function configMap(fields: Record<string, unknown>, metadata: KubeObject['metadata'] = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'ns', ...metadata }, ...fields };
}

function deployment(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns' }, spec };
}

const containers = (...images: string[]) => ({
  template: { spec: { containers: images.map((image, i) => ({ name: `c${String(i)}`, image })) } },
});

describe('diffObjects', () => {
  it.each<[string, KubeObject, KubeObject, { path: string; live: unknown; desired: unknown }[]]>([
    ['scalar change', deployment({ replicas: 5 }), deployment({ replicas: 3 }), [{ path: '/spec/replicas', live: 3, desired: 5 }]],
    ['added field', deployment({ replicas: 3, paused: true }), deployment({ replicas: 3 }), [{ path: '/spec/paused', live: undefined, desired: true }]],
    ['removed field', deployment({}), deployment({ replicas: 3 }), [{ path: '/spec/replicas', live: 3, desired: undefined }]],
    [
      'array element change',
      deployment(containers('a:1', 'b:1', 'c:2')),
      deployment(containers('a:1', 'b:1', 'c:1')),
      [{ path: '/spec/template/spec/containers/2/image', live: 'c:1', desired: 'c:2' }],
    ],
    [
      'array length change',
      deployment({ args: ['a', 'b', 'c'] }),
      deployment({ args: ['a', 'b'] }),
      [{ path: '/spec/args', live: ['a', 'b'], desired: ['a', 'b', 'c'] }],
    ],
    ['type change', deployment({ x: [1] }), deployment({ x: { 0: 1 } }), [{ path: '/spec/x', live: { 0: 1 }, desired: [1] }]],
    ['null is not absent', deployment({ x: null }), deployment({}), [{ path: '/spec/x', live: undefined, desired: null }]],
    ['string is not number', deployment({ x: '3' }), deployment({ x: 3 }), [{ path: '/spec/x', live: 3, desired: '3' }]],
    [
      'keys with / and ~ are escaped in the path',
      configMap({}, { annotations: { 'capstan.dev/sync-wave': '2', 'a~b': 'x' } }),
      configMap({}, { annotations: { 'capstan.dev/sync-wave': '1', 'a~b': 'x' } }),
      [{ path: '/metadata/annotations/capstan.dev~1sync-wave', live: '1', desired: '2' }],
    ],
  ])('%s', (_case, predicted, live, changes) => {
    const diff = diffObjects(predicted, live);
    expect(diff.changes).toEqual(changes);
    expect(diff.equal).toBe(false);
  });

  it('reports several changes in path order', () => {
    const diff = diffObjects(deployment({ replicas: 5, paused: true, minReadySeconds: 1 }), deployment({ replicas: 3 }));
    expect(diff.changes.map((c) => c.path)).toEqual(['/spec/minReadySeconds', '/spec/paused', '/spec/replicas']);
  });

  it('finds equal objects equal regardless of key order', () => {
    const a = deployment({ replicas: 3, selector: { matchLabels: { app: 'web', tier: 'front' } } });
    const b = deployment({ selector: { matchLabels: { tier: 'front', app: 'web' } }, replicas: 3 });
    expect(diffObjects(a, b)).toEqual({ equal: true, changes: [] });
  });

  it('treats absent labels and annotations as equal to empty maps', () => {
    expect(diffObjects(configMap({}), configMap({}, { labels: {}, annotations: {} })).equal).toBe(true);
    expect(diffObjects(configMap({}, { labels: {} }), configMap({})).equal).toBe(true);
  });

  it('treats an absent map elsewhere as different from an empty one', () => {
    expect(diffObjects(configMap({ data: {} }), configMap({})).changes).toEqual([{ path: '/data', live: undefined, desired: {} }]);
  });

  it('ignores server-owned metadata and status: the dry-run fixture differs from live only in what the apply changes', () => {
    const diff = diffObjects(fixture('deployment-predicted.yaml'), fixture('deployment-live.yaml'));
    expect(diff.changes).toEqual([
      { path: '/spec/replicas', live: 3, desired: 5 },
      { path: '/spec/template/spec/containers/0/image', live: 'nginx:1.25', desired: 'nginx:1.26' },
    ]);
  });

  it('leaves out ignored pointers on both sides', () => {
    const ignore = ignoreRulesFor({ group: 'apps', kind: 'Deployment', namespace: 'guestbook', name: 'web' }, [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);
    const diff = diffObjects(fixture('deployment-predicted.yaml'), fixture('deployment-live.yaml'), { ignore });
    expect(diff.changes.map((c) => c.path)).toEqual(['/spec/template/spec/containers/0/image']);
  });

  it('finds objects equal once every difference is ignored', () => {
    const diff = diffObjects(deployment({ replicas: 5, paused: true }), deployment({ replicas: 3 }), {
      ignore: [{ pointers: ['/spec/replicas'] }, { pointers: ['/spec/paused'] }],
    });
    expect(diff).toEqual({ equal: true, changes: [] });
  });

  describe('Secrets', () => {
    const secret = (fields: Record<string, unknown>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns' },
      ...fields,
    });

    it('compares desired stringData with the live data it becomes', () => {
      const live = secret({ data: { password: Buffer.from('hunter2').toString('base64') } });
      expect(diffObjects(secret({ stringData: { password: 'hunter2' } }), live).equal).toBe(true);
    });

    it('redacts changed values', () => {
      const diff = diffObjects(
        secret({ stringData: { password: 'new-secret' }, type: 'Opaque' }),
        secret({ data: { password: Buffer.from('old-secret').toString('base64') }, type: 'kubernetes.io/basic-auth' }),
      );
      expect(diff.changes).toEqual([
        { path: '/data/password', live: redactedValue, desired: redactedValue },
        { path: '/type', live: 'kubernetes.io/basic-auth', desired: 'Opaque' },
      ]);
    });

    it('redacts a whole data map key by key', () => {
      const diff = diffObjects(secret({ data: { a: 'eA==', b: 'eQ==' } }), secret({}));
      expect(diff.changes).toEqual([{ path: '/data', live: undefined, desired: { a: redactedValue, b: redactedValue } }]);
      expect(JSON.stringify(diff)).not.toContain('eA==');
    });
  });

  it('leaves its inputs alone', () => {
    const predicted = fixture('deployment-predicted.yaml');
    const live = fixture('deployment-live.yaml');
    const before = structuredClone([predicted, live]);
    diffObjects(predicted, live, { ignore: [{ pointers: ['/spec/replicas'] }] });
    expect([predicted, live]).toEqual(before);
  });
});
