import type {
  Application, ApplicationStatus, Condition, OperationState, ResourceStatus, SyncStatusCode,
} from '../../api/application.js';
import { conditionTypes, reasons } from '../../api/conditions.js';
import { worstHealth, type HealthAssessment } from '../../api/health.js';
import { formatResourceKey, versionOf } from '../../api/object.js';
import { describeDrift, driftOf } from '../drift.js';
import { assessHealth } from '../../health/registry.js';
import { syncWave } from '../../sync/options.js';
import type { ComparedObject } from '../steps/compare.js';
import type { LiveView } from '../steps/live.js';
import type { SyncOutcome } from '../steps/sync.js';
import { mergeConditions, type ConditionInput } from './conditions.js';
import { appendHistory } from './history.js';
import { boundResources } from './resources.js';

export interface StatusInput {
  readonly app: Application;
  readonly sha: string;
  readonly compared: readonly ComparedObject[];
  readonly view: LiveView;
  readonly outcome: SyncOutcome | undefined;
  readonly operation: Omit<OperationState, 'phase' | 'message' | 'finishedAt' | 'resources'> | undefined;
  readonly now: string;
  readonly maxResources: number;
}

export interface BuiltStatus {
  readonly status: ApplicationStatus;
  readonly syncStatus: SyncStatusCode;
  readonly health: HealthAssessment;
  /** Objects that differ from Git after this reconcile, with what differs. */
  readonly drifted: string[];
}

function resourceStatuses(input: StatusInput): { list: ResourceStatus[]; health: HealthAssessment[]; drifted: string[] } {
  const { compared, view, outcome } = input;
  const list: ResourceStatus[] = [];
  const health: HealthAssessment[] = [];
  const drifted: string[] = [];
  for (const c of compared) {
    const id = formatResourceKey(c.prepared.key);
    const applied = outcome?.applied.get(id);
    const synced = c.inSync || applied !== undefined;
    const current = applied ?? c.live;
    const h: HealthAssessment = current === undefined ? { status: 'Missing', message: 'does not exist' } : (assessHealth(current) ?? { status: 'Healthy' });
    health.push(h);
    if (!synced) {
      const [d] = driftOf([c]);
      if (d !== undefined) drifted.push(describeDrift(d));
    }
    list.push({
      ...c.prepared.key, version: versionOf(c.prepared.object.apiVersion), status: synced ? 'Synced' : 'OutOfSync',
      health: h.message !== undefined ? { status: h.status, message: h.message } : { status: h.status },
      syncWave: syncWave(c.prepared.object),
    });
  }
  for (const s of view.shared) {
    list.push({ ...s.key, version: '', status: 'Unknown', message: `owned by Application ${s.owner}` });
  }
  for (const p of view.prunable) {
    if (outcome?.pruned.has(formatResourceKey(p.key)) === true) continue;
    list.push({ ...p.key, version: versionOf(p.object.apiVersion), status: 'OutOfSync', requiresPruning: true });
  }
  return { list, health, drifted };
}

function readyCondition(sync: SyncStatusCode, health: HealthAssessment, input: StatusInput, drifted: readonly string[]): ConditionInput {
  const shortSha = input.sha.slice(0, 7);
  if (input.outcome !== undefined && !input.outcome.ok) return { type: conditionTypes.ready, status: 'False', reason: reasons.syncFailed, message: input.outcome.message };
  if (input.view.shared.length > 0) {
    const names = input.view.shared.map((s) => `${s.key.kind}/${s.key.name} (owned by ${s.owner})`).join(', ');
    return { type: conditionTypes.ready, status: 'False', reason: reasons.sharedResource, message: `declared by another Application, left alone: ${names}` };
  }
  if (sync === 'OutOfSync') {
    const prune = input.view.prunable.filter((p) => input.outcome?.pruned.has(formatResourceKey(p.key)) !== true).map((p) => `${p.key.kind}/${p.key.name}`);
    const parts = [...(drifted.length > 0 ? [`differs from Git: ${drifted.slice(0, 5).join(', ')}`] : []), ...(prune.length > 0 ? [`requires pruning: ${prune.slice(0, 5).join(', ')}`] : [])];
    return { type: conditionTypes.ready, status: 'False', reason: reasons.outOfSync, message: `out of sync with ${shortSha}: ${parts.join('; ')}` };
  }
  if (health.status === 'Degraded' || health.status === 'Missing' || health.status === 'Unknown') {
    return { type: conditionTypes.ready, status: 'False', reason: reasons.degraded, message: health.message ?? `health is ${health.status}` };
  }
  if (health.status === 'Progressing') return { type: conditionTypes.ready, status: 'False', reason: reasons.progressing, message: health.message ?? 'waiting for resources to become healthy' };
  return { type: conditionTypes.ready, status: 'True', reason: reasons.synced, message: `synced to ${shortSha}` };
}

