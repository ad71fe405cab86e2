import { isRecord } from '../api/object.js';
import { numberAt, recordsAt, stringAt } from './fields.js';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** One entry of `status.conditions`, narrowed from untyped JSON. */
export interface StatusCondition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
}

/** Narrows a list of conditions; entries without a `type` are dropped, an odd status reads as Unknown. */
export function parseConditions(list: unknown): StatusCondition[] {
  if (!Array.isArray(list)) return [];
  const conditions: StatusCondition[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const type = stringAt(entry, 'type');
    if (type === undefined || type === '') continue;
    const status = stringAt(entry, 'status');
    const observedGeneration = numberAt(entry, 'observedGeneration');
    conditions.push({
      type,
      status: status === 'True' || status === 'False' ? status : 'Unknown',
      reason: stringAt(entry, 'reason') ?? '',
      message: stringAt(entry, 'message') ?? '',
      ...(observedGeneration === undefined ? {} : { observedGeneration }),
    });
  }
  return conditions;
}

/** The object's `status.conditions`. */
export function statusConditions(obj: unknown): StatusCondition[] {
  return parseConditions(recordsAt(obj, 'status', 'conditions'));
}

export function findCondition(conditions: readonly StatusCondition[], type: string): StatusCondition | undefined {
  return conditions.find((c) => c.type === type);
}

/** True when the condition of that type is present with status True. */
export function hasTrueCondition(conditions: readonly StatusCondition[], type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** 'Reason: message', or whichever of the two is set, or the fallback. */
export function describeCondition(condition: StatusCondition, fallback: string): string {
  if (condition.reason !== '' && condition.message !== '') return `${condition.reason}: ${condition.message}`;
  if (condition.message !== '') return condition.message;
  if (condition.reason !== '') return condition.reason;
  return fallback;
}
