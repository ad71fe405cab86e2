import { afterEach, describe, it, expect, jest } from '@jest/globals';
import { TerminalError, isTerminalError } from './errors.js';
import { WorkQueue, type ReconcileResult, type Reconciler, type WorkQueueOptions } from './queue.js';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets the queue's promise chains run (native promises are not faked by jest's fake timers). */
async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
  await flush();
}

/** A reconciler whose runs the test finishes by hand, measuring how many run at once. */
class ManualReconciler {
  readonly started: string[] = [];
  readonly signals: AbortSignal[] = [];
  active = 0;
  maxActive = 0;
  maxActiveOfOneKey = 0;
  private readonly activeByKey = new Map<string, number>();
  private readonly pending: { key: string; run: Deferred<ReconcileResult> }[] = [];

  readonly reconcile: Reconciler = (key, signal) => {
    this.started.push(key);
    this.signals.push(signal);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    const ofKey = (this.activeByKey.get(key) ?? 0) + 1;
    this.activeByKey.set(key, ofKey);
    this.maxActiveOfOneKey = Math.max(this.maxActiveOfOneKey, ofKey);
    const run = deferred<ReconcileResult>();
    this.pending.push({ key, run });
    return run.promise.finally(() => {
      this.active--;
      this.activeByKey.set(key, (this.activeByKey.get(key) ?? 1) - 1);
    });
  };

  running(): string[] {
    return this.pending.map((p) => p.key);
  }

  finish(key: string, result: ReconcileResult = {}): void {
    this.take(key).resolve(result);
  }

  fail(key: string, err: unknown): void {
    this.take(key).reject(err);
  }

  private take(key: string): Deferred<ReconcileResult> {
    const index = this.pending.findIndex((p) => p.key === key);
    const entry = this.pending[index];
    if (entry === undefined) throw new Error(`${key} is not running`);
    this.pending.splice(index, 1);
    return entry.run;
  }
}

/** A reconciler that answers from a script per call, recording when each call started. */
function scripted(script: (key: string, call: number) => ReconcileResult | Error): {
  reconcile: Reconciler;
  startedAt: Map<string, number[]>;
} {
  const t0 = performance.now();
  const startedAt = new Map<string, number[]>();
  const reconcile: Reconciler = (key) => {
    const times = startedAt.get(key) ?? [];
    times.push(performance.now() - t0);
    startedAt.set(key, times);
    const answer = script(key, times.length);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { reconcile, startedAt };
}

function recordErrors(): {
  errors: { key: string; err: unknown; retryInMs: number | undefined }[];
  onError: NonNullable<WorkQueueOptions['onError']>;
} {
  const errors: { key: string; err: unknown; retryInMs: number | undefined }[] = [];
  return { errors, onError: (key, err, retryInMs) => errors.push({ key, err, retryInMs }) };
}

const fastBackoff = { baseMs: 100, maxMs: 1000, jitter: 0 };

afterEach(() => {
  jest.useRealTimers();
});

describe('WorkQueue: stingy semantics', () => {
  it('processes a key added several times while waiting once', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 1 });
    queue.add('ns/blocker');
    await flush();
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/a');
    expect(queue.depth).toBe(1);

    r.finish('ns/blocker');
    await flush();
    r.finish('ns/a');
    await queue.idle();
    expect(r.started).toEqual(['ns/blocker', 'ns/a']);
  });

  it('deduplicates a burst of synchronous adds before anything starts', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 4 });
    queue.add('ns/a');
    queue.add('ns/a');
    await flush();
    expect(r.started).toEqual(['ns/a']);
    r.finish('ns/a');
    await queue.idle();
    expect(r.started).toEqual(['ns/a']);
  });

  it('never runs one key twice at once, and runs it exactly once more after adds during a run', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 4 });
    queue.add('ns/a');
    await flush();
    expect(queue.isRunning('ns/a')).toBe(true);

    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/a');
    await flush();
    expect(r.started).toEqual(['ns/a']);
    expect(queue.depth).toBe(0);

    r.finish('ns/a');
    await flush();
    expect(r.started).toEqual(['ns/a', 'ns/a']);
    r.finish('ns/a');
    await queue.idle();

    expect(r.started).toEqual(['ns/a', 'ns/a']);
    expect(r.maxActiveOfOneKey).toBe(1);
    expect(queue.isRunning('ns/a')).toBe(false);
  });

  it('never runs more than `concurrency` reconciles at once', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 3 });
    const keys = Array.from({ length: 10 }, (_, i) => `ns/k${i}`);
    for (const key of keys) queue.add(key);
    await flush();
    expect(r.active).toBe(3);
    expect(queue.depth).toBe(7);

    while (r.running().length > 0) {
      const [oldest] = r.running();
      if (oldest !== undefined) r.finish(oldest);
      await flush();
      expect(r.active).toBeLessThanOrEqual(3);
    }
    await queue.idle();
    expect(r.maxActive).toBe(3);
    expect(r.started).toEqual(keys);
  });

  it('starts keys in the order they became ready', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 1 });
    queue.add('ns/blocker');
    await flush();
    for (const key of ['ns/c', 'ns/a', 'ns/b', 'ns/a']) queue.add(key);
    for (const key of ['ns/blocker', 'ns/c', 'ns/a', 'ns/b']) {
      r.finish(key);
      await flush();
    }
    await queue.idle();
    expect(r.started).toEqual(['ns/blocker', 'ns/c', 'ns/a', 'ns/b']);
  });

  it('orders delayed keys by when their timers fire', async () => {
    jest.useFakeTimers();
    const { reconcile, startedAt } = scripted(() => ({}));
    const order: string[] = [];
    const queue = new WorkQueue(
      (key, signal) => {
        order.push(key);
        return reconcile(key, signal);
      },
      { concurrency: 1 },
    );
    queue.addAfter('ns/z', 30);
    queue.addAfter('ns/y', 10);
    queue.addAfter('ns/x', 20);
    await advance(30);
    expect(order).toEqual(['ns/y', 'ns/x', 'ns/z']);
    expect(startedAt.get('ns/x')).toEqual([20]);
  });

  it('queues a key re-added during its run behind keys already waiting', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 1 });
    queue.add('ns/a');
    await flush();
    queue.add('ns/a');
    queue.add('ns/b');
    r.finish('ns/a');
    await flush();
    r.finish('ns/b');
    await flush();
    r.finish('ns/a');
    await queue.idle();
    expect(r.started).toEqual(['ns/a', 'ns/b', 'ns/a']);
  });

  it('resolves idle() at once when there is nothing to do', async () => {
    const queue = new WorkQueue(() => Promise.resolve({}), { concurrency: 1 });
    await expect(queue.idle()).resolves.toBeUndefined();
  });

  it('rejects a concurrency below one', () => {
    expect(() => new WorkQueue(() => Promise.resolve({}), { concurrency: 0 })).toThrow(RangeError);
    expect(() => new WorkQueue(() => Promise.resolve({}), { concurrency: 1.5 })).toThrow(RangeError);
  });
});

