import { describe, expect, it } from '@jest/globals';
import type { Application } from '../../api/application.js';
import { awaitedConfirmation } from './confirm-prune.js';

const app = (status: Application['status'], deletionTimestamp?: string): Application => ({
  apiVersion: 'capstan.dev/v1alpha1', kind: 'Application', metadata: { name: 'a', namespace: 'capstan', ...(deletionTimestamp !== undefined ? { deletionTimestamp } : {}) },
  spec: { source: { repoURL: 'https://git.example/a.git' }, destination: { namespace: 'a' } }, ...(status !== undefined ? { status } : {}),
});

describe('awaitedConfirmation', () => {
  it('names the prune a running sync waits to have confirmed, or the deletion an app being deleted waits for', () => {
    const waitingFor = 'confirmation to prune ConfigMap/old (Prune=confirm): capstan app confirm-prune a';
    expect(awaitedConfirmation(app({ operationState: { phase: 'Running', message: 'm', startedAt: 't', waitingFor } }))).toBe(waitingFor);
    const message = 'waiting for confirmation to delete ConfigMap/precious (Delete=confirm): capstan app confirm-prune a';
    const ready = { type: 'Ready', status: 'False' as const, reason: 'Deleting', message, lastTransitionTime: 't' };
    expect(awaitedConfirmation(app({ conditions: [ready] }, '2026-12-01T00:00:00Z'))).toBe(message);
    expect(awaitedConfirmation(app({ conditions: [ready] }))).toBeUndefined();
    expect(awaitedConfirmation(app({ operationState: { phase: 'Running', message: 'm', startedAt: 't', waitingFor: 'hook Job/x to complete' } }))).toBeUndefined();
    expect(awaitedConfirmation(app(undefined))).toBeUndefined();
  });
});
