import { randomUUID } from 'node:crypto';
import { appSources, isMultiSource, type Application, type OperationState } from '../api/application.js';
import { appAnnotations, recordedSyncToken } from '../api/annotations.js';
import { conditionTypes, eventReasons, reasons } from '../api/conditions.js';
import type { HealthAssessment } from '../api/health.js';
import { formatResourceKey, type KubeObject } from '../api/object.js';
import type { Failure } from '../api/result.js';
import { boundText } from '../api/text.js';
import { formatAppKey, parseAppKey, type AppKey } from '../api/tracking.js';
import { NotLeaderError } from '../cluster/errors.js';
import { clearOperation, readRequests } from './annotations.js';
import type { ReconcileContext } from './context.js';
import { required, targetOf } from './context.js';
import { decideSync, type SyncDecision } from './decide.js';
import type { ReconcileDeps } from './deps.js';
import { approvalRequest, approvalRequirement, gateApproval } from './approval-gate.js';
import { buildPlan } from './status/plan.js';
import type { ConditionInput } from './status/conditions.js';
import { driftOf } from './drift.js';
import { ensureFinalizer, finalizeApp } from './finalize.js';
import { runPostDeleteHooks } from './post-delete.js';
import { intervalOf, raisedInterval } from './interval.js';
import type { ReconcileResult } from './queue.js';
import { orphanCondition, recordOrphanEvent } from './orphans.js';
import { recordEvents } from './record-events.js';
import { driftSignature } from './self-heal.js';
import { specHash } from './spec-hash.js';
import { buildStatus, currentObjects, failureStatus, retryingStatus, syncingStatus } from './status/build.js';
import { findCondition } from './status/conditions.js';
import { statusLimits } from './status/limits.js';
import { writeStatusIfChanged } from './status/write.js';
import { runPipeline } from './pipeline.js';
import type { ComparedObject } from './steps/compare.js';
import type { LiveView } from './steps/live.js';
import { forgetRender } from './steps/render.js';
import { namespaceMetadataDiffers } from './steps/namespace.js';
import { advanceOperation, endStuckOperation, isResumable, newOperation, type SyncProgress } from './steps/sync.js';
import { holdAutomated, refusesManual, windowRefusal, windowStateOf } from './sync-window-gate.js';

/** Messages from Git or the API server are bounded in log lines too. */
const logMessageChars = 4096;

/**
 * One reconcile of one Application (DESIGN.md §2.2): level-based, it reads the app and the
 * cluster as they are now and moves the cluster one step towards Git.
 */
export async function reconcileApp(deps: ReconcileDeps, keyText: string, signal: AbortSignal): Promise<ReconcileResult> {
  const key = parseAppKey(keyText);
  if (key === undefined) return {};
  const found = await currentApp(deps, key);
  if (found === undefined) return {};
  const log = deps.logger.child({ app: keyText, reconcileId: randomUUID().slice(0, 8) });
  // Deletion comes first: a skipped app can still be deleted.
  if (found.metadata.deletionTimestamp !== undefined) return finalizeApp(deps, found, (app) => runPostDeleteHooks(deps, app, log, signal));
  if (readRequests(found).skip) return {};
  const app = await ensureFinalizer(deps, found);
  // Read from the app as the finalizer patch returned it: an annotation written since (a sync
  // asked for right after the app was created) is handled now, not removed unseen when the
  // handled annotations are cleared after the status write.
  const requests = readRequests(app);
  const intervalMs = intervalOf(app, deps.settings.defaultIntervalMs, deps.settings.minIntervalMs);
  reportRaisedInterval(deps, app, keyText);
  const requeue = { requeueAfterMs: Math.round(intervalMs * (1 + Math.random() * 0.1)) };
  if (requests.refresh === 'hard') await hardRefresh(deps, app, key);
  const specChanged = app.status?.observedGeneration !== app.metadata.generation;
  const ctx: ReconcileContext = {
    deps, key, app, requests, log, signal,
    force: specChanged || requests.refresh !== undefined || requests.syncToken !== undefined || requests.operation !== undefined,
  };
  try {
    const compared = await runPipeline(ctx);
    if (!compared.ok) return await reportFailure(ctx, compared.step, compared.error, requeue);
    return await syncAndReport(ctx, requeue);
  } catch (err) {
    await reportRetrying(ctx, err);
    throw err;
  }
}

/**
 * The app as it is now. The informer's copy is current when it is the version this controller
 * last wrote; otherwise (a change by someone else, or a watch that lags behind our own status
 * write) it is read from the API server, so a reconcile never starts from a stale status.
 */
