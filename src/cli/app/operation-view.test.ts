import { describe, expect, it } from '@jest/globals';
import type { OperationState } from '../../api/application.js';
import { nextAttemptText, operationSummary, runningOperationText } from './operation-view.js';

const now = new Date('2026-12-01T00:00:00Z');
const op = (fields: Partial<OperationState>): OperationState => ({ phase: 'Running', message: '', startedAt: '2026-11-30T23:59:00Z', ...fields });

describe('the operation in capstan app get', () => {
  it('says where a running sync is and what it waits for', () => {
    expect(runningOperationText(op({ syncPhase: 'Sync', wave: 2 }))).toBe('Running — Sync wave 2');
    expect(runningOperationText(op({ syncPhase: 'PostSync', wave: 0, waitingFor: 'hook Job/smoke to complete' }))).toBe('Running — PostSync wave 0, waiting for hook Job/smoke to complete');
    expect(runningOperationText(op({}))).toBe('Running — starting');
    expect(runningOperationText(op({ dryRun: true, selected: [{ group: '', kind: 'ConfigMap', name: 'a' }] }))).toBe('Running — starting (dry run, only 1 selected resource)');
    expect(runningOperationText(op({ phase: 'Terminating', message: 'terminating: the running sync was asked to end', syncPhase: 'PreSync', wave: 0 })))
      .toBe('Terminating — terminating: the running sync was asked to end');
    expect(runningOperationText(op({ nextAttemptAt: '2026-12-01T00:00:08Z', retryCount: 1, message: 'retrying attempt #1 at 2026-12-01T00:00:08Z: boom' })))
      .toBe('Running — retrying attempt #1 at 2026-12-01T00:00:08Z: boom');
  });

  it('counts the coming attempt: a Running operation already has, a Failed one has not', () => {
    expect(nextAttemptText(op({ nextAttemptAt: '2026-12-01T00:00:08Z', retryCount: 1 }), now)).toBe('2026-12-01T00:00:08Z, in 8s (retry 1)');
    expect(nextAttemptText(op({ phase: 'Failed', nextAttemptAt: '2026-12-01T00:02:30Z', retryCount: 2 }), now)).toBe('2026-12-01T00:02:30Z, in 2m30s (retry 3)');
    expect(nextAttemptText(op({ phase: 'Failed', nextAttemptAt: '2026-11-30T23:00:00Z' }), now)).toBe('2026-11-30T23:00:00Z, due now (retry 1)');
    expect(nextAttemptText(op({}), now)).toBeUndefined();
  });

  it('puts Operation while it runs, Last Operation once it ended, and Next Attempt when one is due', () => {
    expect(operationSummary(undefined, now)).toEqual([['Last Operation', '<none>']]);
    expect(operationSummary(op({ syncPhase: 'Sync', wave: 0 }), now)).toEqual([['Operation', 'Running — Sync wave 0']]);
    expect(operationSummary(op({ phase: 'Failed', message: 'boom', finishedAt: '2026-11-30T23:59:30Z', nextAttemptAt: '2026-12-01T00:00:05Z' }), now))
      .toEqual([['Last Operation', 'Failed 30s ago: boom'], ['Next Attempt', '2026-12-01T00:00:05Z, in 5s (retry 1)']]);
  });
});
