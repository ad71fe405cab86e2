/**
 * A sync as a resumable operation (DESIGN.md §2.2). Each reconcile advances the running
 * operation as far as it can without waiting: it applies the next wave once what the wave
 * needs is done (hooks complete, earlier objects healthy), and otherwise returns, recording in
 * operationState what it waits for; the reconcile is requeued. A restart or a new leader reads
 * operationState and goes on from there.
 */
import { randomUUID } from 'node:crypto';
import type { Application, OperationResourceResult, OperationState } from '../../api/application.js';
import type { Reason } from '../../api/conditions.js';
import { describeObject, formatResourceKey, type KubeObject } from '../../api/object.js';
import { boundList, boundText } from '../../api/text.js';
import { isDeletionApproved } from '../../api/annotations.js';
import { isSelected } from '../../api/operation.js';
import { parseDuration } from '../backoff.js';
import { retryDelayMs, type SyncApproval } from '../decide.js';
import { runWave, summarizeRecords } from '../../sync/executor.js';
import { appSyncOptions, syncWave, validates } from '../../sync/options.js';
import { planSync, type PlanWave } from '../../sync/plan.js';
import { nextWave, readiness, type Cursor, type Member, type Readiness } from '../../sync/progress.js';
import { targetOf, type ReconcileContext } from '../context.js';
import { isRetryableError, modeOf, stepApplier } from './apply.js';
import { deleteHooks, endRunning, hookRecord, observeHooks, removedByPolicy, stillRunning } from './hook-objects.js';
import { createNamespaceMessage, ensureNamespace } from './namespace.js';
import { respectingIgnoredCompared, type ComparedObject } from './compare.js';
import type { LiveView } from './live.js';
import type { PreparedObject } from './prepare.js';

export const defaultHookTimeoutMs = 10 * 60_000;
/** While a sync waits, it looks again this often at the latest (watch events usually come first). */
const waitPollMs = 5_000;
/** Records kept in operationState.resources. */
const maxRecords = 100;

/** What one reconcile's part of a sync did. */
export interface SyncOutcome {
  readonly ok: boolean;
  readonly message: string;
  /** What this reconcile wrote, object by object. */
  readonly records: OperationResourceResult[];
  /** Desired objects (not hooks) as stored by this reconcile's applies, by formatted resource key. */
  readonly applied: Map<string, KubeObject>;
  readonly pruned: Set<string>;
  /** The plan was refused before anything ran (allowEmpty). */
  readonly refusedEmpty: boolean;
}

export interface SyncProgress extends SyncOutcome {
  /** The operation after this reconcile. */
  readonly state: OperationState;
  /** It ended in this reconcile (Succeeded or Failed). */
  readonly finished: boolean;
  /** Look again this soon while the operation waits. */
  readonly requeueAfterMs?: number;
  /** Why the operation never ran, when something other than the sync refused it (a sync window). */
  readonly refusedBy?: Reason;
}

/** How long one wave may wait: spec.syncPolicy.hookTimeout, default 10m. */
export function hookTimeoutMs(app: Application): number {
  const text = app.spec.syncPolicy?.hookTimeout;
  return (text === undefined ? undefined : parseDuration(text)) ?? defaultHookTimeoutMs;
}

/** Whether operationState is a sync still under way that this controller can resume. */
export function isResumable(op: OperationState | undefined): op is OperationState {
  return op !== undefined && (op.phase === 'Running' || op.phase === 'Terminating') && op.syncId !== undefined;
}

export interface OperationStart {
  readonly startedAt: string;
  readonly revision: string;
  readonly specHash: string;
  readonly initiatedBy: string;
  readonly syncToken?: string;
  readonly prune: boolean;
  readonly retryCount?: number;
  /** The approved plan this sync applies, and who approved it. */
  readonly approved?: SyncApproval;
}

/** A new operation, Running, before anything is applied. */
export function newOperation(start: OperationStart): OperationState {
  return {
    phase: 'Running', message: `syncing to ${start.revision.slice(0, 7)}`, startedAt: start.startedAt, revision: start.revision,
    specHash: start.specHash, initiatedBy: start.initiatedBy, ...(start.syncToken !== undefined ? { syncToken: start.syncToken } : {}),
    ...(start.retryCount !== undefined ? { retryCount: start.retryCount } : {}),
    ...(start.approved !== undefined ? { approvedBy: start.approved.by, planHash: start.approved.planHash } : {}),
    syncId: randomUUID().slice(0, 13), prune: start.prune, hooks: [], resources: [],
  };
}