async function currentApp(deps: ReconcileDeps, key: AppKey): Promise<Application | undefined> {
  const cached = deps.apps.get(key);
  if (cached === undefined) return undefined;
  if (deps.appVersions.isCurrent(cached)) return cached;
  return deps.apps.fetch(key);
}

async function hardRefresh(deps: ReconcileDeps, app: Application, key: AppKey): Promise<void> {
  for (const source of appSources(app.spec)) deps.repos.invalidate(source.repoURL);
  const destination = await deps.destinations.resolve(app);
  // Renders are keyed by the destination's capabilities; without a destination there is nothing to render yet.
  if (destination.ok) await forgetRender({ ...deps, capabilities: destination.value.capabilities }, app);
  deps.diffCache.forgetApp(formatAppKey(key));
}

/** The floor raises spec.interval: said once per app and value, never silently. */
function reportRaisedInterval(deps: ReconcileDeps, app: Application, keyText: string): void {
  const raised = raisedInterval(app, deps.settings.minIntervalMs);
  if (raised === undefined || !deps.raisedIntervals.firstTime(keyText, raised)) return;
  const floor = `${deps.settings.minIntervalMs / 1000}s`;
  deps.events.record(app, 'Warning', eventReasons.intervalRaised, `spec.interval ${raised} is below the controller's --min-interval of ${floor}: Git is polled every ${floor}`);
}

/**
 * Decides, starts or advances the sync, and writes what changed: status, Events, metrics. A
 * running sync is advanced (never decided anew) until it ends; a new one starts only then.
 */
