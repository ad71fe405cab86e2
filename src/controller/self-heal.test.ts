import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { decideSync, type DecisionInput } from './decide.js';
import type { Drift } from './drift.js';
import { describeBackoff, describeFight, driftSignature, formatDelay, SelfHealBackoff, type SelfHealState } from './self-heal.js';

const replicas: Drift = { object: 'Deployment/web', missing: false, summary: 'spec.replicas: 2 → 5', paths: ['spec.replicas'], managers: ['hpa-controller'] };
const label: Drift = { object: 'Deployment/web', missing: false, summary: 'metadata.labels.x', paths: ['metadata.labels.x'], managers: ['kubectl-label'] };

const noFight = { waitMs: 0, attempts: 0, delayMs: 0, maxDelayMs: 300_000, newDelay: false };

describe('SelfHealBackoff', () => {
  it('heals a new drift at once; the same drift back right after waits 2 s, then twice as long each time, up to 5 minutes', () => {
    const backoff = new SelfHealBackoff();
    const sig = driftSignature([replicas], []);
    let now = 0;
    expect(backoff.state('capstan/web', sig, now)).toEqual(noFight);
    const delays: number[] = [];
    const newDelays: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      backoff.healed('capstan/web', sig, now);
      // The other writer puts its value back at once: the drift is found again 20 ms later.
      const state = backoff.state('capstan/web', sig, now + 20);
      delays.push(state.delayMs);
      newDelays.push(state.newDelay);
      expect(state).toMatchObject({ attempts: i + 1, waitMs: state.delayMs - 20, maxDelayMs: 300_000 });
      now += state.delayMs;
      expect(backoff.state('capstan/web', sig, now).waitMs).toBe(0);
    }
    expect(delays).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000, 300_000]);
    // A new step each time the delay grows; none once it is capped.
    expect(newDelays).toEqual([true, true, true, true, true, true, true, true, true, false, false, false]);
  });

  it('takes its delays from the options, not from the poll interval', () => {
    const backoff = new SelfHealBackoff({ durationMs: 500, factor: 3, maxMs: 10_000 });
    const sig = driftSignature([replicas], []);
    const delays: number[] = [];
    let now = 0;
    for (let i = 0; i < 5; i++) {
      backoff.healed('capstan/web', sig, now);
      const state = backoff.state('capstan/web', sig, now + 1);
      delays.push(state.delayMs);
      now += state.delayMs;
    }
    expect(delays).toEqual([500, 1_500, 4_500, 10_000, 10_000]);
    // A factor of 1 keeps the delay: a new step only when the fight begins.
    const constant = new SelfHealBackoff({ durationMs: 1_000, factor: 1, maxMs: 1_000 });
    constant.healed('capstan/web', sig, 0);
    expect(constant.state('capstan/web', sig, 1)).toMatchObject({ delayMs: 1_000, newDelay: true });
    constant.healed('capstan/web', sig, 1_000);
    expect(constant.state('capstan/web', sig, 1_001)).toMatchObject({ delayMs: 1_000, newDelay: false });
  });

  it('refuses options that are no backoff', () => {
    expect(() => new SelfHealBackoff({ durationMs: 0 })).toThrow(RangeError);
    expect(() => new SelfHealBackoff({ factor: 0.5 })).toThrow(RangeError);
    expect(() => new SelfHealBackoff({ durationMs: 10_000, maxMs: 5_000 })).toThrow(RangeError);
    expect(() => new SelfHealBackoff({ maxMs: Number.NaN })).toThrow(RangeError);
  });

  it('reconciles that find no drift in between do not end a fight (the other writer has not struck yet)', () => {
    const backoff = new SelfHealBackoff();
    const sig = driftSignature([replicas], []);
    backoff.healed('capstan/web', sig, 0);
    expect(backoff.state('capstan/web', driftSignature([], []), 10).attempts).toBe(0);
    expect(backoff.state('capstan/web', sig, 500)).toEqual({ waitMs: 1_500, attempts: 1, delayMs: 2_000, maxDelayMs: 300_000, newDelay: true });
  });

  it('a different drift is not the same fight, and twice the longest delay without a heal ends it', () => {
    const backoff = new SelfHealBackoff();
    const sig = driftSignature([replicas], []);
    backoff.healed('capstan/web', sig, 0);
    backoff.healed('capstan/web', sig, 2_000);
    expect(backoff.state('capstan/web', sig, 2_100).attempts).toBe(2);
    expect(backoff.state('capstan/web', driftSignature([label], []), 2_100)).toEqual(noFight);
    backoff.healed('capstan/web', sig, 10_000);
    expect(backoff.state('capstan/web', sig, 10_000 + 600_000).attempts).toBe(3);
    expect(backoff.state('capstan/web', sig, 10_000 + 600_001).attempts).toBe(0);
    // Each app has its own.
    backoff.healed('capstan/web', sig, 0);
    expect(backoff.state('capstan/other', sig, 10).attempts).toBe(0);
    backoff.forget('capstan/web');
    expect(backoff.size).toBe(0);
  });

  it('identifies a drift by objects and fields, not by values or order', () => {
    expect(driftSignature([{ ...replicas, summary: 'spec.replicas: 2 → 7' }], [])).toBe(driftSignature([replicas], []));
    expect(driftSignature([label, replicas], [])).toBe(driftSignature([replicas, label], []));
    expect(driftSignature([replicas], ['/ConfigMap/d/old'])).not.toBe(driftSignature([replicas], []));
  });

  it('writes delays as an operator writes them in a flag', () => {
    expect([500, 1_500, 2_000, 59_960, 64_000, 256_000, 300_000, 3_600_000].map(formatDelay)).toEqual(['0.5s', '1.5s', '2s', '1m', '1m4s', '4m16s', '5m', '60m']);
  });
});

