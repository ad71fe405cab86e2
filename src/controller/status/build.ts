import type {
  Application, ApplicationStatus, Condition, DeployPlan, OperationState, ResourceStatus, SourceType, SyncStatusCode,
} from '../../api/application.js';
import { conditionTypes, reasons } from '../../api/conditions.js';
import type { HealthAssessment } from '../../api/health.js';
import { describeObject, formatResourceKey, versionOf, type KubeObject } from '../../api/object.js';
import type { Failure } from '../../api/result.js';
import { boundList } from '../../api/text.js';
import { aggregateHealth, assessHealth } from '../../health/registry.js';
import { ignoresExtraneous, syncWave } from '../../sync/options.js';
import type { SyncDecision } from '../decide.js';
import { describeDrift, driftOf } from '../drift.js';
import { describeFight } from '../self-heal.js';
import type { ComparedObject } from '../steps/compare.js';
import type { LiveView } from '../steps/live.js';
import type { SyncProgress } from '../steps/sync.js';
import { retryDelayMs, retryLimitOf } from '../decide.js';
import { mergeConditions, type ConditionInput } from './conditions.js';
import { appendHistory } from './history.js';
import { fitStatus } from './limits.js';
import { boundResources } from './resources.js';
import { buildPlan } from './plan.js';
import type { PreparedObject } from '../steps/prepare.js';

export interface StatusInput {
  readonly app: Application;
  readonly sha: string;
  readonly compared: readonly ComparedObject[];
  readonly view: LiveView;
  readonly decision: SyncDecision;
  /** The sync this reconcile started or advanced, if any. */
  readonly progress: SyncProgress | undefined;
  readonly now: string;
  readonly maxResources: number;
  /**
   * The health of each current object (see currentObjects), assessed before the status is built
   * (custom checks run in a worker); the built-in rules for an object it does not hold.
   */
  readonly assessed?: ReadonlyMap<KubeObject, HealthAssessment | null>;
  /** How the source was rendered. */
  readonly sourceType?: SourceType | undefined;
  /** With several sources: each one's revision, and how each rendered source was rendered. */
  readonly revisions?: readonly string[] | undefined;
  readonly sourceTypes?: readonly SourceType[] | undefined;
  /** OrphanedResourceWarning, while the project warns of orphaned resources and there are some. */
  readonly orphanCondition?: ConditionInput | undefined;
  /** PromotionPending, while spec.promotion holds a newer revision back. */
  readonly promotionCondition?: ConditionInput | undefined;
  /** The render's hooks, for the plan. */
  readonly hooks?: readonly PreparedObject[] | undefined;
}

/** The desired objects as they are now: the object this reconcile applied, else the live one (undefined: missing). */
export function currentObjects(compared: readonly ComparedObject[], progress: SyncProgress | undefined): (KubeObject | undefined)[] {
  return compared.map((c) => progress?.applied.get(formatResourceKey(c.prepared.key)) ?? c.live);
}

export interface BuiltStatus {
  readonly status: ApplicationStatus;
  readonly syncStatus: SyncStatusCode;
  readonly health: HealthAssessment;
  /** Objects that differ from Git after this reconcile, with what differs. */
  readonly drifted: string[];
}

function resourceStatuses(input: StatusInput): { list: ResourceStatus[]; health: HealthAssessment[]; drifted: string[]; counted: boolean[] } {
  const { compared, view, progress: outcome } = input;
  const list: ResourceStatus[] = [];
  const health: HealthAssessment[] = [];
  const drifted: string[] = [];
  // Whether each entry of `list` counts towards the app's sync status.
  const counted: boolean[] = [];
  const currents = currentObjects(compared, outcome);
  compared.forEach((c, index) => {
    const synced = c.inSync || outcome?.applied.has(formatResourceKey(c.prepared.key)) === true;
    const current = currents[index];
    const h: HealthAssessment = current === undefined
      ? { status: 'Missing', message: `${describeObject(c.prepared.key)} does not exist` }
      : ((input.assessed?.has(current) === true ? input.assessed.get(current) : assessHealth(current)) ?? { status: 'Healthy' });
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
    counted.push(true);
  });
  for (const s of view.shared) {
    list.push({ ...s.key, version: '', status: 'Unknown', message: `owned by Application ${s.owner}` });
    counted.push(true);
  }
  for (const p of view.prunable) {
    if (outcome?.pruned.has(formatResourceKey(p.key)) === true) continue;
    list.push({ ...p.key, version: versionOf(p.object.apiVersion), status: 'OutOfSync', requiresPruning: true });
    counted.push(!ignoresExtraneous(p.object));
  }
  return { list, health, drifted, counted };
}

