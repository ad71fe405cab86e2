import { describe, expect, it } from '@jest/globals';
import { Reachability } from './reachability.js';

function subject(answers: boolean[]) {
  const clock = { now: 1_000 };
  let probes = 0;
  const reachability = new Reachability(() => {
    probes += 1;
    return answers.shift() === true ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443'));
  }, () => clock.now, 10_000);
  return { reachability, clock, probes: () => probes };
}

describe('Reachability', () => {
  it('probes a cluster it has not heard from, then trusts answers for a while', async () => {
    const { reachability, clock, probes } = subject([true]);
    expect(reachability.state.reachable).toBeUndefined();
    expect(await reachability.check()).toBeUndefined();
    clock.now += 5_000;
    expect(await reachability.check()).toBeUndefined();
    expect(probes()).toBe(1);
  });

  it('answers to ordinary requests keep it reachable without probes', async () => {
    const { reachability, clock, probes } = subject([]);
    reachability.observe(200);
    clock.now += 9_000;
    reachability.observe(404);
    clock.now += 9_000;
    expect(await reachability.check()).toBeUndefined();
    expect(probes()).toBe(0);
  });

  it('a failed connection makes it suspect: the next use probes, and a failed probe says why', async () => {
    const { reachability, probes } = subject([false, true]);
    reachability.observe(200);
    reachability.observe(0);
    expect(await reachability.check()).toContain('ECONNREFUSED');
    expect(reachability.state).toEqual({ reachable: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(await reachability.check()).toBeUndefined();
    expect(reachability.state.reachable).toBe(true);
    expect(probes()).toBe(2);
  });

  it('a gateway answering for an absent server is no answer from the cluster', async () => {
    const { reachability } = subject([false]);
    reachability.observe(503);
    expect(await reachability.check()).toBeDefined();
  });

  it('concurrent checks share one probe', async () => {
    const { reachability, probes } = subject([true, true]);
    await Promise.all([reachability.check(), reachability.check(), reachability.check()]);
    expect(probes()).toBe(1);
  });
});
