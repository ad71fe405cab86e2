import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../api/object.js';
import { DiffCache, liveHash, objectHash } from './diff-cache.js';

const cm = (data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}, status?: unknown): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', ...extra }, data, ...(status === undefined ? {} : { status }) });

describe('objectHash and liveHash', () => {
  it('do not depend on key order', () => {
    expect(objectHash({ a: 1, b: [1, 2] })).toBe(objectHash({ b: [1, 2], a: 1 }));
    expect(objectHash({ a: 1 })).not.toBe(objectHash({ a: 2 }));
  });

  it('ignore status, resourceVersion and managedFields of a live object, not its spec or metadata', () => {
    const base = liveHash(cm({ k: 'v' }, { resourceVersion: '1' }));
    expect(liveHash(cm({ k: 'v' }, { resourceVersion: '9', managedFields: [{ manager: 'x' }] }, { ready: true }))).toBe(base);
    expect(liveHash(cm({ k: 'w' }, { resourceVersion: '1' }))).not.toBe(base);
    expect(liveHash(cm({ k: 'v' }, { labels: { a: 'b' } }))).not.toBe(base);
    expect(liveHash(undefined)).toBe('absent');
  });
});

describe('DiffCache', () => {
  it('answers only for the same desired and live hashes, and keeps of an app only the objects it still declares', () => {
    const cache = new DiffCache();
    cache.set('ns/app:/ConfigMap:n/a', 'd1', 'l1', cm({}));
    cache.set('ns/app:/ConfigMap:n/b', 'd1', 'l1', cm({}));
    cache.set('ns/other:/ConfigMap:n/a', 'd1', 'l1', cm({}));
    expect(cache.get('ns/app:/ConfigMap:n/a', 'd1', 'l1')).toBeDefined();
    expect(cache.get('ns/app:/ConfigMap:n/a', 'd2', 'l1')).toBeUndefined();
    expect(cache.get('ns/app:/ConfigMap:n/a', 'd1', 'l2')).toBeUndefined();
    cache.retainApp('ns/app', new Set(['ns/app:/ConfigMap:n/a']));
    expect(cache.size).toBe(2);
    cache.forgetApp('ns/app');
    expect(cache.size).toBe(1);
  });
});
