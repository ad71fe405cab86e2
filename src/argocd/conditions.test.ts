import { describe, expect, it } from '@jest/globals';
import type { Condition } from '../api/application.js';
import { reasons } from '../api/conditions.js';
import { argoConditionTypeOfReason, toArgoConditions } from './conditions.js';
import { argoConditionTypes } from './types.js';

const at = '2026-12-01T10:00:00.000Z';

function condition(type: string, status: Condition['status'], reason: string, message = `${type} ${reason}`): Condition {
  return { type, status, reason, message, lastTransitionTime: at };
}

describe('toArgoConditions', () => {
  it('maps every Capstan reason explicitly, to one of Argo CD\'s condition types or to none', () => {
    const argoTypes: readonly string[] = Object.values(argoConditionTypes);
    for (const reason of Object.values(reasons)) {
      expect(Object.hasOwn(argoConditionTypeOfReason, reason)).toBe(true);
      const type = argoConditionTypeOfReason[reason];
      if (type !== undefined) expect(argoTypes).toContain(type);
    }
  });

  it.each([
    [reasons.invalidSpec, 'InvalidSpecError'],
    [reasons.gitError, 'ComparisonError'],
    [reasons.authenticationFailed, 'ComparisonError'],
    [reasons.renderError, 'ComparisonError'],
    [reasons.clusterUnreachable, 'ComparisonError'],
    [reasons.clusterNotFound, 'InvalidSpecError'],
    [reasons.projectDenied, 'InvalidSpecError'],
    [reasons.syncFailed, 'SyncError'],
    [reasons.retriesExhausted, 'SyncError'],
    [reasons.sharedResource, 'SharedResourceWarning'],
    [reasons.deleteFailed, 'DeletionError'],
    [reasons.statusTooLarge, 'UnknownError'],
    ['SomethingNew', 'UnknownError'],
  ])('Ready=False %s → %s', (reason, type) => {
    expect(toArgoConditions([condition('Ready', 'False', reason, 'what went wrong')])).toEqual([{ type, message: 'what went wrong', lastTransitionTime: at }]);
  });

  it.each([reasons.outOfSync, reasons.progressing, reasons.degraded, reasons.syncWindowClosed, reasons.awaitingApproval])('Ready=False %s is shown by sync, health or operation, not as a condition', (reason) => {
    expect(toArgoConditions([condition('Ready', 'False', reason)])).toEqual([]);
  });

  it('writes nothing for conditions that report no problem', () => {
    expect(toArgoConditions([
      condition('Ready', 'True', reasons.synced),
      condition('Reconciling', 'True', reasons.syncing),
      condition('Reconciling', 'False', reasons.progressing),
      condition('PromotionPending', 'True', reasons.promotionPending),
      condition('Stalled', 'False', reasons.gitError),
    ])).toEqual([]);
  });

  it('writes one condition per Argo CD type, the first (Ready before Stalled)', () => {
    expect(toArgoConditions([
      condition('Ready', 'False', reasons.invalidSpec, 'spec.info is not supported yet'),
      condition('Stalled', 'True', reasons.invalidSpec, 'spec.info is not supported yet (stalled)'),
      condition('OrphanedResourceWarning', 'True', reasons.orphanedResources, '2 orphaned resources'),
      condition('Reconciling', 'True', reasons.retrying, 'the API server answered 503'),
    ])).toEqual([
      { type: 'InvalidSpecError', message: 'spec.info is not supported yet', lastTransitionTime: at },
      { type: 'OrphanedResourceWarning', message: '2 orphaned resources', lastTransitionTime: at },
      { type: 'UnknownError', message: 'the API server answered 503', lastTransitionTime: at },
    ]);
  });
});
