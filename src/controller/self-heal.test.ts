import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { decideSync, type DecisionInput } from './decide.js';
import type { Drift } from './drift.js';
import { describeFight, driftSignature, SelfHealBackoff } from './self-heal.js';

const interval = 180_000;
const replicas: Drift = { object: 'Deployment/web', missing: false, summary: 'spec.replicas: 2 → 5', paths: ['spec.replicas'], managers: ['hpa-controller'] };
const label: Drift = { object: 'Deployment/web', missing: false, summary: 'metadata.labels.x', paths: ['metadata.labels.x'], managers: ['kubectl-label'] };

describe('SelfHealBackoff', () => {
  it('heals a new drift at once; the same drift back right after waits 5 s, then twice as long each time, up to the interval', () => {
    const backoff = new SelfHealBackoff();
    const sig = driftSignature([replicas], []);
    let now = 0;
    expect(backoff.state('capstan/web', sig, now, interval)).toEqual({ waitMs: 0, attempts: 0, delayMs: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      backoff.healed('capstan/web', sig, now, interval);
      // The other writer puts its value back at once: the drift is found again 20 ms later.
      const state = backoff.state('capstan/web', sig, now + 20, interval);
      delays.push(state.delayMs);
      expect(state.waitMs).toBe(state.delayMs - 20);
      now += state.delayMs;
      expect(backoff.state('capstan/web', sig, now, interval).waitMs).toBe(0);
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 180_000, 180_000, 180_000, 180_000]);
  });

  it('reconciles that find no drift in between do not end a fight (the other writer has not struck yet)', () => {
    const backoff = new SelfHealBackoff();
    const sig = driftSignature([replicas], []);
    backoff.healed('capstan/web', sig, 0, interval);
    expect(backoff.state('capstan/web', driftSignature([], []), 10, interval).attempts).toBe(0);
    expect(backoff.state('capstan/web', sig, 1_000, interval)).toEqual({ waitMs: 4_000, attempts: 1, delayMs: 5_000 });
  });

  it('a different drift is not the same fight, and two quiet intervals end it', () => {
    const backoff = new SelfHealBackoff();
    const sig = driftSignature([replicas], []);
    backoff.healed('capstan/web', sig, 0, interval);
    backoff.healed('capstan/web', sig, 5_000, interval);
    expect(backoff.state('capstan/web', sig, 5_100, interval).attempts).toBe(2);
    expect(backoff.state('capstan/web', driftSignature([label], []), 5_100, interval)).toEqual({ waitMs: 0, attempts: 0, delayMs: 0 });
    backoff.healed('capstan/web', sig, 10_000, interval);
    expect(backoff.state('capstan/web', sig, 10_000 + 2 * interval + 1, interval).attempts).toBe(0);
    // Each app has its own.
    backoff.healed('capstan/web', sig, 0, interval);
    expect(backoff.state('capstan/other', sig, 10, interval).attempts).toBe(0);
    backoff.forget('capstan/web');
    expect(backoff.size).toBe(0);
  });

  it('identifies a drift by objects and fields, not by values or order', () => {
    expect(driftSignature([{ ...replicas, summary: 'spec.replicas: 2 → 7' }], [])).toBe(driftSignature([replicas], []));
    expect(driftSignature([label, replicas], [])).toBe(driftSignature([replicas, label], []));
    expect(driftSignature([replicas], ['/ConfigMap/d/old'])).not.toBe(driftSignature([replicas], []));
  });
});

describe('decideSync with self-heal backoff', () => {
  const app: Application = {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'capstan' },
    spec: { source: { repoURL: 'r' }, destination: { namespace: 'd' }, syncPolicy: { automated: { selfHeal: true } } },
    status: { operationState: { phase: 'Succeeded', message: 'ok', startedAt: 'now', revision: 'a'.repeat(40), specHash: 'h' } },
  };
  const input = (extra: Partial<DecisionInput>): DecisionInput => ({ app, sha: 'a'.repeat(40), specHash: 'h', outOfSync: true, hasPrunable: false, syncToken: undefined, now: 0, ...extra });

  it('heals at once without a fight, waits while one is backed off, and heals when the wait is over', () => {
    expect(decideSync(input({}))).toMatchObject({ sync: true, trigger: 'self-heal' });
    expect(decideSync(input({ selfHeal: { waitMs: 0, attempts: 0, delayMs: 0 } }))).toMatchObject({ sync: true, trigger: 'self-heal' });
    const waiting = decideSync(input({ selfHeal: { waitMs: 4_000, attempts: 1, delayMs: 5_000 } }));
    expect(waiting).toMatchObject({ sync: false, retryInMs: 4_000, fight: { attempts: 1, delayMs: 5_000 } });
    expect(decideSync(input({ selfHeal: { waitMs: 0, attempts: 3, delayMs: 20_000 } }))).toMatchObject({ sync: true, trigger: 'self-heal' });
  });

  it('never holds back a new revision, a spec change or a requested sync', () => {
    const fight = { waitMs: 100_000, attempts: 5, delayMs: 80_000 };
    expect(decideSync(input({ sha: 'b'.repeat(40), selfHeal: fight }))).toMatchObject({ sync: true, trigger: 'automated' });
    expect(decideSync(input({ specHash: 'other', selfHeal: fight }))).toMatchObject({ sync: true, trigger: 'automated' });
    expect(decideSync(input({ syncToken: 'now', selfHeal: fight }))).toMatchObject({ sync: true, trigger: 'user' });
  });

  it('describes the fight: the fields, who sets them, and how long self-heal waits', () => {
    expect(describeFight([replicas], { waitMs: 1, attempts: 3, delayMs: 20_000 })).toBe(
      'Deployment/web spec.replicas (set by hpa-controller) changed back after each of the last 3 self-heals: another writer is fighting over these fields; self-heal now waits 20s between attempts',
    );
  });
});