async function syncAndReport(ctx: ReconcileContext, requeueAsked: ReconcileResult): Promise<ReconcileResult> {
  const requeue = withPromotionRetry(ctx, requeueAsked);
  const { deps, app, log } = ctx;
  const sha = required(ctx.sha, 'the commit');
  const compared = required(ctx.compared, 'the comparison');
  const view = required(ctx.view, 'the live view');
  const hash = specHash(app);
  const drift = driftOf(compared);
  const appId = formatAppKey(ctx.key);
  const signature = driftSignature(drift, view.prunable.map((p) => formatResourceKey(p.key)));
  const running = app.status?.operationState;
  // A running sync finishes whatever the windows say; they decide whether a new one starts.
  const windows = windowStateOf(ctx);
  let decision: SyncDecision;
  let operation: OperationState | undefined;
  let progress: SyncProgress | undefined;
  if (isResumable(running)) {
    decision = { sync: true, prune: running.prune ?? false, trigger: 'resume', initiatedBy: running.initiatedBy ?? 'automated', why: 'a sync is running' };
    operation = running;
  } else if (ctx.requests.operation?.ok === true && refusesManual(windows)) {
    const requested = ctx.requests.operation.value;
    ({ decision, progress } = windowRefusal(windows, {
      initiatedBy: requested.initiatedBy, ...(requested.token !== undefined ? { syncToken: recordedSyncToken(requested.token) } : {}),
    }, new Date(deps.now()).toISOString()));
    deps.events.record(app, 'Warning', reasons.syncWindowClosed, progress.message);
  } else if (ctx.requests.operation?.ok === true) {
    const requested = ctx.requests.operation.value;
    decision = { sync: true, prune: requested.prune, trigger: 'user', initiatedBy: requested.initiatedBy, why: requested.dryRun ? 'dry run requested (operation)' : 'operation requested' };
    operation = {
      ...newOperation({
        startedAt: new Date(deps.now()).toISOString(), revision: sha, specHash: hash, initiatedBy: requested.initiatedBy, prune: requested.prune, retryCount: 0,
        ...(requested.token !== undefined ? { syncToken: recordedSyncToken(requested.token) } : {}),
      }),
      ...(requested.dryRun ? { dryRun: true } : {}),
      ...(requested.resources !== undefined ? { selected: requested.resources } : {}),
      ...(requested.syncOptions !== undefined ? { syncOptions: requested.syncOptions } : {}),
      ...(requested.retry !== undefined ? { retry: requested.retry } : {}),
    };
    log.info({ revision: sha, why: decision.why }, 'syncing');
    deps.events.record(app, 'Normal', eventReasons.syncStarted, `syncing to ${sha.slice(0, 7)} (${decision.initiatedBy}: ${decision.why})`);
  } else {
    decision = holdAutomated(decideSync({
      app, sha, specHash: hash, outOfSync: drift.length > 0 || await namespaceMetadataDiffers(ctx), hasPrunable: view.prunable.length > 0,
      syncToken: ctx.requests.syncToken, now: deps.now(), selfHeal: deps.selfHeal.state(appId, signature, deps.now()),
    }), windows, deps.now());
    decision = gateOnApproval(ctx, decision, compared, view);
    if (decision.sync && decision.trigger === 'user' && refusesManual(windows)) {
      ({ decision, progress } = windowRefusal(windows, {
        initiatedBy: decision.initiatedBy, ...(ctx.requests.syncToken !== undefined ? { syncToken: ctx.requests.syncToken } : {}),
      }, new Date(deps.now()).toISOString()));
      deps.events.record(app, 'Warning', reasons.syncWindowClosed, progress.message);
    } else if (decision.sync) {
      const before = app.status?.operationState;
      const sameAttempt = before?.revision === sha && (before.specHash ?? hash) === hash && (before.phase === 'Failed' || before.phase === 'Error');
      operation = newOperation({
        startedAt: new Date(deps.now()).toISOString(), revision: sha, specHash: hash, initiatedBy: decision.initiatedBy, prune: decision.prune,
        retryCount: decision.trigger === 'retry' && sameAttempt ? (before.retryCount ?? 0) + 1 : 0,
        ...(ctx.requests.syncToken !== undefined ? { syncToken: ctx.requests.syncToken } : {}),
        ...(decision.approved !== undefined ? { approved: decision.approved } : {}),
      });
      log.info({ revision: sha, why: decision.why, ...(decision.trigger === 'self-heal' ? { drift: boundText(signature, 512) } : {}) }, 'syncing');
      deps.events.record(app, 'Normal', eventReasons.syncStarted, `syncing to ${sha.slice(0, 7)} (${decision.initiatedBy}: ${decision.why})`);
    }
  }
  if (!isResumable(running) && ctx.requests.operation?.ok === false) progress = refusedOperation(ctx.requests.operation.error.message, new Date(deps.now()).toISOString());
  if (operation !== undefined && decision.sync) {
    progress = await advanceOperation(ctx, operation, {
      // A terminate asked for before this sync began is not for it.
      compared, view, terminate: ctx.requests.terminate && isResumable(running),
      announce: async (state) => {
        ctx.written = (await writeStatusIfChanged(deps, app, syncingStatus(app, state, new Date(deps.now()).toISOString()), { now: new Date(deps.now()).toISOString(), removeHandled: false })).status;
      },
    });
    if (progress.finished) {
      log.info({ revision: progress.state.revision, ok: progress.ok, result: boundText(progress.message, logMessageChars) }, 'sync finished');
      if (decision.trigger === 'self-heal' && progress.ok) deps.selfHeal.healed(appId, signature, deps.now());
      deps.metrics.syncFinished(progress.ok ? 'succeeded' : 'failed');
    }
  }
  const now = new Date(deps.now()).toISOString();
  const assessed = await assessCurrent(deps, currentObjects(compared, progress));
  const orphans = await orphanCondition(ctx);
  const built = buildStatus({ app, sha, compared, view, decision, progress, now, maxResources: deps.settings.maxStatusResources, assessed, sourceType: ctx.sourceType, orphanCondition: orphans, hooks: ctx.hooks, promotionCondition: promotionCondition(ctx),
    ...(isMultiSource(app.spec) ? { revisions: ctx.sources?.map((s) => s.revision), sourceTypes: ctx.sourceTypes } : {}) });
  const refreshedBy = deps.refreshReasons.take(ctx.key);
  if (refreshedBy !== undefined) log.info({ reason: refreshedBy }, 'refreshed');
  const status = refreshedBy === undefined ? built.status : { ...built.status, lastRefresh: { reason: refreshedBy, at: now } };
  // A sync requested while another runs is handled once that one ends.
  // (Also when that one ended in this very reconcile: the request was not its.)
  const keepAnnotations = [
    ...(isResumable(running) && ctx.requests.syncToken !== undefined && ctx.requests.syncToken !== running.syncToken ? [appAnnotations.sync] : []),
    // An approval that arrives while a sync runs is judged once it has ended.
    ...(isResumable(running) ? [appAnnotations.approve] : []),
  ];
  const written = await writeStatusIfChanged(deps, app, status, { now, previous: ctx.written ?? app.status, keepAnnotations });
  if (ctx.requests.operation !== undefined && !isResumable(running)) await takeOperation(ctx, written);
  // A refresh from outside is recorded in status; an Event only when it moved the app.
  if (refreshedBy !== undefined && app.status?.sync?.revision !== sha) deps.events.record(app, 'Normal', eventReasons.refreshed, `${refreshedBy}: now at ${sha.slice(0, 7)}`);
  deps.metrics.appStatus(ctx.key.namespace, ctx.key.name, built.syncStatus, built.health.status);
  recordEvents(deps.events, app, { previous: app.status, next: built.status, outcome: progress?.finished === true ? progress : undefined, decision, drift, sha });
  recordOrphanEvent(deps.events, app, app.status?.conditions, built.status.conditions);
  if (progress !== undefined && !progress.finished) return { requeueAfterMs: Math.min(requeue.requeueAfterMs ?? Infinity, progress.requeueAfterMs ?? 5_000) };
  return nextRun(requeue, built.status.operationState, decision, deps.now());
}