function failedSyncCondition(input: StatusInput): ConditionInput | undefined {
  const done = input.progress?.finished === true ? input.progress : undefined;
  if (done !== undefined && !done.ok) {
    return { type: conditionTypes.ready, status: 'False', reason: done.refusedBy ?? (done.refusedEmpty ? reasons.emptyRefused : reasons.syncFailed), message: done.message };
  }
  const op = input.app.status?.operationState;
  if (input.progress === undefined && !input.decision.sync && input.decision.window === undefined && op !== undefined && op.revision === input.sha && (op.phase === 'Failed' || op.phase === 'Error')) {
    const retry = input.decision.exhausted === true ? 'retries exhausted' : input.decision.retryInMs !== undefined ? `retrying in ${Math.ceil(input.decision.retryInMs / 1000)}s` : undefined;
    if (retry !== undefined) return { type: conditionTypes.ready, status: 'False', reason: reasons.syncFailed, message: `${op.message} (${retry})` };
  }
  return undefined;
}

/** 'ConfigMap a/x, ConfigMap a/y (owned by capstan/other); …', bounded: each owner named, the objects counted past a few. */
function describeShared(shared: LiveView['shared']): string {
  const byOwner = new Map<string, string[]>();
  for (const s of shared) byOwner.set(s.owner, [...(byOwner.get(s.owner) ?? []), describeObject(s.key)]);
  const parts = [...byOwner].map(([owner, names]) => `${boundList(names, { maxItems: 5, maxItemChars: 120, itemKeepEnd: 40, maxChars: 500 })} (owned by ${owner})`);
  return boundList(parts, { maxItems: 3, maxItemChars: 700, maxChars: 900, separator: '; ' });
}

/**
 * The Ready condition, naming the tracked objects left in the cluster because the project does
 * not permit them (they are never pruned).
 */
function readyWithNotPermitted(sync: SyncStatusCode, health: HealthAssessment, input: StatusInput, drifted: readonly string[]): ConditionInput {
  const ready = readyCondition(sync, health, input, drifted);
  const left = input.view.notPermitted ?? [];
  if (left.length === 0) return ready;
  return { ...ready, message: `${ready.message}; not pruned: ${boundList(left.map((l) => l.problem), { maxItems: 3, maxItemChars: 300, separator: '; ' })}` };
}

function readyCondition(sync: SyncStatusCode, health: HealthAssessment, input: StatusInput, drifted: readonly string[]): ConditionInput {
  const shortSha = input.sha.slice(0, 7);
  const failed = failedSyncCondition(input);
  if (failed !== undefined) return failed;
  if (input.view.shared.length > 0) {
    return { type: conditionTypes.ready, status: 'False', reason: reasons.sharedResource, message: `declared by another Application, left alone: ${describeShared(input.view.shared)}` };
  }
  if (sync === 'OutOfSync' && !input.decision.sync && input.decision.fight !== undefined) {
    return { type: conditionTypes.ready, status: 'False', reason: reasons.driftFight, message: describeFight(driftOf(input.compared), input.decision.fight) };
  }
  if (sync === 'OutOfSync' && !input.decision.sync && input.decision.approval !== undefined) {
    return { type: conditionTypes.ready, status: 'False', reason: reasons.awaitingApproval, message: `out of sync with ${shortSha}; ${input.decision.approval}` };
  }
  if (sync === 'OutOfSync' && !input.decision.sync && input.decision.window !== undefined) {
    return { type: conditionTypes.ready, status: 'False', reason: reasons.syncWindowClosed, message: `out of sync with ${shortSha}; ${input.decision.window}` };
  }
  if (sync === 'OutOfSync') {
    const prune = input.view.prunable.filter((p) => input.progress?.pruned.has(formatResourceKey(p.key)) !== true && !ignoresExtraneous(p.object)).map((p) => describeObject(p.key));
    const parts = [...(drifted.length > 0 ? [`differs from Git: ${boundList(drifted, { maxItems: 5 })}`] : []), ...(prune.length > 0 ? [`requires pruning: ${boundList(prune, { maxItems: 5 })}`] : [])];
    return { type: conditionTypes.ready, status: 'False', reason: reasons.outOfSync, message: `out of sync with ${shortSha}: ${parts.join('; ')}` };
  }
  if (health.status === 'Degraded' || health.status === 'Missing' || health.status === 'Unknown') {
    return { type: conditionTypes.ready, status: 'False', reason: reasons.degraded, message: health.message ?? `health is ${health.status}` };
  }
  if (health.status === 'Progressing') return { type: conditionTypes.ready, status: 'False', reason: reasons.progressing, message: health.message ?? 'waiting for resources to become healthy' };
  return { type: conditionTypes.ready, status: 'True', reason: reasons.synced, message: `synced to ${shortSha}` };
}

