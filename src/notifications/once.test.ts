import { describe, expect, it } from '@jest/globals';
import { outcomeOf, slotKey, syncRunning } from './once.js';
import { nextCommit, synced } from './testing/apps.js';

describe('slotKey', () => {
  it('differs by trigger, condition, service and recipient, and parts cannot run into each other', () => {
    const base = { trigger: 'on-x', condition: 0, service: 'a', recipient: 'b:c' };
    expect(slotKey(base)).toBe('on-x:0:a:b%3Ac');
    expect(slotKey(base)).not.toBe(slotKey({ ...base, service: 'a:b', recipient: 'c' }));
    expect(slotKey(base)).not.toBe(slotKey({ ...base, trigger: 'on-y' }));
    expect(slotKey(base)).not.toBe(slotKey({ ...base, condition: 1 }));
  });
});

describe('outcomeOf', () => {
  it('without oncePer is the same for every state: the trigger fires once while it holds', () => {
    expect(outcomeOf(synced('Succeeded'))).toBe('');
    expect(outcomeOf(synced('Succeeded', { revision: nextCommit }))).toBe('');
  });

  it('with oncePer, changes only with that field', () => {
    const field = 'app.status.operationState.revision';
    expect(outcomeOf(synced('Succeeded', { finishedAt: '2026-01-01T00:05:00Z' }), field)).toBe(outcomeOf(synced('Succeeded'), field));
    expect(outcomeOf(synced('Succeeded', { revision: nextCommit }), field)).toBe(nextCommit);
    expect(outcomeOf(synced('Succeeded', { health: 'Degraded' }), field)).toBe(outcomeOf(synced('Succeeded'), field));
  });

  it('of a missing field is empty', () => {
    expect(outcomeOf(synced('Succeeded'), 'app.status.plan.hash')).toBe('');
  });
});

describe('syncRunning', () => {
  it('holds only while the operation runs', () => {
    expect(syncRunning(synced('Running'))).toBe(true);
    expect(syncRunning(synced('Failed'))).toBe(false);
  });
});
