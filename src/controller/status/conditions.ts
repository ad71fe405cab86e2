import type { Condition } from '../../api/application.js';
import { conditionTypes } from '../../api/conditions.js';

export interface ConditionInput {
  readonly type: string;
  readonly status: Condition['status'];
  readonly reason: string;
  readonly message: string;
}

/**
 * The new condition list: `desired` conditions, keeping lastTransitionTime of a condition whose
 * status did not change. Reconciling and Stalled appear only while True (DESIGN.md §6.5).
 */
export function mergeConditions(previous: readonly Condition[] | undefined, desired: readonly ConditionInput[], now: string): Condition[] {
  const byType = new Map((previous ?? []).map((c) => [c.type, c]));
  const onlyWhileTrue = new Set<string>([conditionTypes.reconciling, conditionTypes.stalled, conditionTypes.orphanedResourceWarning]);
  return desired
    .filter((c) => !(onlyWhileTrue.has(c.type) && c.status !== 'True'))
    .map((c) => {
      const before = byType.get(c.type);
      const lastTransitionTime = before !== undefined && before.status === c.status ? before.lastTransitionTime : now;
      return { type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime };
    });
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