function planOf(ctx: ReconcileContext, compared: readonly ComparedObject[], hooks: readonly PreparedObject[], view: LiveView, prune: boolean) {
  const options = appSyncOptions(ctx.app);
  return planSync(
    [
      ...compared.map((c) => ({ key: c.prepared.key, object: c.prepared.object, inSync: c.inSync, mode: modeOf(ctx.app, c) })),
      ...hooks.map((h) => ({ key: h.key, object: h.object, inSync: false })),
    ],
    view.prunable,
    { prune, allowEmpty: ctx.app.spec.syncPolicy?.automated?.allowEmpty ?? false, pruneLast: options.pruneLast, applyOutOfSyncOnly: options.applyOutOfSyncOnly },
  );
}

/**
 * A wave that prunes objects marked Prune=confirm starts only once someone approved it after
 * the sync started (capstan app confirm-prune, or the deletion-approved annotation), as in
 * Argo CD. Until then the sync waits, like any wait, at most syncPolicy.hookTimeout.
 */
function confirmed(ctx: ReconcileContext, next: PlanWave | undefined, ready: Readiness, startedAt: string): Readiness {
  if (ready.kind !== 'ready' || next === undefined) return ready;
  const held = next.steps.filter((s) => s.action === 'prune' && s.confirm === true);
  if (held.length === 0 || isDeletionApproved(ctx.app.metadata.annotations, startedAt)) return ready;
  const names = boundList(held.map((s) => `${s.key.kind}/${s.key.name}`));
  return { kind: 'waiting', what: `confirmation to prune ${names} (Prune=confirm): capstan app confirm-prune ${ctx.app.metadata.name ?? ''}` };
}

/** A partial sync (operation.sync.resources) writes only the objects it names, and runs no hooks (as in Argo CD). */
function selectedPlan(plan: ReturnType<typeof planSync>, op: OperationState): ReturnType<typeof planSync> {
  const selected = op.selected;
  if (!plan.ok || selected === undefined) return plan;
  const waves = plan.waves
    .map((w) => ({ ...w, steps: w.steps.filter((step) => step.action !== 'hook' && isSelected(selected, step.key)) }))
    .filter((w) => w.steps.length > 0);
  return { ...plan, waves, syncFail: [] };
}

/** The desired objects that must be healthy before `next` starts (see readiness): only these are looked at. */
function awaited(compared: readonly ComparedObject[], next: PlanWave | undefined, failing: boolean): readonly ComparedObject[] {
  if (failing || next === undefined || next.phase === 'PreSync' || next.phase === 'SyncFail') return [];
  return compared.filter((c) => next.phase === 'PostSync' || syncWave(c.prepared.object) < next.wave);
}

/** The desired objects with their health now: the object this reconcile stored, else the watch cache, else the API server. */
async function membersOf(ctx: ReconcileContext, compared: readonly ComparedObject[], applied: ReadonlyMap<string, KubeObject>): Promise<Member[]> {
  return Promise.all(compared.map(async (c) => {
    const id = formatResourceKey(c.prepared.key);
    const ref = c.prepared.ref;
    // A kind not served yet (its CRD in this sync) has no objects to read until it is.
    const unserved = c.prepared.pendingKind && (await targetOf(ctx).kinds.resolve(c.prepared.object.apiVersion, c.prepared.key.kind)) === undefined;
    const obj = applied.get(id) ?? (unserved ? undefined : targetOf(ctx).live.isWatched(ref) ? targetOf(ctx).live.cached(ref) : await targetOf(ctx).live.fetch(ref));
    const health = obj === undefined ? 'Missing' : (await ctx.deps.health.assess(obj))?.status ?? 'Healthy';
    return { key: c.prepared.key, phase: 'Sync' as const, wave: syncWave(c.prepared.object), health };
  }));
}

function cursorOf(op: OperationState): Cursor | undefined {
  return op.syncPhase === undefined || op.wave === undefined ? undefined : { phase: op.syncPhase, wave: op.wave };
}

class Run {
  readonly applied = new Map<string, KubeObject>();
  readonly pruned = new Set<string>();
  private readonly written: OperationResourceResult[] = [];
  private records: OperationResourceResult[];

  constructor(private readonly ctx: ReconcileContext, public state: OperationState) {
    this.records = [...(state.resources ?? [])];
  }

  addRecords(records: readonly OperationResourceResult[], options: { dryRun?: boolean } = {}): void {
    this.records = [...this.records, ...records].slice(-maxRecords);
    this.written.push(...records);
    if (options.dryRun === true) return;
    for (const r of records) {
      if (r.action === 'pruned' || (r.action === 'unchanged' && r.message === 'already gone')) this.pruned.add(formatResourceKey(r));
    }
  }

