import { describe, expect, it } from '@jest/globals';
import type { Application, ApplicationStatus } from '../api/application.js';
import { PromotionClock, promotionTarget } from './promotion.js';

const t0 = Date.parse('2026-12-01T10:00:00Z');
const prod = (deployed?: string, repoURL = 'https://git.example/r.git'): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'prod', namespace: 'team' },
  spec: { source: { repoURL, path: 'prod' }, destination: {}, promotion: { after: { application: 'stage', healthyFor: '20s' } } },
  ...(deployed !== undefined ? { status: { history: [{ id: 1, revision: deployed, deployedAt: '2026-12-01T09:00:00Z', initiatedBy: 'automated' }] } } : {}),
});
const stage = (status: ApplicationStatus, repoURL = 'https://git.example/r.git'): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'stage', namespace: 'team' },
  spec: { source: { repoURL, path: 'stage' }, destination: {} }, status,
});
const healthyAt = (revision: string, readySince = '2026-12-01T09:59:00Z'): ApplicationStatus => ({
  sync: { status: 'Synced', revision }, health: { status: 'Healthy' },
  conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: '', lastTransitionTime: readySince }],
});

describe('promotionTarget', () => {
  it('promotes a revision only once the followed app has been Synced and Healthy at it for healthyFor', () => {
    const clock = new PromotionClock();
    const waiting = promotionTarget(prod('old'), stage(healthyAt('new')), clock, t0);
    expect(waiting).toMatchObject({ kind: 'wait', revision: 'old', retryInMs: 20_000 });
    expect(waiting?.kind === 'wait' ? waiting.message : '').toBe('revision new waits until 2026-12-01T10:00:20.000Z: team/stage has been Synced and Healthy at it since 2026-12-01T10:00:00.000Z, and must be for 20s');
    expect(promotionTarget(prod('old'), stage(healthyAt('new')), clock, t0 + 19_999)?.kind).toBe('wait');
    expect(promotionTarget(prod('old'), stage(healthyAt('new')), clock, t0 + 20_000)).toEqual({ kind: 'promote', revision: 'new' });
  });

  it('waits while the followed app is Degraded, OutOfSync or syncing, and starts the clock again after', () => {
    const clock = new PromotionClock();
    expect(promotionTarget(prod('old'), stage(healthyAt('new')), clock, t0)?.kind).toBe('wait');
    const degraded = promotionTarget(prod('old'), stage({ ...healthyAt('new'), health: { status: 'Degraded' } }), clock, t0 + 10_000);
    expect(degraded).toMatchObject({ kind: 'wait', revision: 'old', message: 'waits for team/stage to be Synced and Healthy (it is Synced and Degraded at new)' });
    // Healthy again: 20 s from now, not from the first time.
    expect(promotionTarget(prod('old'), stage(healthyAt('new')), clock, t0 + 25_000)?.kind).toBe('wait');
    expect(promotionTarget(prod('old'), stage(healthyAt('new')), clock, t0 + 45_000)?.kind).toBe('promote');
  });

  it('counts from the later of first sight and the Ready transition', () => {
    const clock = new PromotionClock();
    expect(promotionTarget(prod('old'), stage(healthyAt('new', '2026-12-01T10:00:10Z')), clock, t0)?.kind).toBe('wait');
    expect(promotionTarget(prod('old'), stage(healthyAt('new', '2026-12-01T10:00:10Z')), clock, t0 + 20_000)?.kind).toBe('wait');
    expect(promotionTarget(prod('old'), stage(healthyAt('new', '2026-12-01T10:00:10Z')), clock, t0 + 30_000)?.kind).toBe('promote');
  });

  it('has nothing to stay at before a first deploy, refuses another repository, and waits for a missing app', () => {
    const clock = new PromotionClock();
    expect(promotionTarget(prod(), stage(healthyAt('new')), clock, t0)).toMatchObject({ kind: 'wait', revision: undefined });
    expect(promotionTarget(prod('old'), stage(healthyAt('new'), 'https://git.example/other.git'), clock, t0)?.kind).toBe('invalid');
    expect(promotionTarget(prod('old'), undefined, clock, t0)).toMatchObject({ kind: 'wait', message: 'follows Application team/stage, which does not exist' });
  });
});
