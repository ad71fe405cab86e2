import { describe, expect, it } from '@jest/globals';
import type { DeliveryOutcome } from './delivery-policy.js';
import { DeliveryQueue, type DeliveryJob, type DeliveryResult } from './delivery-queue.js';
import type { NotificationRequest } from './types.js';

const request: NotificationRequest = { method: 'POST', url: 'http://127.0.0.1:9/hook', headers: {}, body: '{}' };
const policy = { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 };

/** A job and the promise of its result; `retries` collects the failed tries tried again. */
function job(build: DeliveryJob['request'] = () => Promise.resolve({ ok: true, value: request })): { job: DeliveryJob; result: Promise<DeliveryResult>; retries: string[] } {
  const retries: string[] = [];
  let resolve: (r: DeliveryResult) => void = () => undefined;
  const result = new Promise<DeliveryResult>((r) => { resolve = r; });
  return { job: { request: build, done: resolve, retrying: (attempt, _delay, why) => { retries.push(`${attempt}: ${why}`); } }, result, retries };
}

/** A send that answers with each status in turn, then 200. */
function answers(...statuses: number[]): { send: (r: NotificationRequest) => Promise<DeliveryOutcome>; calls: () => number } {
  let calls = 0;
  return {
    send: () => Promise.resolve({ kind: 'answered', status: statuses[calls++] ?? 200 }),
    calls: () => calls,
  };
}

describe('DeliveryQueue', () => {
  it('tries a failing receiver again until it answers 2xx', async () => {
    const receiver = answers(500, 503);
    const queue = new DeliveryQueue({ policy, send: receiver.send });
    const j = job();
    expect(queue.add(j.job)).toBe(true);
    expect(await j.result).toEqual({ delivered: true, attempts: 3 });
    expect(j.retries).toEqual(['1: the receiver answered 500', '2: the receiver answered 503']);
    expect(queue.pending).toBe(0);
  });

  it('gives up after its tries, and at once on an answer that will not change', async () => {
    const failing = new DeliveryQueue({ policy, send: answers(500, 500, 500, 500).send });
    const j = job();
    failing.add(j.job);
    expect(await j.result).toMatchObject({ delivered: false, attempts: 3, reason: expect.stringContaining('gave up after 3 tries') as unknown as string });
    const refusing = new DeliveryQueue({ policy, send: answers(404).send });
    const k = job();
    refusing.add(k.job);
    expect(await k.result).toMatchObject({ delivered: false, attempts: 1, reason: expect.stringContaining('not retried') as unknown as string });
  });

  it('a request that cannot be built is not sent; a Secret that cannot be read is tried again', async () => {
    const receiver = answers();
    const queue = new DeliveryQueue({ policy, send: receiver.send });
    const wrong = job(() => Promise.resolve({ ok: false, error: 'url: Secret capstan-notifications-secret has no key url' }));
    queue.add(wrong.job);
    expect(await wrong.result).toEqual({ delivered: false, attempts: 1, reason: 'url: Secret capstan-notifications-secret has no key url' });
    let reads = 0;
    const flaky = job(() => (++reads === 1 ? Promise.reject(new Error('secrets "x" is forbidden')) : Promise.resolve({ ok: true, value: request })));
    queue.add(flaky.job);
    expect(await flaky.result).toEqual({ delivered: true, attempts: 2 });
    expect(receiver.calls()).toBe(1);
  });

  it('drops what does not fit, and sends nothing once it may not', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => { release = r; });
    const queue = new DeliveryQueue({ policy, maxPending: 1, send: async () => { await held; return { kind: 'answered', status: 200 }; } });
    const first = job();
    expect(queue.add(first.job)).toBe(true);
    expect(queue.add(job().job)).toBe(false);
    release();
    expect(await first.result).toEqual({ delivered: true, attempts: 1 });
    const receiver = answers();
    const gated = new DeliveryQueue({ policy, send: receiver.send, canSend: () => false });
    const j = job();
    gated.add(j.job);
    expect(await j.result).toMatchObject({ delivered: false, attempts: 0 });
    expect(receiver.calls()).toBe(0);
  });
});