  progress(fields: Partial<OperationState>): void {
    this.state = { ...this.state, ...fields, resources: this.records };
  }

  waiting(what: string, remainingMs: number): SyncProgress {
    this.progress({ waitingFor: boundText(what, 1024), message: boundText(`waiting for ${what}`, 1024) });
    return this.result(false, true, this.state.message, { requeueAfterMs: Math.max(1_000, Math.min(waitPollMs, remainingMs)) });
  }

  async finish(ok: boolean, message: string, extra: Partial<OperationState> = {}): Promise<SyncProgress> {
    this.progress({});
    await deleteHooks(targetOf(this.ctx), this.state.hooks ?? [], removedByPolicy);
    const { waitingFor: _w, failure: _f, ...rest } = this.state;
    const retry = this.state.retry;
    const count = this.state.retryCount ?? 0;
    const limit = retry?.limit ?? 0;
    if (!ok && retry !== undefined && extra.terminated !== true && (limit < 0 || count < limit)) {
      // An operation with its own retry (the `operation` field) is tried again as the same
      // operation, as Argo CD does: Running, from the first wave, after the backoff.
      const at = new Date(this.ctx.deps.now() + retryDelayMs(retry, count)).toISOString();
      const { syncPhase: _p, wave: _v, waveStartedAt: _s, ...fresh } = rest;
      this.state = { ...fresh, phase: 'Running', retryCount: count + 1, nextAttemptAt: at, syncId: randomUUID().slice(0, 13), message: boundText(`retrying attempt #${count + 1} at ${at}: ${message}`, 2048) };
      return this.result(false, false, this.state.message, { requeueAfterMs: Math.max(1_000, Date.parse(at) - this.ctx.deps.now()) });
    }
    this.state = { ...rest, ...extra, phase: ok ? 'Succeeded' : 'Failed', message: boundText(message, 2048), finishedAt: new Date(this.ctx.deps.now()).toISOString() };
    return this.result(true, ok, this.state.message, {});
  }

  result(finished: boolean, ok: boolean, message: string, extra: { requeueAfterMs?: number; refusedEmpty?: boolean }): SyncProgress {
    return {
      state: this.state, finished, ok, message, applied: this.applied, pruned: this.pruned, records: this.written,
      refusedEmpty: extra.refusedEmpty ?? false, ...(extra.requeueAfterMs !== undefined ? { requeueAfterMs: extra.requeueAfterMs } : {}),
    };
  }

  get resourceRecords(): OperationResourceResult[] {
    return this.records;
  }
}

/**
 * A running sync that cannot be advanced (its revision can no longer be resolved or rendered):
 * ended Failed when it is asked to terminate or its wave has waited past hookTimeout, its
 * running hooks deleted; undefined while it may still go on.
 */
export async function endStuckOperation(ctx: ReconcileContext, op: OperationState, why: string): Promise<OperationState | undefined> {
  const since = Date.parse(op.waveStartedAt ?? op.startedAt);
  const timeoutMs = hookTimeoutMs(ctx.app);
  const timedOut = !Number.isNaN(since) && ctx.deps.now() - since >= timeoutMs;
  if (!ctx.requests.terminate && !timedOut) return undefined;
  // Without a reachable destination its hooks cannot be deleted; they are marked ended all the same.
  if (ctx.target !== undefined) await deleteHooks(ctx.target, op.hooks ?? [], stillRunning);
  const hooks = endRunning(op.hooks ?? [], ctx.requests.terminate ? 'terminated' : 'timed out');
  const { waitingFor: _w, failure: _f, nextAttemptAt: _n, ...rest } = op;
  const message = ctx.requests.terminate ? `terminated while the sync could not go on: ${why}` : `timed out after ${Math.round(timeoutMs / 1000)}s (syncPolicy.hookTimeout): the sync could not go on: ${why}`;
  return {
    ...rest, hooks, phase: 'Failed', message: boundText(message, 2048), finishedAt: new Date(ctx.deps.now()).toISOString(),
    ...(ctx.requests.terminate ? { terminated: true } : {}),
  };
}

export interface AdvanceInput {
  readonly compared: readonly ComparedObject[];
  readonly view: LiveView;
  /** `capstan.dev/terminate-operation` (or `capstan app terminate`) asks to end it. */
  readonly terminate: boolean;
  /** Writes the operation as it is now (before the first write to the cluster, so that a crash leaves it resumable). */
  readonly announce: (state: OperationState) => Promise<void>;
}