/** PromotionPending while spec.promotion holds a revision back. */
function promotionCondition(ctx: ReconcileContext): ConditionInput | undefined {
  const message = ctx.promotion?.message;
  return message === undefined ? undefined : { type: conditionTypes.promotionPending, status: 'True', reason: reasons.promotionPending, message };
}

/** A promotion that waits looks again when it may be due (or soon, when it waits for the followed app). */
function withPromotionRetry(ctx: ReconcileContext, requeue: ReconcileResult): ReconcileResult {
  if (ctx.promotion === undefined) return requeue;
  return { ...requeue, requeueAfterMs: Math.min(requeue.requeueAfterMs ?? Infinity, ctx.promotion.retryInMs) };
}

/**
 * The approval gate (approval-gate.ts) over the decision, for an app that requires approval (its
 * spec or its project): a plan not approved waits; an approval of the plan now starts its sync
 * (recording who approved which plan); an approval of another plan applies nothing and says so.
 */
function gateOnApproval(ctx: ReconcileContext, decision: SyncDecision, compared: readonly ComparedObject[], view: LiveView): SyncDecision {
  const { app, deps } = ctx;
  const target = targetOf(ctx);
  // By the app's spec, or by its project's approval.destinations.
  const requirement = approvalRequirement(app, ctx.project, { server: target.server, name: target.cluster, namespace: app.spec.destination.namespace ?? '' });
  if (requirement === undefined) return decision;
  const sha = required(ctx.sha, 'the commit');
  const outOfSync = compared.some((c) => !c.inSync) || view.prunable.length > 0;
  const plan = outOfSync ? buildPlan(sha, compared, view, ctx.hooks ?? []) : undefined;
  const gate = gateApproval(app, requirement, decision, plan, approvalRequest(app), app.status?.history?.at(-1)?.revision);
  if (gate.kind === 'approved') ctx.log.info({ plan: gate.request.hash, by: gate.request.by }, 'plan approved');
  if (gate.kind === 'waiting' && gate.stale !== undefined) {
    deps.events.record(app, 'Warning', eventReasons.approvalStale, `plan ${gate.stale.hash} approved by ${gate.stale.by} is not the plan now (${gate.plan.hash}): nothing applied; the new plan awaits approval`);
  }
  return gate.decision;
}

/** The health of each object (from the watch cache, or as this reconcile applied it): custom checks run in a worker, so before the status is built. */
async function assessCurrent(deps: ReconcileDeps, objects: readonly (KubeObject | undefined)[]): Promise<Map<KubeObject, HealthAssessment | null>> {
  const present = objects.filter((o): o is KubeObject => o !== undefined);
  const health = await Promise.all(present.map((o) => deps.health.assess(o)));
  return new Map(present.map((o, i) => [o, health[i] ?? null]));
}

/** A malformed `operation` field: recorded as an operation in Error, never run. */
function refusedOperation(message: string, now: string): SyncProgress {
  const state: OperationState = { phase: 'Error', message, startedAt: now, finishedAt: now, initiatedBy: 'user (operation)' };
  return { state, finished: true, ok: false, message, records: [], applied: new Map(), pruned: new Set(), refusedEmpty: false };
}

/**
 * Clears the `operation` field this reconcile took (started, or refused as malformed), guarded
 * so that one written meanwhile is kept for the next reconcile. A malformed one is reported.
 */
