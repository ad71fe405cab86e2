import { describe, expect, it } from '@jest/globals';
import { KubeApiError, KubeConnectionError } from './errors.js';
import { nextRound, retryDelayMs, shortWatchMs, type RoundEnd } from './informer.js';

const gone = new KubeApiError(410, 'Expired', 'too old resource version');
const refused = new KubeConnectionError('connect ECONNREFUSED');

describe('retryDelayMs', () => {
  it('doubles from 1 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});

describe('nextRound', () => {
  it('reopens a watch the server ended normally at once, from the last resourceVersion', () => {
    expect(nextRound({ kind: 'watch-ended', lines: 3, durationMs: 200 }, 4)).toEqual({ relist: false, delayMs: 0, failures: 0 });
    expect(nextRound({ kind: 'watch-ended', lines: 0, durationMs: 300_000 }, 2)).toEqual({ relist: false, delayMs: 0, failures: 0 });
  });

  it('waits with a growing delay before reopening a watch that ended at once with nothing sent', () => {
    const quick: RoundEnd = { kind: 'watch-ended', lines: 0, durationMs: shortWatchMs - 1 };
    const first = nextRound(quick, 0);
    const second = nextRound(quick, first.failures);
    expect(first).toEqual({ relist: false, delayMs: 1_000, failures: 1 });
    expect(second).toEqual({ relist: false, delayMs: 2_000, failures: 2 });
  });

  it('reopens an idle watch at once, without relisting', () => {
    expect(nextRound({ kind: 'watch-idle' }, 2)).toEqual({ relist: false, delayMs: 0, failures: 2 });
  });

  it('relists at once when the watch resourceVersion is too old, with a backoff when that repeats', () => {
    const end: RoundEnd = { kind: 'failed', during: 'watch', lines: 0, error: gone };
    expect(nextRound(end, 0)).toEqual({ relist: true, delayMs: 0, failures: 1 });
    expect(nextRound(end, 1)).toEqual({ relist: true, delayMs: 2_000, failures: 2 });
    // A watch that delivered events before its 410 made progress: at once again.
    expect(nextRound({ ...end, lines: 5 }, 3)).toEqual({ relist: true, delayMs: 0, failures: 1 });
  });

  it('restarts a list that failed with 410 (an expired continue token) after a backoff', () => {
    const end: RoundEnd = { kind: 'failed', during: 'list', lines: 0, error: gone };
    expect(nextRound(end, 0)).toEqual({ relist: true, delayMs: 1_000, failures: 1 });
    expect(nextRound(end, 1)).toEqual({ relist: true, delayMs: 2_000, failures: 2 });
  });

  it('retries a failed watch after a backoff, and relists once it keeps failing', () => {
    const end: RoundEnd = { kind: 'failed', during: 'watch', lines: 0, error: refused };
    expect(nextRound(end, 0)).toEqual({ relist: false, delayMs: 1_000, failures: 1 });
    expect(nextRound(end, 1)).toEqual({ relist: false, delayMs: 2_000, failures: 2 });
    expect(nextRound(end, 2)).toEqual({ relist: true, delayMs: 4_000, failures: 3 });
  });
});
