import { describe, expect, it } from '@jest/globals';
import { DeliveryLog } from './deliveries.js';

describe('DeliveryLog', () => {
  it('knows a recorded delivery until its ttl has passed', () => {
    let now = 0;
    const log = new DeliveryLog({ ttlMs: 10 * 60_000, now: () => now });
    log.record(['github\nabc']);
    expect(log.has(['github\nabc'])).toBe(true);
    expect(log.has(['gitea\nabc'])).toBe(false);
    now = 10 * 60_000 - 1;
    expect(log.has(['other', 'github\nabc'])).toBe(true);
    now = 10 * 60_000;
    expect(log.has(['github\nabc'])).toBe(false);
    expect(log.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the oldest, and costs the same for any key length', () => {
    const log = new DeliveryLog({ maxEntries: 3 });
    log.record(['a', 'b', 'c', 'x'.repeat(100_000)]);
    expect(log.size).toBe(3);
    expect(log.has(['a'])).toBe(false);
    expect(log.has(['b'])).toBe(true);
    expect(log.has(['x'.repeat(100_000)])).toBe(true);
  });

  it('does not renew a delivery seen again', () => {
    let now = 0;
    const log = new DeliveryLog({ ttlMs: 100, now: () => now });
    log.record(['a']);
    now = 90;
    log.record(['a']);
    now = 100;
    expect(log.has(['a'])).toBe(false);
  });
});
