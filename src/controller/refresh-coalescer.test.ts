import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RefreshCoalescer, type CoalesceOutcome, type FoundRefs, type RefreshBatch } from './refresh-coalescer.js';

const main = 'refs/heads/main';
const sha = (c: string): string => c.repeat(40);
const batch = (reason: string, appKeys = ['capstan/web']): RefreshBatch => ({ appKeys, repoUrls: ['https://git.example.com/acme/apps.git'], reason });

/** A repository whose refs the test moves; each refresh "fetches" them as they are when it runs. */
class World {
  readonly runs: RefreshBatch[] = [];
  readonly outcomes: CoalesceOutcome[] = [];
  refs = new Map<string, string>([[main, sha('a')]]);
  private fetched: FoundRefs = new Map();
  private release: (() => void) | undefined;
  /** When set, each refresh waits until `finishRun()`. */
  slow = false;

  readonly coalescer = new RefreshCoalescer({
    windowMs: 1_000,
    knownForMs: 60_000,
    run: async (b) => {
      this.runs.push(b);
      this.fetched = new Map(this.refs);
      if (this.slow) await new Promise<void>((resolve) => (this.release = resolve));
    },
    found: (_urls, refs) => Promise.resolve(new Map(refs.flatMap((ref) => {
      const at = this.fetched.get(ref);
      return at === undefined ? [] : [[ref, at] as const];
    }))),
    onOutcome: (o) => this.outcomes.push(o),
  });

  finishRun(): void {
    this.release?.();
    this.release = undefined;
  }
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('RefreshCoalescer', () => {
  it('refreshes at once on the first push of a repository', async () => {
    const w = new World();
    await w.coalescer.push('repo', batch('push 1'), { ref: main, revision: sha('a') });
    expect(w.runs.map((r) => r.reason)).toEqual(['push 1']);
    expect(w.outcomes).toEqual(['refreshed']);
  });

  it('costs one refresh for forty pushes of the same commit, during and after the refresh', async () => {
    const w = new World();
    w.slow = true;
    const first = w.coalescer.push('repo', batch('push 0'), { ref: main, revision: sha('a') });
    for (let i = 1; i < 20; i++) await w.coalescer.push('repo', batch(`push ${i}`), { ref: main, revision: sha('a') });
    w.finishRun();
    await first;
    for (let i = 20; i < 40; i++) await w.coalescer.push('repo', batch(`push ${i}`), { ref: main, revision: sha('a') });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(w.runs).toHaveLength(1);
    expect(w.outcomes.filter((o) => o === 'refreshed')).toHaveLength(1);
    expect(w.outcomes.filter((o) => o === 'known')).toHaveLength(20);
  });

  it('refreshes once more at the end of the window for a commit the refresh did not see, with the apps of every merged push', async () => {
    const w = new World();
    w.slow = true;
    const first = w.coalescer.push('repo', batch('push a'), { ref: main, revision: sha('a') });
    // Pushed while the first refresh was already fetching: it saw a, not b.
    w.refs.set(main, sha('b'));
    await w.coalescer.push('repo', batch('push b', ['capstan/api']), { ref: main, revision: sha('b') });
    w.refs.set(main, sha('c'));
    await w.coalescer.push('repo', batch('push c', ['capstan/web']), { ref: main, revision: sha('c') });
    w.finishRun();
    w.slow = false;
    await first;
    expect(w.runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(w.runs).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(w.runs.map((r) => r.reason)).toEqual(['push a', 'push c']);
    expect([...(w.runs[1]?.appKeys ?? [])].sort()).toEqual(['capstan/api', 'capstan/web']);
    expect(w.outcomes).toEqual(['refreshed', 'merged', 'merged']);
  });

  it('refreshes at most once per window however many new commits are pushed', async () => {
    const w = new World();
    for (let i = 0; i < 30; i++) {
      await w.coalescer.push('repo', batch(`push ${i}`), { ref: main, revision: `${i}`.padStart(40, 'f') });
      await jest.advanceTimersByTimeAsync(100);
    }
    // 3 s of pushes every 100 ms: the first at once, then one per window.
    await jest.advanceTimersByTimeAsync(2_000);
    expect(w.runs.length).toBeGreaterThanOrEqual(3);
    expect(w.runs.length).toBeLessThanOrEqual(4);
  });

  it('never drops a push that names no commit: it is refreshed at the end of the window', async () => {
    const w = new World();
    await w.coalescer.push('repo', batch('first'));
    await w.coalescer.push('repo', batch('blind'));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(w.runs.map((r) => r.reason)).toEqual(['first', 'blind']);
  });

  it('refreshes for a ref the last refresh could not resolve (a new branch)', async () => {
    const w = new World();
    await w.coalescer.push('repo', batch('main'), { ref: main, revision: sha('a') });
    w.refs.set('refs/heads/feature', sha('a'));
    await w.coalescer.push('repo', batch('feature'), { ref: 'refs/heads/feature', revision: sha('a') });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(w.runs.map((r) => r.reason)).toEqual(['main', 'feature']);
  });

  it('keeps repositories apart', async () => {
    const w = new World();
    await w.coalescer.push('one', batch('one'), { ref: main, revision: sha('b') });
    await w.coalescer.push('two', batch('two'), { ref: main, revision: sha('b') });
    expect(w.runs.map((r) => r.reason)).toEqual(['one', 'two']);
  });

  it('refreshes again for a known commit once what it found is old, and forgets idle repositories', async () => {
    const w = new World();
    await w.coalescer.push('repo', batch('first'), { ref: main, revision: sha('a') });
    await jest.advanceTimersByTimeAsync(60_001);
    expect(w.coalescer.size).toBe(0);
    await w.coalescer.push('repo', batch('later'), { ref: main, revision: sha('a') });
    expect(w.runs.map((r) => r.reason)).toEqual(['first', 'later']);
  });

  it('rejects the push that started a failed refresh, and reports a failed refresh at the end of a window', async () => {
    const errors: unknown[] = [];
    const coalescer = new RefreshCoalescer({
      windowMs: 1_000,
      run: () => Promise.reject(new Error('queue closed')),
      onError: (err) => errors.push(err),
    });
    await expect(coalescer.push('repo', batch('first'))).rejects.toThrow('queue closed');
    await coalescer.push('repo', batch('second'));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(errors).toHaveLength(1);
  });
});
