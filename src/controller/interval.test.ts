import { describe, expect, it } from '@jest/globals';
import type { Application } from '../api/application.js';
import { intervalOf, RaisedIntervals, raisedInterval } from './interval.js';

const app = (interval?: string): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan' },
  spec: { source: { repoURL: 'https://git.example/r.git' }, destination: { namespace: 'd' }, ...(interval !== undefined ? { interval } : {}) },
});

describe('intervalOf with a controller-wide floor', () => {
  it('polls an app with a shorter interval at the floor, and leaves longer ones alone', () => {
    expect(intervalOf(app('1s'), 180_000, 10_000)).toBe(10_000);
    expect(intervalOf(app('500ms'), 180_000, 10_000)).toBe(10_000);
    expect(intervalOf(app('30s'), 180_000, 10_000)).toBe(30_000);
    expect(intervalOf(app(), 180_000, 10_000)).toBe(180_000);
    // A test controller may lower the floor; one second is the least.
    expect(intervalOf(app('2s'), 180_000, 1_000)).toBe(2_000);
    expect(intervalOf(app('100ms'), 180_000, 0)).toBe(1_000);
  });

  it('names the interval the floor raises, so that it can be reported', () => {
    expect(raisedInterval(app('1s'), 10_000)).toBe('1s');
    expect(raisedInterval(app('10s'), 10_000)).toBeUndefined();
    expect(raisedInterval(app(), 10_000)).toBeUndefined();
  });

  it('tells each app once per raised interval', () => {
    const told = new RaisedIntervals();
    expect(told.firstTime('capstan/a', '1s')).toBe(true);
    expect(told.firstTime('capstan/a', '1s')).toBe(false);
    expect(told.firstTime('capstan/b', '1s')).toBe(true);
    expect(told.firstTime('capstan/a', '2s')).toBe(true);
    told.forget('capstan/a');
    expect(told.firstTime('capstan/a', '2s')).toBe(true);
  });
});
