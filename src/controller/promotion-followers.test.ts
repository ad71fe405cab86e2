import { describe, expect, it } from '@jest/globals';
import type { Application, ApplicationStatus } from '../api/application.js';
import { PromotionFollowers, promotionStateChanged } from './promotion-followers.js';

function app(name: string, follows?: string, status: ApplicationStatus = {}): Application {
  return {
    apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name, namespace: 'team' },
    spec: { source: { repoURL: 'https://git.example/r.git' }, destination: { namespace: name }, ...(follows === undefined ? {} : { promotion: { after: { application: follows } } }) },
    status,
  };
}

describe('PromotionFollowers', () => {
  it('knows the followers of an app, across changes and deletions of the followers', () => {
    const followers = new PromotionFollowers();
    followers.update('team/prod', app('prod', 'stage'));
    followers.update('team/prod-eu', app('prod-eu', 'stage'));
    followers.update('team/stage', app('stage'));
    expect(followers.followersOf('team/stage').sort()).toEqual(['team/prod', 'team/prod-eu']);
    followers.update('team/prod-eu', app('prod-eu', 'prod'));
    expect(followers.followersOf('team/stage')).toEqual(['team/prod']);
    expect(followers.followersOf('team/prod')).toEqual(['team/prod-eu']);
    followers.update('team/prod', undefined);
    expect(followers.followersOf('team/stage')).toEqual([]);
  });
});

describe('promotionStateChanged', () => {
  const healthy: ApplicationStatus = { sync: { status: 'Synced', revision: 'a' }, health: { status: 'Healthy' }, conditions: [{ type: 'Ready', status: 'True', reason: 'Synced', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] };
  it('is true for what a follower reads, false for the rest of the status', () => {
    expect(promotionStateChanged(app('stage', undefined, healthy), app('stage', undefined, { ...healthy, reconciledAt: 'x' }))).toBe(false);
    expect(promotionStateChanged(app('stage', undefined, { ...healthy, health: { status: 'Degraded' } }), app('stage', undefined, healthy))).toBe(true);
    expect(promotionStateChanged(app('stage', undefined, { ...healthy, sync: { status: 'Synced', revision: 'b' } }), app('stage', undefined, healthy))).toBe(true);
    expect(promotionStateChanged(app('stage', undefined, healthy), undefined)).toBe(true);
  });
});
