import { describe, expect, it } from '@jest/globals';
import { EnqueueLimiter } from './enqueue-limit.js';
import { WorkQueue } from './queue.js';

function recorder() {
  const clock = { now: 0 };
  const calls: { key: string; at: number; delayMs: number }[] = [];
  const target = {
    add: (key: string) => { calls.push({ key, at: clock.now, delayMs: 0 }); },
    addAfter: (key: string, delayMs: number) => { calls.push({ key, at: clock.now, delayMs }); },
  };
  return { clock, calls, limiter: new EnqueueLimiter(target, { now: () => clock.now }) };
}

describe('EnqueueLimiter', () => {
  it('enqueues the first event at once, and coalesces the rest of the second into one enqueue at its end', () => {
    const { clock, calls, limiter } = recorder();
    limiter.add('capstan/a');
    for (let t = 10; t < 1_000; t += 10) {
      clock.now = t;
      limiter.add('capstan/a');
    }
    expect(calls).toEqual([{ key: 'capstan/a', at: 0, delayMs: 0 }, { key: 'capstan/a', at: 10, delayMs: 990 }]);
  });

  it('at most one enqueue per second per key, however many events; other keys are not held back', () => {
    const { clock, calls, limiter } = recorder();
    // A fight: 3 events every 25 ms for 3 s.
    for (let t = 0; t < 3_000; t += 25) {
      clock.now = t;
      for (let i = 0; i < 3; i++) limiter.add('capstan/a');
    }
    limiter.add('capstan/b');
    const a = calls.filter((c) => c.key === 'capstan/a').map((c) => c.at + c.delayMs);
    expect(a).toEqual([0, 1_000, 2_000, 3_000]);
    expect(calls.filter((c) => c.key === 'capstan/b')).toEqual([{ key: 'capstan/b', at: 2_975, delayMs: 0 }]);
  });

  it('never drops the last event: with a real queue, a reconcile starts after it', async () => {
    const started: number[] = [];
    const queue = new WorkQueue(() => {
      started.push(performance.now());
      return Promise.resolve({});
    }, { concurrency: 1 });
    const limiter = new EnqueueLimiter(queue, { periodMs: 200 });
    limiter.add('capstan/a');
    await queue.idle();
    limiter.add('capstan/a');
    const lastEvent = performance.now();
    const deadline = performance.now() + 10_000;
    while (started.length < 2 && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(2);
    expect(started[1]).toBeGreaterThanOrEqual(lastEvent);
    await queue.shutdown();
  });

  it('forgets keys whose period is over once it remembers many', () => {
    const { clock, limiter } = recorder();
    for (let i = 0; i < 1_500; i++) limiter.add(`k${i}`);
    clock.now = 5_000;
    limiter.add('late');
    expect(limiter.size).toBe(1);
  });
});
