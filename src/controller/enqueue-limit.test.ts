import { describe, expect, it } from '@jest/globals';
import { EnqueueLimiter } from './enqueue-limit.js';
import { WorkQueue } from './queue.js';

/** A limiter on a manual clock: timers run when the test moves the clock past them. */
function manual() {
  const clock = { now: 0 };
  const enqueued: { key: string; at: number }[] = [];
  let timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const limiter = new EnqueueLimiter((key) => enqueued.push({ key, at: clock.now }), {
    now: () => clock.now,
    schedule: (fn, ms) => {
      const timer = { at: clock.now + ms, fn, cancelled: false };
      timers.push(timer);
      return () => { timer.cancelled = true; };
    },
  });
  const advance = (to: number): void => {
    for (;;) {
      const next = timers.filter((t) => !t.cancelled && t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (next === undefined) break;
      timers = timers.filter((t) => t !== next);
      clock.now = next.at;
      next.fn();
    }
    clock.now = to;
  };
  return { limiter, enqueued, advance, pendingTimers: () => timers.filter((t) => !t.cancelled).length };
}

describe('EnqueueLimiter', () => {
  it('enqueues the first event at once, and coalesces the rest of the second into one enqueue at its end', () => {
    const { limiter, enqueued, advance } = manual();
    limiter.add('capstan/a');
    for (let t = 10; t < 1_000; t += 10) {
      advance(t);
      limiter.add('capstan/a');
    }
    advance(5_000);
    expect(enqueued).toEqual([{ key: 'capstan/a', at: 0 }, { key: 'capstan/a', at: 1_000 }]);
  });

  it('at most one enqueue per second per key, however many events; other keys are not held back', () => {
    const { limiter, enqueued, advance } = manual();
    // A fight: 3 events every 25 ms for 3 s.
    for (let t = 0; t < 3_000; t += 25) {
      advance(t);
      for (let i = 0; i < 3; i++) limiter.add('capstan/a');
    }
    limiter.add('capstan/b');
    advance(10_000);
    expect(enqueued.filter((e) => e.key === 'capstan/a').map((e) => e.at)).toEqual([0, 1_000, 2_000, 3_000]);
    expect(enqueued.filter((e) => e.key === 'capstan/b')).toEqual([{ key: 'capstan/b', at: 2_975 }]);
  });

  it('an event after the one that was enqueued is never lost, whatever the queue does with it', () => {
    const { limiter, enqueued, advance } = manual();
    limiter.add('capstan/a');
    advance(100);
    limiter.add('capstan/a');
    advance(500);
    limiter.add('capstan/a');
    advance(999);
    expect(enqueued.map((e) => e.at)).toEqual([0]);
    advance(1_000);
    expect(enqueued.map((e) => e.at)).toEqual([0, 1_000]);
  });

  it('with a real queue, the last event leads to a reconcile that starts after it', async () => {
    const started: number[] = [];
    const queue = new WorkQueue(() => {
      started.push(performance.now());
      return Promise.resolve({});
    }, { concurrency: 1 });
    const limiter = new EnqueueLimiter((key) => { queue.add(key); }, { periodMs: 200 });
    limiter.add('capstan/a');
    // While the first reconcile waits or runs, more events.
    limiter.add('capstan/a');
    await queue.idle();
    limiter.add('capstan/a');
    const lastEvent = performance.now();
    const deadline = performance.now() + 10_000;
    while (!started.some((t) => t >= lastEvent) && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(started.some((t) => t >= lastEvent)).toBe(true);
    await queue.shutdown();
  });

  it('forgets keys whose period is over once it remembers many, and a forgotten key loses its pending enqueue', () => {
    const { limiter, enqueued, advance, pendingTimers } = manual();
    for (let i = 0; i < 1_500; i++) limiter.add(`k${i}`);
    advance(5_000);
    limiter.add('late');
    expect(limiter.size).toBe(1);
    limiter.add('late');
    expect(pendingTimers()).toBe(1);
    limiter.forget('late');
    expect(pendingTimers()).toBe(0);
    advance(10_000);
    expect(enqueued.filter((e) => e.key === 'late')).toHaveLength(1);
  });
});
