import { describe, expect, it } from '@jest/globals';
import { SharedCache } from './shared-cache.js';

type Answer = { ok: true; n: number } | { ok: false; n: number };

function setup(maxEntries = 10) {
  let now = 0;
  let loads = 0;
  const cache = new SharedCache<Answer>({ ttlMs: 1000, failureTtlMs: 100, maxEntries, now: () => now });
  const load = (ok = true) => () => {
    loads += 1;
    return Promise.resolve<Answer>({ ok, n: loads });
  };
  return { cache, load, advance: (ms: number) => (now += ms), loads: () => loads };
}

describe('SharedCache', () => {
  it('reuses an answer for its TTL, then loads again', async () => {
    const { cache, load, advance, loads } = setup();
    expect(await cache.get('a', load())).toEqual({ ok: true, n: 1 });
    advance(999);
    expect(await cache.get('a', load())).toEqual({ ok: true, n: 1 });
    advance(1);
    expect(await cache.get('a', load())).toEqual({ ok: true, n: 2 });
    expect(loads()).toBe(2);
  });

  it('reuses a failure only for the failure TTL', async () => {
    const { cache, load, advance } = setup();
    expect(await cache.get('a', load(false))).toEqual({ ok: false, n: 1 });
    advance(99);
    expect(await cache.get('a', load(false))).toEqual({ ok: false, n: 1 });
    advance(1);
    expect(await cache.get('a', load())).toEqual({ ok: true, n: 2 });
  });

  it('runs one load per key at a time, shared by every caller', async () => {
    const { cache } = setup();
    let release: (value: Answer) => void = () => undefined;
    let loads = 0;
    const slow = () => {
      loads += 1;
      return new Promise<Answer>((resolve) => (release = resolve));
    };
    const waiting = [cache.get('a', slow), cache.get('a', slow), cache.get('a', slow, Infinity)];
    release({ ok: true, n: 7 });
    expect(await Promise.all(waiting)).toEqual([{ ok: true, n: 7 }, { ok: true, n: 7 }, { ok: true, n: 7 }]);
    expect(loads).toBe(1);
  });

  it('loads again when an answer from a later load is wanted, or when invalidated', async () => {
    const { cache, load, advance } = setup();
    advance(10);
    await cache.get('a', load());
    // Forced: only a load that started at or after 10 will do; it did.
    expect(await cache.get('a', load(), 10)).toEqual({ ok: true, n: 1 });
    expect(await cache.get('a', load(), 11)).toEqual({ ok: true, n: 2 });
    cache.invalidate((key) => key === 'a');
    expect(await cache.get('a', load())).toEqual({ ok: true, n: 3 });
  });

  it('keeps at most maxEntries keys, dropping the least recently used', async () => {
    const { cache, load, loads } = setup(2);
    await cache.get('a', load());
    await cache.get('b', load());
    await cache.get('a', load());
    await cache.get('c', load());
    expect(cache.size).toBe(2);
    await cache.get('a', load());
    expect(loads()).toBe(3);
    await cache.get('b', load());
    expect(loads()).toBe(4);
  });
});