/**
 * Advances a running operation as far as it can go without waiting. Throws what the work queue
 * should retry (the API server failing); the operation stays as last written and resumes.
 */
export async function advanceOperation(outer: ReconcileContext, op: OperationState, input: AdvanceInput): Promise<SyncProgress> {
  // Sync options of the `operation` field add to the app's, for this operation only.
  const ctx: ReconcileContext = op.syncOptions === undefined ? outer : { ...outer, app: withSyncOptions(outer.app, op.syncOptions) };
  const run = new Run(ctx, op);
  const { view } = input;
  // RespectIgnoreDifferences=true given only by the operation: the app's comparison did not keep the live values.
  const addsRespect = ctx !== outer && !appSyncOptions(outer.app).respectIgnoreDifferences;
  const compared = addsRespect ? await respectingIgnoredCompared(ctx, input.compared, view) : input.compared;
  if (input.terminate && op.phase === 'Running') {
    run.progress({ phase: 'Terminating', message: 'terminating: the running sync was asked to end' });
    await input.announce(run.state);
  }
  if (run.state.phase === 'Terminating') {
    await deleteHooks(targetOf(ctx), run.state.hooks ?? [], stillRunning);
    const hooks = endRunning(run.state.hooks ?? [], 'terminated');
    run.progress({ hooks });
    return run.finish(false, `terminated while ${op.waitingFor !== undefined ? `waiting for ${op.waitingFor}` : 'running'}`, { terminated: true });
  }
  if (run.state.nextAttemptAt !== undefined) {
    const due = Date.parse(run.state.nextAttemptAt) - ctx.deps.now();
    if (due > 0) return run.result(false, false, run.state.message, { requeueAfterMs: Math.max(1_000, due) });
    const { nextAttemptAt: _n, ...rest } = run.state;
    run.state = rest;
    await input.announce(run.state);
  }
  const plan = selectedPlan(planOf(ctx, compared, ctx.hooks ?? [], view, op.prune ?? false), op);
  if (!plan.ok) return { ...(await run.finish(false, plan.message)), refusedEmpty: true };
  if (op.dryRun === true) return dryRun(ctx, run, plan.waves, compared);
  const appOptions = appSyncOptions(ctx.app);
  if (op.syncPhase === undefined && appOptions.failOnSharedResource && view.shared.length > 0) {
    const names = view.shared.map((s) => `${describeObject(s.key)} (owned by ${s.owner})`).join(', ');
    return run.finish(false, `FailOnSharedResource=true: ${names} belong to another Application`);
  }
  const syncId = op.syncId ?? randomUUID().slice(0, 13);
  const applier = stepApplier(ctx, compared, syncId);
  const timeoutMs = hookTimeoutMs(ctx.app);
  const announceFirst = op.syncPhase === undefined
    && (plan.waves.length > 1 || plan.syncFail.length > 0 || plan.waves.some((w) => w.steps.some((s) => s.action === 'hook')) || compared.some((c) => c.prepared.pendingKind || modeOf(ctx.app, c) === 'recreate'));
  if (announceFirst) await input.announce(run.state);
  if (op.syncPhase === undefined) {
    const created = await ensureNamespace(ctx);
    if (created !== undefined) run.addRecords([created]);
  }
  for (let turn = 0; turn <= plan.waves.length + plan.syncFail.length + 1; turn++) {
    if (ctx.signal.aborted) return run.waiting(run.state.waitingFor ?? 'the controller to go on (it was stopping)', waitPollMs);
    const failing = run.state.failure !== undefined;
    const waves = failing ? plan.syncFail : plan.waves;
    const cursor = cursorOf(run.state);
    const next = nextWave(waves, failing && cursor?.phase !== 'SyncFail' ? undefined : cursor);
    const hooks = await observeHooks(ctx.deps, targetOf(ctx), run.state.hooks ?? []);
    run.progress({ hooks });
    const phaseHooks = hooks.filter((h) => (h.phase === 'SyncFail') === failing);
    const ready: Readiness = confirmed(ctx, next, readiness(next, phaseHooks, await membersOf(ctx, awaited(compared, next, failing), run.applied)), run.state.startedAt);
    if (ready.kind === 'waiting') {
      const since = Date.parse(run.state.waveStartedAt ?? run.state.startedAt);
      const elapsed = ctx.deps.now() - (Number.isNaN(since) ? ctx.deps.now() : since);
      if (elapsed < timeoutMs) return run.waiting(ready.what, timeoutMs - elapsed);
      const message = `timed out after ${Math.round(timeoutMs / 1000)}s (syncPolicy.hookTimeout) waiting for ${ready.what}`;
      await deleteHooks(targetOf(ctx), phaseHooks, stillRunning);
      run.progress({ hooks: endRunning(hooks, 'timed out') });
      const outcome = failing ? await run.finish(false, `${run.state.failure ?? ''}; SyncFail hooks: ${message}`) : undefined;
      if (outcome !== undefined) return outcome;
      run.progress({ failure: message });
      continue;
    }
    if (ready.kind === 'failed') {
      if (failing) return run.finish(false, `${run.state.failure ?? ''}; SyncFail hooks: ${ready.message}`);
      run.progress({ failure: ready.message });
      continue;
    }
    if (next === undefined) {
      if (failing) return run.finish(false, run.state.failure ?? 'failed');
      // The namespace CreateNamespace=true made is recorded, but not counted among the app's objects.
      return run.finish(true, summarizeRecords(run.resourceRecords.filter((r) => r.message !== createNamespaceMessage)));
    }
    const result = await runWave(next, { applier, isRetryable: isRetryableError });
    for (const [id, stored] of result.applied) if (!next.steps.some((s) => s.action === 'hook' && formatResourceKey(s.key) === id)) run.applied.set(id, stored);
    run.addRecords(result.records);
    const known = new Set((run.state.hooks ?? []).map((h) => `${h.kind}/${h.namespace}/${h.name}/${h.phase}`));
    const created = result.hooks.map((h) => hookRecord(h.stored, h.step.phase, h.step.wave)).filter((h) => !known.has(`${h.kind}/${h.namespace}/${h.name}/${h.phase}`));
    const { waitingFor: _w, ...rest } = run.state;
    run.state = rest;
    run.progress({
      syncPhase: next.phase, wave: next.wave, waveStartedAt: new Date(ctx.deps.now()).toISOString(),
      hooks: [...(run.state.hooks ?? []), ...created], message: `${next.phase} wave ${next.wave} applied`,
    });
    if (result.failed !== undefined) {
      const message = `${next.phase} wave ${next.wave} failed: ${result.failed}`;
      if (failing) return run.finish(false, `${run.state.failure ?? ''}; SyncFail hooks: ${message}`);
      run.progress({ failure: message });
    }
  }
  return run.waiting(run.state.waitingFor ?? 'the next wave', waitPollMs);
}

