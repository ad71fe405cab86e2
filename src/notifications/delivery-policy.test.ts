import { describe, expect, it } from '@jest/globals';
import { defaultDeliveryPolicy, isRetryable, nextStep, parseRetryAfter, retryDelayMs } from './delivery-policy.js';

describe('retryDelayMs', () => {
  it('doubles from 1 s and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(retryDelayMs(1000)).toBe(defaultDeliveryPolicy.maxDelayMs);
  });
});

describe('isRetryable', () => {
  it('retries 5xx, 429, 408 and network errors, not other 4xx', () => {
    expect(isRetryable({ kind: 'answered', status: 500 })).toBe(true);
    expect(isRetryable({ kind: 'answered', status: 503 })).toBe(true);
    expect(isRetryable({ kind: 'answered', status: 429 })).toBe(true);
    expect(isRetryable({ kind: 'answered', status: 408 })).toBe(true);
    expect(isRetryable({ kind: 'network-error', message: 'ECONNREFUSED' })).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(isRetryable({ kind: 'answered', status })).toBe(false);
  });
});

describe('nextStep', () => {
  it('is delivered on 2xx', () => {
    expect(nextStep(1, { kind: 'answered', status: 204 })).toEqual({ kind: 'delivered' });
  });

  it('a receiver that answers 500 twice gets the third try', () => {
    expect(nextStep(1, { kind: 'answered', status: 500 })).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(nextStep(2, { kind: 'answered', status: 500 })).toEqual({ kind: 'retry', delayMs: 2000 });
    expect(nextStep(3, { kind: 'answered', status: 200 })).toEqual({ kind: 'delivered' });
  });

  it('gives up after the last try, and at once on a 4xx', () => {
    expect(nextStep(5, { kind: 'network-error', message: 'ECONNRESET' })).toEqual({ kind: 'give-up', reason: 'ECONNRESET; gave up after 5 tries' });
    expect(nextStep(1, { kind: 'answered', status: 404 })).toEqual({ kind: 'give-up', reason: 'the receiver answered 404; not retried' });
  });

  it('waits at least Retry-After, within the cap', () => {
    expect(nextStep(1, { kind: 'answered', status: 429, retryAfterSeconds: 5 })).toEqual({ kind: 'retry', delayMs: 5000 });
    expect(nextStep(1, { kind: 'answered', status: 429, retryAfterSeconds: 3600 })).toEqual({ kind: 'retry', delayMs: 30000 });
  });

  it('follows a custom policy', () => {
    const policy = { initialDelayMs: 10, maxDelayMs: 25, maxAttempts: 3 };
    expect(nextStep(2, { kind: 'answered', status: 502 }, policy)).toEqual({ kind: 'retry', delayMs: 20 });
    expect(nextStep(3, { kind: 'answered', status: 502 }, policy).kind).toBe('give-up');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
