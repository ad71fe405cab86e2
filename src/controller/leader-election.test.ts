import { describe, expect, it } from '@jest/globals';
import { decideLease, LeadershipWindow, type LeaseSpec } from './leader-election.js';

const now = new Date('2026-12-01T10:00:00.250Z');
const input = { identity: 'me', now, leaseDurationMs: 15_000, unchangedForMs: 0 };
const theirs: LeaseSpec = {
  holderIdentity: 'them', leaseDurationSeconds: 15, acquireTime: '2026-12-01T09:00:00.000000Z',
  renewTime: '2026-12-01T09:59:58.000000Z', leaseTransitions: 3,
};

describe('decideLease', () => {
  it('creates a missing lease, held by this candidate', () => {
    expect(decideLease(undefined, input)).toEqual({
      kind: 'create',
      spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2026-12-01T10:00:00.250000Z', renewTime: '2026-12-01T10:00:00.250000Z', leaseTransitions: 0 },
    });
  });

  it('leaves a lease another replica renewed within the lease duration alone', () => {
    expect(decideLease(theirs, { ...input, unchangedForMs: 15_000 })).toEqual({ kind: 'held', holder: 'them' });
  });

  it('takes over a lease unchanged for longer than its duration, as a new transition', () => {
    expect(decideLease(theirs, { ...input, unchangedForMs: 15_001 })).toEqual({
      kind: 'update',
      spec: { ...theirs, holderIdentity: 'me', acquireTime: '2026-12-01T10:00:00.250000Z', renewTime: '2026-12-01T10:00:00.250000Z', leaseTransitions: 4 },
    });
  });

  it('takes over a released lease at once', () => {
    expect(decideLease({ ...theirs, holderIdentity: '' }, input).kind).toBe('update');
  });

  it('renews its own lease without a new acquire time or transition', () => {
    const mine = { ...theirs, holderIdentity: 'me' };
    expect(decideLease(mine, { ...input, unchangedForMs: 60_000 })).toEqual({
      kind: 'update', spec: { ...mine, renewTime: '2026-12-01T10:00:00.250000Z' },
    });
  });
});

describe('LeadershipWindow', () => {
  function windowAt(start: number): { window: LeadershipWindow; clock: { t: number } } {
    const clock = { t: start };
    return { window: new LeadershipWindow(10_000, () => clock.t), clock };
  }

  it('is not valid before the first renewal', () => {
    const { window } = windowAt(1_000);
    expect(window.valid).toBe(false);
    expect(window.remainingMs).toBe(0);
  });

  it('lasts the renew deadline from when the renewal was sent, not from when it was answered', () => {
    const { window, clock } = windowAt(1_000);
    // Sent at 1 s, answered at 7 s.
    clock.t = 7_000;
    window.renewed(1_000);
    expect(window.valid).toBe(true);
    expect(window.remainingMs).toBe(4_000);
    clock.t = 10_999;
    expect(window.valid).toBe(true);
    clock.t = 11_000;
    expect(window.valid).toBe(false);
  });

  it('ends at the deadline whether or not a renewal is still waiting for an answer', () => {
    const { window, clock } = windowAt(0);
    window.renewed(0);
    // A renewal sent at 2 s that never answers changes nothing.
    clock.t = 10_000;
    expect(window.valid).toBe(false);
  });

  it('is extended by a later renewal, never shortened by an earlier one answering late', () => {
    const { window, clock } = windowAt(0);
    window.renewed(5_000);
    window.renewed(2_000);
    clock.t = 14_000;
    expect(window.valid).toBe(true);
    expect(window.deadlineAt).toBe(15_000);
  });

  it('stays over once ended, whatever answers afterwards', () => {
    const { window } = windowAt(0);
    window.renewed(0);
    window.end();
    window.renewed(0);
    expect(window.valid).toBe(false);
  });
});
