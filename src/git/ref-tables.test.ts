import { describe, expect, it } from '@jest/globals';
import { RefTables, type Listing } from './ref-tables.js';

/** A fake ls-remote: each call is recorded and answered when the test says so. */
class FakeRemote {
  readonly calls: { answer: (listing: Listing) => void; startedAfter: number[] }[] = [];
  private answered = 0;
  readonly answeredOrder: number[] = [];

  list = (): Promise<Listing> =>
    new Promise((resolve) => {
      const index = this.calls.length;
      this.calls.push({
        // Which earlier calls were already answered when this one started.
        startedAfter: [...this.answeredOrder],
        answer: (listing) => {
          this.answered += 1;
          this.answeredOrder.push(index);
          resolve(listing);
        },
      });
    });

  answer(index: number, sha = String(index).repeat(40).slice(0, 40)): void {
    this.calls[index]?.answer({ ok: true, refs: new Map([['HEAD', sha]]) });
  }

  get count(): number {
    return this.calls.length;
  }
}

const headOf = (listing: Listing): string => (listing.ok ? (listing.refs.get('HEAD') ?? '') : listing.error.code);
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe('RefTables', () => {
  it('shares one ls-remote among concurrent callers, and reuses its answer while it is young enough', async () => {
    const tables = new RefTables({ failureTtlMs: 1_000, minIntervalMs: 0 });
    const remote = new FakeRemote();
    const asks = Array.from({ length: 10 }, () => tables.get('r', remote.list, { maxAgeMs: 60_000 }));
    remote.answer(0);
    expect((await Promise.all(asks)).map(headOf)).toEqual(Array.from({ length: 10 }, () => '0'.repeat(40)));
    expect(headOf(await tables.get('r', remote.list, { maxAgeMs: 60_000 }))).toBe('0'.repeat(40));
    expect(remote.count).toBe(1);
  });

  it('never detaches a running ls-remote on invalidate: callers from after it share one follow-up that starts once it is done', async () => {
    const tables = new RefTables({ failureTtlMs: 1_000, minIntervalMs: 0 });
    const remote = new FakeRemote();
    const before = tables.get('host/r\nhttps\n', remote.list, { maxAgeMs: 60_000 });
    tables.invalidate('host/r\n');
    const after = [1, 2, 3].map(() => tables.get('host/r\nhttps\n', remote.list, { maxAgeMs: 60_000 }));
    await flush();
    expect(remote.count).toBe(1); // no second ls-remote beside the running one
    remote.answer(0, 'a'.repeat(40));
    expect(headOf(await before)).toBe('a'.repeat(40));
    await until(() => remote.count === 2);
    expect(remote.calls[1]?.startedAfter).toEqual([0]);
    remote.answer(1, 'b'.repeat(40));
    expect((await Promise.all(after)).map(headOf)).toEqual(['b'.repeat(40), 'b'.repeat(40), 'b'.repeat(40)]);
    // The follow-up's answer is the one kept.
    expect(headOf(await tables.get('host/r\nhttps\n', remote.list, { maxAgeMs: 60_000 }))).toBe('b'.repeat(40));
    expect(remote.count).toBe(2);
  });

  it('invalidates every clone key of a repository (any credentials), and no other repository', async () => {
    const tables = new RefTables({ failureTtlMs: 1_000, minIntervalMs: 0 });
    const remote = new FakeRemote();
    for (const key of ['host/r\nhttps\n', 'host/r\nhttps\nabc', 'host/r2\nhttps\n']) {
      const asked = tables.get(key, remote.list, { maxAgeMs: 60_000 });
      remote.answer(remote.count - 1);
      await asked;
    }
    tables.invalidate('host/r\n');
    const again = ['host/r\nhttps\n', 'host/r\nhttps\nabc', 'host/r2\nhttps\n'].map((key) => tables.get(key, remote.list, { maxAgeMs: 60_000 }));
    await flush();
    expect(remote.count).toBe(5);
    remote.answer(3);
    remote.answer(4);
    await Promise.all(again);
  });

  it('lets a burst of forced refreshes start at most one ls-remote per minimum interval', async () => {
    const tables = new RefTables({ failureTtlMs: 1_000, minIntervalMs: 200 });
    const remote = new FakeRemote();
    const first = tables.get('r', remote.list, { maxAgeMs: 0, force: true });
    remote.answer(0);
    await first;
    // Twenty forced refreshes right after: none may reuse the answer from before them, and they share one follow-up.
    const burst = Array.from({ length: 20 }, () => tables.get('r', remote.list, { maxAgeMs: 0, force: true }));
    await flush();
    expect(remote.count).toBe(1);
    await until(() => remote.count === 2);
    remote.answer(1, 'f'.repeat(40));
    expect(new Set((await Promise.all(burst)).map(headOf))).toEqual(new Set(['f'.repeat(40)]));
    expect(remote.count).toBe(2);
  });

  it('reuses a failure for failureTtlMs, unless forced', async () => {
    const tables = new RefTables({ failureTtlMs: 60_000, minIntervalMs: 0 });
    let calls = 0;
    const failing = (): Promise<Listing> => {
      calls += 1;
      return Promise.resolve({ ok: false, error: { code: 'RepoNotFound', message: 'down' } });
    };
    for (let i = 0; i < 5; i++) expect(headOf(await tables.get('r', failing, { maxAgeMs: Infinity }))).toBe('RepoNotFound');
    expect(calls).toBe(1);
    await tables.get('r', failing, { maxAgeMs: Infinity, force: true });
    expect(calls).toBe(2);
  });

  it('forgets keys not retained, but not one whose ls-remote is running', async () => {
    let now = 0;
    const tables = new RefTables({ failureTtlMs: 1_000, minIntervalMs: 0, now: () => now });
    const remote = new FakeRemote();
    const done = tables.get('done', remote.list, { maxAgeMs: 60_000 });
    remote.answer(0);
    await done;
    const running = tables.get('running', remote.list, { maxAgeMs: 60_000 });
    tables.retain(new Set());
    now = 1;
    const again = tables.get('done', remote.list, { maxAgeMs: 60_000 });
    expect(remote.count).toBe(3); // 'done' was forgotten and asks again
    const joined = tables.get('running', remote.list, { maxAgeMs: 60_000 });
    expect(remote.count).toBe(3); // 'running' was kept and is shared
    remote.answer(1);
    remote.answer(2);
    await Promise.all([running, again, joined]);
  });
});