describe('WorkQueue: requeue, retries and delays', () => {
  it('runs a key again after requeueAfterMs', async () => {
    jest.useFakeTimers();
    const { reconcile, startedAt } = scripted((_key, call) => (call === 1 ? { requeueAfterMs: 1000 } : {}));
    const queue = new WorkQueue(reconcile, { concurrency: 1 });
    queue.add('ns/a');
    await advance(999);
    expect(startedAt.get('ns/a')).toEqual([0]);
    await advance(1);
    expect(startedAt.get('ns/a')).toEqual([0, 1000]);
    await advance(60_000);
    expect(startedAt.get('ns/a')).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('retries failures with exponential, capped backoff and resets it after a success', async () => {
    jest.useFakeTimers();
    // Calls 1-7 fail, call 8 succeeds, call 9 fails again.
    const { reconcile, startedAt } = scripted((_key, call) => (call === 8 ? {} : new Error(`boom ${call}`)));
    const { errors, onError } = recordErrors();
    const queue = new WorkQueue(reconcile, { concurrency: 1, backoff: fastBackoff, onError });
    queue.add('ns/a');
    await advance(100 + 200 + 400 + 800 + 1000 + 1000 + 1000);

    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    expect(startedAt.get('ns/a')).toEqual([0, 100, 300, 700, 1500, 2500, 3500, 4500]);
    expect(errors.every((e) => e.key === 'ns/a' && e.err instanceof Error)).toBe(true);

    queue.add('ns/a');
    await advance(0);
    expect(errors.at(-1)?.retryInMs).toBe(100);
    await queue.shutdown();
  });

  it('does not retry a TerminalError until the key is added again, and resets its backoff', async () => {
    jest.useFakeTimers();
    const terminal = new TerminalError('spec is invalid');
    const { reconcile, startedAt } = scripted((_key, call) => (call === 2 ? terminal : new Error('transient')));
    const { errors, onError } = recordErrors();
    const outcomes: string[] = [];
    const queue = new WorkQueue(reconcile, {
      concurrency: 1,
      backoff: fastBackoff,
      onError,
      metrics: { durationMs: (_key, _ms, outcome) => outcomes.push(outcome) },
    });
    queue.add('ns/a');
    await advance(100);
    expect(errors).toEqual([
      { key: 'ns/a', err: new Error('transient'), retryInMs: 100 },
      { key: 'ns/a', err: terminal, retryInMs: undefined },
    ]);
    expect(outcomes).toEqual(['error', 'terminal']);

    await advance(3_600_000);
    expect(startedAt.get('ns/a')).toHaveLength(2);
    expect(jest.getTimerCount()).toBe(0);

    queue.add('ns/a');
    await advance(0);
    expect(startedAt.get('ns/a')).toHaveLength(3);
    expect(errors.at(-1)?.retryInMs).toBe(100);
    await queue.shutdown();
  });

  it('recognises a terminal error by its stable code', () => {
    const foreign = Object.assign(new Error('from another bundle'), { code: 'TERMINAL' });
    expect(isTerminalError(foreign)).toBe(true);
    expect(isTerminalError(new Error('plain'))).toBe(false);
    expect(isTerminalError({ code: 'TERMINAL' })).toBe(false);
    const terminal = new TerminalError('stop', { cause: foreign });
    expect([terminal.code, terminal.name, terminal.cause]).toEqual(['TERMINAL', 'TerminalError', foreign]);
  });

  it('lets the earliest pending addAfter win and never postpones it', async () => {
    jest.useFakeTimers();
    const { reconcile, startedAt } = scripted(() => ({}));
    const queue = new WorkQueue(reconcile, { concurrency: 2 });
    queue.addAfter('ns/later-first', 500);
    queue.addAfter('ns/later-first', 100);
    queue.addAfter('ns/earlier-first', 100);
    queue.addAfter('ns/earlier-first', 500);
    await advance(1000);
    expect(startedAt.get('ns/later-first')).toEqual([100]);
    expect(startedAt.get('ns/earlier-first')).toEqual([100]);
  });

  it('runs an added key now and drops its pending delayed add', async () => {
    jest.useFakeTimers();
    const { reconcile, startedAt } = scripted(() => ({}));
    const queue = new WorkQueue(reconcile, { concurrency: 1 });
    queue.addAfter('ns/a', 500);
    queue.add('ns/a');
    await advance(1000);
    expect(startedAt.get('ns/a')).toEqual([0]);
  });

  it('forget cancels a pending retry and the backoff of the key', async () => {
    jest.useFakeTimers();
    const { reconcile, startedAt } = scripted(() => new Error('boom'));
    const { errors, onError } = recordErrors();
    const queue = new WorkQueue(reconcile, { concurrency: 1, backoff: fastBackoff, onError });
    queue.add('ns/a');
    await advance(100);
    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200]);

    queue.forget('ns/a');
    expect(jest.getTimerCount()).toBe(0);
    await advance(10_000);
    expect(startedAt.get('ns/a')).toHaveLength(2);

    queue.add('ns/a');
    await advance(0);
    expect(errors.map((e) => e.retryInMs)).toEqual([100, 200, 100]);
    await queue.shutdown();
  });

  it('treats a synchronous throw like a rejection and does not leave the key running', async () => {
    jest.useFakeTimers();
    let calls = 0;
    const { errors, onError } = recordErrors();
    const queue = new WorkQueue(
      () => {
        calls++;
        throw new Error('thrown synchronously');
      },
      { concurrency: 1, backoff: fastBackoff, onError },
    );
    queue.add('ns/a');
    await advance(0);
    expect(queue.isRunning('ns/a')).toBe(false);
    expect(errors).toEqual([{ key: 'ns/a', err: new Error('thrown synchronously'), retryInMs: 100 }]);
    await advance(100);
    expect(calls).toBe(2);
    await queue.shutdown();
  });

  it('keeps working when an error or metrics hook throws', async () => {
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, {
      concurrency: 1,
      backoff: fastBackoff,
      onError: () => {
        throw new Error('broken observer');
      },
      metrics: {
        depth: () => {
          throw new Error('broken depth');
        },
        durationMs: () => {
          throw new Error('broken duration');
        },
      },
    });
    queue.add('ns/a');
    queue.add('ns/b');
    await flush();
    r.fail('ns/a', new Error('boom'));
    await flush();
    expect(queue.isRunning('ns/a')).toBe(false);
    expect(r.running()).toEqual(['ns/b']);
    r.finish('ns/b');
    await queue.idle();
    await queue.shutdown();
  });

  it('ignores NaN and negative requeue delays', async () => {
    jest.useFakeTimers();
    const { reconcile, startedAt } = scripted((key) => ({ requeueAfterMs: key === 'ns/nan' ? Number.NaN : -5 }));
    const queue = new WorkQueue(reconcile, { concurrency: 2 });
    queue.add('ns/nan');
    queue.add('ns/negative');
    await advance(10_000);
    expect(startedAt.get('ns/nan')).toHaveLength(1);
    expect(startedAt.get('ns/negative')).toHaveLength(1);
  });
});