describe('decideSync with self-heal backoff', () => {
  const app: Application = {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan' },
    spec: { source: { repoURL: 'r' }, destination: { namespace: 'd' }, syncPolicy: { automated: { selfHeal: true } } },
    status: { operationState: { phase: 'Succeeded', message: 'ok', startedAt: 'now', revision: 'a'.repeat(40), specHash: 'h' } },
  };
  const input = (extra: Partial<DecisionInput>): DecisionInput => ({ app, sha: 'a'.repeat(40), specHash: 'h', outOfSync: true, hasPrunable: false, syncToken: undefined, now: 0, ...extra });

  const fight = (waitMs: number, attempts: number, delayMs: number): SelfHealState => ({ waitMs, attempts, delayMs, maxDelayMs: 300_000, newDelay: true });

  it('heals at once without a fight, waits while one is backed off, and heals when the wait is over', () => {
    expect(decideSync(input({}))).toMatchObject({ sync: true, trigger: 'self-heal' });
    expect(decideSync(input({ selfHeal: noFight }))).toMatchObject({ sync: true, trigger: 'self-heal' });
    const waiting = decideSync(input({ selfHeal: fight(1_500, 1, 2_000) }));
    expect(waiting).toMatchObject({ sync: false, retryInMs: 1_500, fight: { attempts: 1, delayMs: 2_000 } });
    expect(decideSync(input({ selfHeal: fight(0, 3, 8_000) }))).toMatchObject({ sync: true, trigger: 'self-heal' });
  });

  it('never holds back a new revision, a spec change or a requested sync', () => {
    const long = fight(100_000, 7, 128_000);
    expect(decideSync(input({ sha: 'b'.repeat(40), selfHeal: long }))).toMatchObject({ sync: true, trigger: 'automated' });
    expect(decideSync(input({ specHash: 'other', selfHeal: long }))).toMatchObject({ sync: true, trigger: 'automated' });
    expect(decideSync(input({ syncToken: 'now', selfHeal: long }))).toMatchObject({ sync: true, trigger: 'user' });
  });

  it('describes the fight for Ready and for the Event: the fields, who sets them, and how long self-heal waits', () => {
    expect(describeFight([replicas], fight(1, 3, 8_000))).toBe(
      'Deployment/web spec.replicas (set by hpa-controller) changed back after each of the last 3 self-heals: another writer is fighting over these fields; '
      + 'self-heal now waits 8s between attempts (longer after each heal that is undone, up to 5m)',
    );
    expect(describeFight([replicas], fight(1, 12, 300_000))).toMatch(/self-heal now waits 5m between attempts \(the longest\)$/);
    expect(describeBackoff([replicas], fight(1, 1, 2_000))).toBe(
      'self-heal backs off: Deployment/web spec.replicas (set by hpa-controller) changed back after each self-heal; it now waits 2s between attempts (longer after each heal that is undone, up to 5m)',
    );
  });
});
