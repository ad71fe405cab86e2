import { describe, expect, it } from '@jest/globals';
import { BodyGate } from './body-gate.js';

describe('BodyGate', () => {
  it('gives places up to maxReaders, and a new request takes the place of the reader idle longest', () => {
    let now = 0;
    const gate = new BodyGate({ maxReaders: 2, maxBytes: 100, now: () => now });
    const a = gate.acquire(10);
    now = 1;
    const b = gate.acquire(10);
    now = 2;
    a?.touch();
    now = 3;
    const c = gate.acquire(10);
    expect(c).toBeDefined();
    expect(b?.signal.aborted).toBe(true);
    expect(a?.signal.aborted).toBe(false);
    expect(gate.readers).toBe(2);
    b?.release();
    expect(gate.readers).toBe(2);
    a?.release();
    a?.release();
    expect(gate.readers).toBe(1);
    expect(gate.bytes).toBe(10);
  });

  it('bounds the bytes reserved, displacing readers until the new body fits', () => {
    const gate = new BodyGate({ maxReaders: 10, maxBytes: 100 });
    const leases = [gate.acquire(40), gate.acquire(40), gate.acquire(10)];
    expect(gate.bytes).toBe(90);
    const big = gate.acquire(60);
    expect(big).toBeDefined();
    expect(leases.map((l) => l?.signal.aborted)).toEqual([true, true, false]);
    expect(gate.bytes).toBe(70);
  });

  it('refuses a body larger than the whole budget', () => {
    const gate = new BodyGate({ maxReaders: 10, maxBytes: 100 });
    expect(gate.acquire(101)).toBeUndefined();
    expect(gate.readers).toBe(0);
  });
});
