import { describe, expect, it } from '@jest/globals';
import type { AppClient } from '../cli/app/client.js';
import { sameSecret, sessionTtlMs, SessionStore } from './sessions.js';

const client = {} as AppClient;

describe('SessionStore', () => {
  it('ends a session after its lifetime, closing its client once', () => {
    let now = 0;
    const closed: AppClient[] = [];
    const store = new SessionStore((c) => closed.push(c), () => now);
    const id = store.create('alice', client);
    expect(store.get(id)?.user).toBe('alice');
    expect(store.get('other')).toBeUndefined();
    now = sessionTtlMs + 1;
    expect(store.get(id)).toBeUndefined();
    expect(store.get(id)).toBeUndefined();
    expect(closed).toHaveLength(1);
  });

  it('ends a session on sign-out', () => {
    const store = new SessionStore(() => undefined);
    const id = store.create('bob', client);
    store.end(id);
    expect(store.get(id)).toBeUndefined();
  });
});

describe('sameSecret', () => {
  it('compares whole secrets', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'a')).toBe(false);
  });
});