describe('WorkQueue: metrics', () => {
  it('reports depth, latency from ready to start, and duration with outcome', async () => {
    jest.useFakeTimers();
    const r = new ManualReconciler();
    const depths: number[] = [];
    const latencies: [string, number][] = [];
    const durations: [string, number, string][] = [];
    const queue = new WorkQueue(r.reconcile, {
      concurrency: 1,
      metrics: {
        depth: (n) => depths.push(n),
        latencyMs: (key, ms) => latencies.push([key, ms]),
        durationMs: (key, ms, outcome) => durations.push([key, ms, outcome]),
      },
    });
    queue.add('ns/x');
    await flush();
    await advance(50);
    queue.add('ns/a');
    await advance(10);
    queue.add('ns/a'); // already waiting: it stays ready since the first add
    await advance(20);
    r.finish('ns/x');
    await flush();
    await advance(5);
    r.finish('ns/a');
    await queue.idle();

    expect(depths).toEqual([1, 0, 1, 0]);
    expect(latencies).toEqual([
      ['ns/x', 0],
      ['ns/a', 30],
    ]);
    expect(durations).toEqual([
      ['ns/x', 80, 'success'],
      ['ns/a', 5, 'success'],
    ]);
  });
});

describe('WorkQueue: shutdown', () => {
  it('waits for in-flight work, drops waiting keys and timers, and ignores later adds', async () => {
    jest.useFakeTimers();
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 1 });
    queue.add('ns/a');
    await flush();
    queue.add('ns/b');
    queue.addAfter('ns/c', 1000);

    let result: boolean | undefined;
    const stopping = queue.shutdown().then((ok) => (result = ok));
    await flush();
    expect(result).toBeUndefined();
    expect(r.signals[0]?.aborted).toBe(false);
    expect(queue.depth).toBe(0);
    expect(jest.getTimerCount()).toBe(0);

    r.finish('ns/a', { requeueAfterMs: 10 });
    await stopping;
    expect(result).toBe(true);

    queue.add('ns/d');
    queue.addAfter('ns/e', 10);
    await advance(2000);
    expect(r.started).toEqual(['ns/a']);
    expect(queue.depth).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    await queue.idle();
  });

  it('aborts the signal of running reconciles when asked and does not retry them', async () => {
    const { errors, onError } = recordErrors();
    const signals: AbortSignal[] = [];
    const queue = new WorkQueue(
      (_key, signal) => {
        signals.push(signal);
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reject(new Error('aborted'));
          });
        });
      },
      { concurrency: 2, onError },
    );
    queue.add('ns/a');
    queue.add('ns/b');
    await flush();
    expect(signals).toHaveLength(2);

    await expect(queue.shutdown({ abortRunning: true })).resolves.toBe(true);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(errors.map((e) => [e.key, e.retryInMs])).toEqual([
      ['ns/a', undefined],
      ['ns/b', undefined],
    ]);
    expect(queue.isRunning('ns/a')).toBe(false);
  });

  it('resolves false when running reconciles outlast the timeout', async () => {
    jest.useFakeTimers();
    const r = new ManualReconciler();
    const queue = new WorkQueue(r.reconcile, { concurrency: 1 });
    queue.add('ns/a');
    await flush();

    const stopping = queue.shutdown({ timeoutMs: 1000 });
    await advance(999);
    expect(queue.isRunning('ns/a')).toBe(true);
    await advance(1);
    await expect(stopping).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);

    // The straggler still finishes cleanly and is not requeued.
    r.finish('ns/a', { requeueAfterMs: 10 });
    await queue.idle();
    expect(queue.isRunning('ns/a')).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves true at once when nothing runs', async () => {
    const queue = new WorkQueue(() => Promise.resolve({}), { concurrency: 1 });
    queue.addAfter('ns/a', 60_000);
    await expect(queue.shutdown({ timeoutMs: 10 })).resolves.toBe(true);
  });
});