function nextOperation(input: StatusInput): { operationState: OperationState | undefined; history: ApplicationStatus['history'] } {
  const { app, progress } = input;
  const previous = app.status;
  if (progress === undefined) return { operationState: previous?.operationState, history: previous?.history };
  let operationState = progress.state;
  let history = previous?.history;
  if (progress.finished && progress.ok && operationState.revision !== undefined && operationState.dryRun !== true) {
    history = appendHistory(history, {
      revision: operationState.revision, deployedAt: input.now, initiatedBy: operationState.initiatedBy ?? 'automated',
      ...(operationState.approvedBy !== undefined ? { approvedBy: operationState.approvedBy } : {}),
      ...(operationState.planHash !== undefined ? { planHash: operationState.planHash } : {}),
    }, app.spec.revisionHistoryLimit ?? 10);
  }
  // A sync a window refused never ran: nothing to retry.
  if (progress.finished && !progress.ok && progress.refusedBy === undefined && operationState.phase === 'Failed' && operationState.terminated !== true && operationState.retry === undefined && app.spec.syncPolicy?.automated !== undefined) {
    const limit = retryLimitOf(app);
    const count = operationState.retryCount ?? 0;
    if (limit < 0 || count < limit) {
      // From the moment it finished, as decideSync counts the delay.
      const finished = Date.parse(operationState.finishedAt ?? input.now);
      operationState = { ...operationState, nextAttemptAt: new Date(finished + retryDelayMs(app.spec.syncPolicy.retry, count)).toISOString() };
    }
  }
  return { operationState, history };
}

/** The status of an app after a successful comparison (and possibly a sync). Pure; `reconciledAt` is left as it was. */
export function buildStatus(input: StatusInput): BuiltStatus {
  const { app } = input;
  const previous = app.status ?? {};
  const { list, health: healthItems, drifted, counted } = resourceStatuses(input);
  const syncStatus: SyncStatusCode = list.every((r, i) => r.status === 'Synced' || counted[i] === false) ? 'Synced' : 'OutOfSync';
  const health = aggregateHealth(healthItems);
  const bounded = boundResources(list, input.maxResources);
  const { operationState, history } = nextOperation(input);
  const running = input.progress !== undefined && !input.progress.finished;
  const desired: ConditionInput[] = [
    readyWithNotPermitted(syncStatus, health, input, drifted),
    running
      ? { type: conditionTypes.reconciling, status: 'True', reason: reasons.syncing, message: input.progress.state.message }
      : { type: conditionTypes.reconciling, status: health.status === 'Progressing' ? 'True' : 'False', reason: reasons.progressing, message: health.message ?? 'waiting for resources to become healthy' },
  ];
  const exhausted = (input.progress === undefined && !input.decision.sync && input.decision.exhausted === true && app.status?.operationState?.revision === input.sha)
    || (input.progress?.finished === true && !input.progress.ok && input.progress.refusedBy === undefined && operationState?.terminated !== true && app.spec.syncPolicy?.automated !== undefined && operationState?.nextAttemptAt === undefined);
  if (exhausted && operationState !== undefined) {
    desired.push({ type: conditionTypes.stalled, status: 'True', reason: reasons.retriesExhausted, message: `the sync to ${input.sha.slice(0, 7)} failed ${(operationState.retryCount ?? 0) + 1} times; a new commit, a spec change or a requested sync tries again` });
  }
  if (input.orphanCondition !== undefined) desired.push(input.orphanCondition);
  if (input.promotionCondition !== undefined) desired.push(input.promotionCondition);
  const conditions: Condition[] = mergeConditions(previous.conditions, desired, input.now);
  const status: ApplicationStatus = {
    ...(app.metadata.generation !== undefined ? { observedGeneration: app.metadata.generation } : {}),
    sync: { status: syncStatus, revision: input.sha, ...(input.revisions !== undefined ? { revisions: [...input.revisions] } : {}) },
    health: health.message !== undefined ? { status: health.status, message: health.message } : { status: health.status },
    conditions,
    resources: bounded.resources,
    ...(bounded.truncated > 0 ? { resourcesTruncated: bounded.truncated } : {}),
    managedKinds: input.view.kinds,
    ...(input.sourceType !== undefined ? { sourceType: input.sourceType } : {}),
    ...(input.sourceTypes !== undefined ? { sourceTypes: [...input.sourceTypes] } : {}),
    ...(operationState !== undefined ? { operationState } : {}),
    ...(history !== undefined ? { history } : {}),
    // What a sync would do: while OutOfSync, and not in a reconcile that ran a sync (its comparison is from before).
    ...(syncStatus === 'OutOfSync' && input.progress === undefined ? { plan: planOf(input) } : {}),
    ...(previous.reconciledAt !== undefined ? { reconciledAt: previous.reconciledAt } : {}),
    ...(previous.lastRefresh !== undefined ? { lastRefresh: previous.lastRefresh } : {}),
  };
  return { status: fitStatus(status), syncStatus, health, drifted };
}