async function takeOperation(ctx: ReconcileContext, app: Application): Promise<void> {
  const requested = ctx.requests.operation;
  if (requested !== undefined && !requested.ok) ctx.deps.events.record(ctx.app, 'Warning', reasons.invalidSpec, requested.error.message);
  const ops = clearOperation(ctx.app);
  if (ops.length === 0) return;
  try {
    ctx.deps.appVersions.remember(await ctx.deps.apps.patch(app, ops));
  } catch (err) {
    ctx.log.debug({ err }, 'the operation field changed while it was taken; the new one is taken next time');
  }
}

/** When to look again: at the poll interval, or sooner when a failed sync is due for a retry. */
function nextRun(requeue: ReconcileResult, op: OperationState | undefined, decision: SyncDecision, now: number): ReconcileResult {
  const next = op?.nextAttemptAt === undefined ? undefined : Date.parse(op.nextAttemptAt);
  const retryInMs = decision.sync ? (next === undefined || Number.isNaN(next) ? undefined : next - now) : decision.retryInMs;
  if (retryInMs === undefined) return requeue;
  return { requeueAfterMs: Math.min(requeue.requeueAfterMs ?? Infinity, Math.max(1_000, retryInMs)) };
}

/** Reports a step failure: condition + Event, the cluster untouched, a requested sync recorded as failed. */
async function reportFailure(ctx: ReconcileContext, step: string, failure: Failure, requeue: ReconcileResult): Promise<ReconcileResult> {
  const { deps, app, log, requests } = ctx;
  log.warn({ step, reason: failure.reason, message: boundText(failure.message, logMessageChars) }, 'reconcile stopped before sync; nothing applied');
  const now = new Date(deps.now()).toISOString();
  const running = app.status?.operationState;
  const resumable = isResumable(running);
  // A sync under way whose revision can no longer be rendered (or read) still ends: terminated, or at its timeout.
  const ended = resumable ? await endStuckOperation(ctx, running, failure.message) : undefined;
  const operation: OperationState | undefined = requests.syncToken === undefined || resumable ? undefined : {
    phase: 'Error', message: failure.message, startedAt: now, finishedAt: now, syncToken: requests.syncToken,
    initiatedBy: `user (${requests.syncToken})`, ...(ctx.sha !== undefined ? { revision: ctx.sha } : {}),
  };
  // A requested operation that cannot even be compared (its revision does not exist) fails, and is taken.
  const fromField: OperationState | undefined = requests.operation === undefined || isResumable(app.status?.operationState) ? undefined : {
    phase: 'Error', message: failure.message, startedAt: now, finishedAt: now, initiatedBy: requests.operation.ok ? requests.operation.value.initiatedBy : 'user (operation)',
    ...(requests.operation.ok && requests.operation.value.token !== undefined ? { syncToken: recordedSyncToken(requests.operation.value.token) } : {}),
  };
  const status = failureStatus(app, failure, now, operation ?? fromField ?? ended);
  // A sync requested while another runs is kept for when that one ends.
  const keepAnnotations = resumable && ended === undefined ? [appAnnotations.sync] : [];
  const written = await writeStatusIfChanged(deps, app, status, { now, keepAnnotations });
  if (fromField !== undefined) await takeOperation(ctx, written);
  deps.metrics.appStatus(ctx.key.namespace, ctx.key.name, 'Unknown', status.health?.status ?? 'Unknown');
  // Compared as written (bounded), so that a long message is not announced again every time.
  const before = findCondition(app.status?.conditions, conditionTypes.ready);
  const after = findCondition(status.conditions, conditionTypes.ready);
  if (after !== undefined && (before?.reason !== after.reason || before.message !== after.message)) deps.events.record(app, 'Warning', failure.reason, after.message);
  return withPromotionRetry(ctx, requeue);
}

/**
 * A reconcile that threw (the API server throttling or failing, a timeout) is retried with
 * backoff by the work queue; meanwhile the app shows Reconciling=True with the error, never
 * Stalled. Best effort: the API server may be what is failing.
 */
async function reportRetrying(ctx: ReconcileContext, err: unknown): Promise<void> {
  if (err instanceof NotLeaderError || ctx.signal.aborted) return;
  const message = boundText(`retrying after an error: ${err instanceof Error ? err.message : String(err)}`, statusLimits.messageChars);
  const now = new Date(ctx.deps.now()).toISOString();
  const app = ctx.written === undefined ? ctx.app : { ...ctx.app, status: ctx.written };
  await writeStatusIfChanged(ctx.deps, app, retryingStatus(app, message, now), { now, removeHandled: false }).catch((writeErr: unknown) => {
    ctx.log.debug({ err: writeErr }, 'could not record the retry on the Application');
  });
}
