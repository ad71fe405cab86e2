import { describe, expect, it } from '@jest/globals';
import { onceKey } from './once.js';
import { nextCommit, synced } from './testing/apps.js';
import type { Application } from '../api/application.js';

const key = (app: Application, oncePer?: string): string =>
  onceKey({ trigger: 'on-sync-succeeded', service: 'slack', recipient: '#deploys', app, ...(oncePer === undefined ? {} : { oncePer }) });

describe('onceKey', () => {
  it('is the same for the same state', () => {
    expect(key(synced('Succeeded'))).toBe(key(synced('Succeeded')));
    expect(key(synced('Succeeded'))).toMatch(/^on-sync-succeeded:slack:%23deploys:/);
  });

  it('does not change when only the health does', () => {
    expect(key(synced('Succeeded', { health: 'Progressing' }))).toBe(key(synced('Succeeded', { health: 'Healthy' })));
  });

  it('is new for a new sync: another revision, another finish, another phase', () => {
    const first = key(synced('Succeeded'));
    expect(key(synced('Succeeded', { revision: nextCommit }))).not.toBe(first);
    expect(key(synced('Succeeded', { finishedAt: '2026-01-01T00:05:00Z' }))).not.toBe(first);
    expect(key(synced('Failed'))).not.toBe(first);
  });

  it('with oncePer, changes only with that field', () => {
    const field = 'app.status.sync.revision';
    expect(key(synced('Succeeded', { finishedAt: '2026-01-01T00:05:00Z' }), field)).toBe(key(synced('Succeeded'), field));
    expect(key(synced('Succeeded', { revision: nextCommit }), field)).not.toBe(key(synced('Succeeded'), field));
  });

  it('differs by trigger, service and recipient, and parts cannot run into each other', () => {
    const app = synced('Succeeded');
    const base = { trigger: 'on-x', service: 'a', recipient: 'b:c', app };
    expect(onceKey(base)).not.toBe(onceKey({ ...base, service: 'a:b', recipient: 'c' }));
    expect(onceKey(base)).not.toBe(onceKey({ ...base, trigger: 'on-y' }));
  });
});
