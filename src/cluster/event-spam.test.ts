import { describe, expect, it } from '@jest/globals';
import { EventSpamFilter } from './event-spam.js';

describe('EventSpamFilter', () => {
  it('lets a burst of 25 through per key, then one per 5 minutes', () => {
    const clock = { now: 0 };
    const filter = new EventSpamFilter({ now: () => clock.now });
    const sent = Array.from({ length: 100 }, () => filter.allow('app|SyncFailed')).filter(Boolean).length;
    expect(sent).toBe(25);
    clock.now += 299_000;
    expect(filter.allow('app|SyncFailed')).toBe(false);
    clock.now += 1_000;
    expect(filter.allow('app|SyncFailed')).toBe(true);
    expect(filter.allow('app|SyncFailed')).toBe(false);
    // Another key has its own bucket.
    expect(filter.allow('app|Synced')).toBe(true);
  });

  it('a fight of 117 syncs in 3 s sends at most the burst', () => {
    const clock = { now: 0 };
    const filter = new EventSpamFilter({ now: () => clock.now });
    let sent = 0;
    for (let i = 0; i < 117; i++) {
      clock.now += 25;
      for (const reason of ['SyncStarted', 'DriftCorrected', 'Synced']) if (filter.allow(`app|${reason}`)) sent++;
    }
    expect(sent).toBe(75);
  });

  it('refills over a quiet period up to the burst, no further', () => {
    const clock = { now: 0 };
    const filter = new EventSpamFilter({ burst: 2, refillMs: 1_000, now: () => clock.now });
    expect([filter.allow('k'), filter.allow('k'), filter.allow('k')]).toEqual([true, true, false]);
    clock.now += 1_000_000;
    expect([filter.allow('k'), filter.allow('k'), filter.allow('k')]).toEqual([true, true, false]);
  });

  it('remembers at most maxKeys keys, the least recently used forgotten first', () => {
    const filter = new EventSpamFilter({ burst: 1, maxKeys: 3, now: () => 0 });
    for (const k of ['a', 'b', 'c']) filter.allow(k);
    expect(filter.allow('a')).toBe(false);
    filter.allow('d');
    expect(filter.size).toBe(3);
    // 'b' was the least recently used: forgotten, so it has a full bucket again.
    expect(filter.allow('b')).toBe(true);
    expect(filter.allow('a')).toBe(false);
  });
});
