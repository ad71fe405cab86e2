import { describe, expect, it } from '@jest/globals';
import { RenderCache, renderCacheKey } from './cache.js';
import type { RenderResult } from './types.js';

const result = (name: string): RenderResult => ({
  ok: true,
  objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }],
  files: [`${name}.yaml`],
});

describe('RenderCache', () => {
  it('returns what was stored, and undefined for unknown keys', () => {
    const cache = new RenderCache();
    cache.set('a', result('a'));
    expect(cache.get('a')).toEqual(result('a'));
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const cache = new RenderCache({ maxEntries: 2 });
    cache.set('a', result('a'));
    cache.set('b', result('b'));
    cache.set('c', result('c'));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(result('b'));
    expect(cache.get('c')).toEqual(result('c'));
    expect(cache.size).toBe(2);
  });

  it('evicts the least recently used entries past maxBytes, and keeps nothing larger than the budget', () => {
    const size = JSON.stringify(result('a')).length;
    const cache = new RenderCache({ maxBytes: 2 * size });
    cache.set('a', result('a'));
    cache.set('b', result('b'));
    expect(cache.bytes).toBe(2 * size);
    cache.set('c', result('c'));
    expect([cache.get('a'), cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([undefined, true, true]);
    expect(cache.bytes).toBe(2 * size);
    const huge: RenderResult = { ok: true, objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x'.repeat(3 * size) } }], files: [] };
    cache.set('huge', huge);
    expect(cache.get('huge')).toBeUndefined();
    cache.delete('b');
    cache.clear();
    expect(cache.bytes).toBe(0);
  });

  it('counts a get, and a set of an existing key, as a use', () => {
    const cache = new RenderCache({ maxEntries: 2 });
    cache.set('a', result('a'));
    cache.set('b', result('b'));
    cache.get('a');
    cache.set('c', result('c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(result('a'));

    cache.set('a', result('a2'));
    cache.set('d', result('d'));
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toEqual(result('a2'));
  });

  it('deletes one entry or all of them', () => {
    const cache = new RenderCache();
    cache.set('a', result('a'));
    cache.set('b', result('b'));
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual(result('b'));
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('caches failures as well as successes', () => {
    const cache = new RenderCache();
    const failure: RenderResult = { ok: false, errors: [{ code: 'PathNotFound', file: 'x', message: 'missing' }] };
    cache.set('x', failure);
    expect(cache.get('x')).toEqual(failure);
  });

  it('freezes stored results so no reader can change what the next one gets', () => {
    const cache = new RenderCache();
    cache.set('a', result('a'));
    const cached = cache.get('a');
    if (cached?.ok !== true) throw new Error('expected a cached success');
    const object = cached.objects[0];
    if (object === undefined) throw new Error('expected an object');
    expect(() => {
      object.metadata.namespace = 'changed';
    }).toThrow(TypeError);
    expect(() => cached.objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } })).toThrow(TypeError);
    expect(cache.get('a')).toEqual(result('a'));
  });
});

describe('renderCacheKey', () => {
  it('is the same for equivalent paths and options', () => {
    const key = renderCacheKey('abc123', 'apps', { recurse: false, include: '', exclude: '' });
    expect(renderCacheKey('abc123', './apps/', undefined)).toBe(key);
    expect(renderCacheKey('abc123', 'apps', {})).toBe(key);
    expect(renderCacheKey('abc123', 'apps/x/..', { exclude: '', include: '' })).toBe(key);
    expect(renderCacheKey('abc123', '', undefined)).toBe(renderCacheKey('abc123', '.', {}));
  });

  it('differs when the commit, path or any option differs', () => {
    const base = renderCacheKey('abc123', 'apps', { recurse: true, include: '*.yaml', exclude: 'x' });
    const variants = [
      renderCacheKey('abc124', 'apps', { recurse: true, include: '*.yaml', exclude: 'x' }),
      renderCacheKey('abc123', 'apps2', { recurse: true, include: '*.yaml', exclude: 'x' }),
      renderCacheKey('abc123', 'apps', { recurse: false, include: '*.yaml', exclude: 'x' }),
      renderCacheKey('abc123', 'apps', { recurse: true, include: '*.yml', exclude: 'x' }),
      renderCacheKey('abc123', 'apps', { recurse: true, include: '*.yaml', exclude: '' }),
      // The separators of the key cannot be forged by the values.
      renderCacheKey('abc123', 'apps', { recurse: true, include: '*.yaml","x', exclude: '' }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('is stable across calls', () => {
    expect(renderCacheKey('abc', 'a', { include: 'b' })).toBe('["directory","abc","a",false,"b",""]');
  });
});