function worstWithMessage(items: readonly HealthAssessment[]): HealthAssessment {
  const status = worstHealth(items.map((h) => h.status));
  const withMessage = items.find((h) => h.status === status && h.message !== undefined);
  return withMessage?.message !== undefined ? { status, message: withMessage.message } : { status };
}

/** The status of an app after a successful comparison (and possibly a sync). Pure. */
export function buildStatus(input: StatusInput): BuiltStatus {
  const { app, outcome } = input;
  const previous = app.status ?? {};
  const { list, health: healthItems, drifted } = resourceStatuses(input);
  const syncStatus: SyncStatusCode = list.every((r) => r.status === 'Synced') ? 'Synced' : 'OutOfSync';
  const health = worstWithMessage(healthItems);
  const bounded = boundResources(list, input.maxResources);
  const conditions: Condition[] = mergeConditions(previous.conditions, [
    readyCondition(syncStatus, health, input, drifted),
    { type: conditionTypes.reconciling, status: health.status === 'Progressing' ? 'True' : 'False', reason: reasons.progressing, message: health.message ?? 'waiting for resources to become healthy' },
  ], input.now);
  let operationState = previous.operationState;
  let history = previous.history;
  if (outcome !== undefined && input.operation !== undefined) {
    const sameRevisionFailure = previous.operationState?.revision === input.sha && previous.operationState.phase === 'Failed';
    operationState = {
      ...input.operation, phase: outcome.ok ? 'Succeeded' : outcome.interrupted ? 'Interrupted' : 'Failed', message: outcome.message, finishedAt: input.now,
      retryCount: !outcome.ok && sameRevisionFailure ? (previous.operationState?.retryCount ?? 0) + 1 : 0,
      resources: outcome.records.slice(0, 100),
    };
    const latest = history?.[history.length - 1];
    if (outcome.ok && (latest?.revision !== input.sha || input.operation.syncToken !== undefined)) {
      history = appendHistory(history, { revision: input.sha, deployedAt: input.now, initiatedBy: input.operation.initiatedBy ?? 'automated' }, app.spec.revisionHistoryLimit ?? 10);
    }
  }
  const status: ApplicationStatus = {
    ...(app.metadata.generation !== undefined ? { observedGeneration: app.metadata.generation } : {}),
    sync: { status: syncStatus, revision: input.sha },
    health: health.message !== undefined ? { status: health.status, message: health.message } : { status: health.status },
    conditions,
    resources: bounded.resources,
    ...(bounded.truncated > 0 ? { resourcesTruncated: bounded.truncated } : {}),
    ...(operationState !== undefined ? { operationState } : {}),
    ...(history !== undefined ? { history } : {}),
    reconciledAt: input.now,
    ...(previous.lastRefresh !== undefined ? { lastRefresh: previous.lastRefresh } : {}),
  };
  return { status, syncStatus, health, drifted };
}

/**
 * The status when a step failed before anything could be compared (Git, render, discovery,
 * validation): the error is reported, the last known resources are kept, and the app is never
 * reported Synced.
 */
export function failureStatus(app: Application, failure: { reason: string; message: string }, now: string, operation?: OperationState): ApplicationStatus {
  const previous = app.status ?? {};
  const conditions = mergeConditions(previous.conditions, [
    { type: conditionTypes.ready, status: 'False', reason: failure.reason, message: failure.message },
    { type: conditionTypes.stalled, status: 'True', reason: failure.reason, message: failure.message },
  ], now);
  return {
    ...previous,
    ...(app.metadata.generation !== undefined ? { observedGeneration: app.metadata.generation } : {}),
    sync: { status: 'Unknown', ...(previous.sync?.revision !== undefined ? { revision: previous.sync.revision } : {}) },
    conditions,
    ...(operation !== undefined ? { operationState: operation } : {}),
    reconciledAt: now,
  };
}
