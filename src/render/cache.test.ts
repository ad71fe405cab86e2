import { describe, expect, it } from '@jest/globals';
import { RenderCache, renderCacheKey, type RenderSource } from './cache.js';
import type { SerializedRender } from './serialized.js';

const object = (name: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

const result = (name: string): SerializedRender => ({ ok: true, objects: [object(name)], files: [`${name}.yaml`] });

/** What the cache counts for a result: 16 per string plus its length, and 64 for the result. */
const sizeOf = (value: SerializedRender): number =>
  (value.ok ? [...value.objects, ...value.files] : value.errors.flatMap((e) => [e.file, e.message])).reduce((sum, text) => sum + 16 + text.length, 64);

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
    const size = sizeOf(result('a'));
    const cache = new RenderCache({ maxBytes: 2 * size });
    cache.set('a', result('a'));
    cache.set('b', result('b'));
    expect(cache.bytes).toBe(2 * size);
    cache.set('c', result('c'));
    expect([cache.get('a'), cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([undefined, true, true]);
    expect(cache.bytes).toBe(2 * size);
    const huge: SerializedRender = { ok: true, objects: [object('x'.repeat(3 * size))], files: [] };
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
    const failure: SerializedRender = { ok: false, errors: [{ code: 'PathNotFound', file: 'x', message: 'missing' }] };
    cache.set('x', failure);
    expect(cache.get('x')).toEqual(failure);
  });

  it('freezes stored results so no reader can change what the next one gets', () => {
    const cache = new RenderCache();
    const stored = { ok: true as const, objects: [object('a')], files: ['a.yaml'] };
    cache.set('a', stored);
    stored.objects.push(object('later'));
    const cached = cache.get('a');
    if (cached?.ok !== true) throw new Error('expected a cached success');
    expect(() => (cached.objects as string[]).push(object('b'))).toThrow(TypeError);
    expect(cache.get('a')).toEqual(result('a'));
  });
});

describe('renderCacheKey', () => {
  const key = (source: Partial<RenderSource> = {}): string =>
    renderCacheKey({ repository: 'example.com/team/repo', commit: 'abc123', path: 'apps', ...source });

  it('is the same for equivalent paths and options', () => {
    const base = key({ directory: { recurse: false, include: '', exclude: '' } });
    expect(key({ path: './apps/' })).toBe(base);
    expect(key({ directory: {} })).toBe(base);
    expect(key({ path: 'apps/x/..', directory: { exclude: '', include: '' } })).toBe(base);
    expect(key({ path: '' })).toBe(key({ path: '.', directory: {} }));
  });

  it('differs when the repository, commit, path or any option differs', () => {
    const directory = { recurse: true, include: '*.yaml', exclude: 'x' };
    const base = key({ directory });
    const variants = [
      // The same commit of another repository is another render.
      key({ repository: 'example.com/other/repo', directory }),
      key({ commit: 'abc124', directory }),
      key({ path: 'apps2', directory }),
      key({ directory: { ...directory, recurse: false } }),
      key({ directory: { ...directory, include: '*.yml' } }),
      key({ directory: { ...directory, exclude: '' } }),
      // The separators of the key cannot be forged by the values.
      key({ directory: { recurse: true, include: '*.yaml","x', exclude: '' } }),
      key({ repository: 'example.com/team/repo","abc123', commit: '' }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('is stable across calls', () => {
    expect(renderCacheKey({ repository: 'r', commit: 'abc', path: 'a', directory: { include: 'b' } })).toBe('["directory","r","abc","a",false,"b",""]');
  });
});