function withSyncOptions(app: Application, options: readonly string[]): Application {
  const syncPolicy = { ...(app.spec.syncPolicy ?? {}), syncOptions: [...(app.spec.syncPolicy?.syncOptions ?? []), ...options] };
  return { ...app, spec: { ...app.spec, syncPolicy } };
}

/**
 * A dry run (operation.sync.dryRun): every apply of the plan goes to the API server as a
 * server-side dry run, so its refusals show; prunes and hooks are listed, nothing is written.
 */
async function dryRun(ctx: ReconcileContext, run: Run, waves: readonly PlanWave[], compared: readonly ComparedObject[]): Promise<SyncProgress> {
  const byKey = new Map(compared.map((c) => [formatResourceKey(c.prepared.key), c]));
  const actionOf = (id: string): 'created' | 'configured' | 'unchanged' => {
    const c = byKey.get(id);
    return c?.live === undefined ? 'created' : c.inSync ? 'unchanged' : 'configured';
  };
  let failed: string | undefined;
  for (const wave of waves) {
    const records = await Promise.all(wave.steps.map(async (step): Promise<OperationResourceResult> => {
      const base = { group: step.key.group, kind: step.key.kind, namespace: step.key.namespace, name: step.key.name };
      if (step.action === 'prune') return { ...base, action: 'pruned', message: 'dry run' };
      if (step.action === 'hook') return { ...base, action: 'skipped', message: `${step.phase} hook: not run in a dry run` };
      try {
        await targetOf(ctx).applier.dryRun(step.object, { validate: validates(ctx.app, step.object) });
        return { ...base, action: actionOf(formatResourceKey(step.key)), message: 'dry run' };
      } catch (err) {
        if (isRetryableError(err)) throw err;
        const message = err instanceof Error ? err.message : String(err);
        failed ??= `${step.key.kind}/${step.key.name}: ${message}`;
        return { ...base, action: 'failed', message };
      }
    }));
    run.addRecords(records, { dryRun: true });
  }
  const summary = summarizeRecords(run.resourceRecords);
  return run.finish(failed === undefined, failed === undefined ? `dry run: ${summary}; nothing was written` : `dry run failed: ${failed}`);
}