/** The plan; waiting for approval when the decision says the app's plan does. */
function planOf(input: StatusInput): DeployPlan {
  const plan = buildPlan(input.sha, input.compared, input.view, input.hooks ?? []);
  return !input.decision.sync && input.decision.approval !== undefined ? { ...plan, state: 'AwaitingApproval' } : plan;
}

/**
 * The status when a step failed before anything could be compared (validation, Git, render,
 * discovery): the error is reported (Ready=False and Stalled=True with the step's reason), the
 * last known resources are kept, and the app is never reported Synced.
 */
export function failureStatus(app: Application, failure: Failure, now: string, operation?: OperationState): ApplicationStatus {
  // No plan: what a sync would do cannot be said while a step fails.
  const { plan: _plan, ...previous } = app.status ?? {};
  const conditions = mergeConditions(previous.conditions, [
    { type: conditionTypes.ready, status: 'False', reason: failure.reason, message: failure.message },
    { type: conditionTypes.stalled, status: 'True', reason: failure.reason, message: failure.message },
  ], now);
  return fitStatus({
    ...previous,
    ...(app.metadata.generation !== undefined ? { observedGeneration: app.metadata.generation } : {}),
    sync: { status: 'Unknown', ...(previous.sync?.revision !== undefined ? { revision: previous.sync.revision } : {}) },
    // Nothing can be said of objects in a cluster that does not answer.
    ...(failure.reason === reasons.clusterUnreachable ? { health: { status: 'Unknown', message: failure.message } } : {}),
    conditions,
    ...(operation !== undefined ? { operationState: operation } : {}),
  });
}

/**
 * The status while a reconcile is retried after an error that says nothing about the app (the
 * API server throttling or failing, an expired token): Reconciling=True with the error, never
 * Stalled; everything else as it was.
 */
export function retryingStatus(app: Application, message: string, now: string): ApplicationStatus {
  const previous = app.status ?? {};
  const kept = (previous.conditions ?? []).filter((c) => c.type !== conditionTypes.reconciling && c.type !== conditionTypes.stalled);
  const conditions = mergeConditions(previous.conditions, [
    ...kept.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    { type: conditionTypes.reconciling, status: 'True', reason: reasons.retrying, message },
  ], now);
  return fitStatus({ ...previous, conditions });
}

/**
 * The status while a sync is under way and before it writes to the cluster: operationState as
 * the sync has it (Running, or Terminating), Reconciling=True; written before anything is applied,
 * so status never hides a sync in progress and a crash leaves it resumable.
 */
export function syncingStatus(app: Application, operationState: OperationState, now: string): ApplicationStatus {
  const previous = app.status ?? {};
  const kept = (previous.conditions ?? []).filter((c) => c.type !== conditionTypes.reconciling);
  const conditions = mergeConditions(previous.conditions, [
    ...kept.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
    { type: conditionTypes.reconciling, status: 'True', reason: reasons.syncing, message: operationState.message },
  ], now);
  return fitStatus({ ...previous, conditions, operationState });
}
