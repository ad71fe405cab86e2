/**
 * The parts of Capstan's operationState that Argo CD's OperationState has no field for, kept in
 * one entry of `operationState.operation.info` (a list of {name, value} strings Argo CD's schema
 * has and its tools show as they are): `capstan.dev/operation`, a JSON object. It is what a
 * running sync resumes from (where it is, the hooks it created, its sync id) and what a finished
 * one is judged by (the spec hash, a retry's time, a termination).
 *
 * The sync token of `capstan app sync` is an entry of its own, `token`, as in the operation
 * field Capstan reads (src/api/operation.ts).
 */
import { operationPhases, type OperationHook, type OperationPhase, type OperationState } from '../api/application.js';
import { isRecord } from '../api/object.js';
import type { ArgoInfo } from './types.js';

export const operationInfoName = 'capstan.dev/operation';
export const tokenInfoName = 'token';

/** The fields of Capstan's OperationState that have no place in Argo CD's. */
export const capstanOnlyOperationFields = [
  'specHash', 'initiatedBy', 'approvedBy', 'planHash', 'nextAttemptAt', 'syncPhase', 'wave', 'waveStartedAt',
  'waitingFor', 'syncId', 'hooks', 'failure', 'terminated',
] as const satisfies readonly (keyof OperationState)[];

export type CapstanOnlyOperation = Partial<Pick<OperationState, (typeof capstanOnlyOperationFields)[number]>> & {
  /** A phase Argo CD does not have (Interrupted, shown to Argo CD as Running). */
  phase?: OperationPhase;
};

/** The info entries of an operationState: the token, and the Capstan-only fields when there are any. */
export function operationInfo(op: OperationState, argoPhase: string): ArgoInfo[] {
  const kept: Record<string, unknown> = {};
  for (const field of capstanOnlyOperationFields) if (op[field] !== undefined) kept[field] = op[field];
  if (op.phase !== argoPhase) kept['phase'] = op.phase;
  return [
    ...(op.syncToken !== undefined ? [{ name: tokenInfoName, value: op.syncToken }] : []),
    ...(Object.keys(kept).length > 0 ? [{ name: operationInfoName, value: JSON.stringify(kept) }] : []),
  ];
}

const stringFields = ['specHash', 'initiatedBy', 'approvedBy', 'planHash', 'nextAttemptAt', 'waveStartedAt', 'waitingFor', 'syncId', 'failure'] as const;
const syncPhases: readonly string[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete'];
const hookStatuses: readonly string[] = ['Running', 'Succeeded', 'Failed'];

function hookOf(value: unknown): OperationHook | undefined {
  if (!isRecord(value)) return undefined;
  const { group, version, kind, namespace, name, uid, phase, wave, status, message } = value;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string' || typeof namespace !== 'string' || typeof name !== 'string') return undefined;
  if (typeof phase !== 'string' || !syncPhases.includes(phase) || typeof wave !== 'number' || typeof status !== 'string' || !hookStatuses.includes(status)) return undefined;
  return {
    group, version, kind, namespace, name, phase: phase as OperationHook['phase'], wave, status: status as OperationHook['status'],
    ...(typeof uid === 'string' ? { uid } : {}), ...(typeof message === 'string' ? { message } : {}),
  };
}

/** The Capstan-only fields read back from the info entries (what is malformed is left out). */
export function readOperationInfo(info: readonly ArgoInfo[] | undefined): { token?: string; kept: CapstanOnlyOperation } {
  const token = info?.find((i) => i.name === tokenInfoName)?.value;
  const raw = info?.find((i) => i.name === operationInfoName)?.value;
  let parsed: unknown;
  try {
    parsed = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const kept: CapstanOnlyOperation = {};
  if (isRecord(parsed)) {
    for (const field of stringFields) {
      const value = parsed[field];
      if (typeof value === 'string') kept[field] = value;
    }
    const { syncPhase, wave, terminated, hooks, phase } = parsed;
    if (typeof syncPhase === 'string' && syncPhases.includes(syncPhase)) kept.syncPhase = syncPhase as OperationState['syncPhase'];
    if (typeof wave === 'number') kept.wave = wave;
    if (typeof terminated === 'boolean') kept.terminated = terminated;
    if (Array.isArray(hooks)) kept.hooks = hooks.map(hookOf).filter((h) => h !== undefined);
    if (typeof phase === 'string' && (operationPhases as readonly string[]).includes(phase)) kept.phase = phase as OperationPhase;
  }
  return { ...(token !== undefined ? { token } : {}), kept };
}
