/**
 * PostDelete hooks (Argo CD's, and Helm's post-delete): once an app being deleted has deleted
 * its objects, the hooks of the revision it last synced are created and waited for, each
 * reconcile looking again (no worker waits), at most syncPolicy.hookTimeout; then the deletion
 * finishes. Their progress is in operationState (syncPhase PostDelete). A hook that failed or
 * timed out is reported (Warning Event) and left for the operator to read, unless its delete
 * policy removes it: a failed clean-up never keeps an app from being deleted for ever.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Application, OperationHook, OperationState } from '../api/application.js';
import { syncIdAnnotation } from '../api/annotations.js';
import { eventReasons, reasons } from '../api/conditions.js';
import { ok } from '../api/result.js';
import type { KubeObject } from '../api/object.js';
import { boundList, boundText } from '../api/text.js';
import { appKeyOf } from '../api/tracking.js';
import { hookSpecOf } from '../sync/hooks.js';
import { readRequests } from './annotations.js';
import { targetOf, type ReconcileContext, type Step } from './context.js';
import type { ReconcileDeps } from './deps.js';
import { runPipeline } from './pipeline.js';
import { checkClusterScope } from './steps/cluster-scope.js';
import type { ReconcileResult } from './queue.js';
import { writeStatusIfChanged } from './status/write.js';
import { stepApplier } from './steps/apply.js';
import { deleteHooks, endRunning, hookRecord, observeHooks, removedByPolicy, stillRunning } from './steps/hook-objects.js';
import { prepare, type PreparedObject } from './steps/prepare.js';
import { findDestination } from './steps/destination.js';
import { checkProject, checkProjectResources } from './steps/project.js';
import { render } from './steps/render.js';
import { resolveRevision } from './steps/resolve.js';
import { hookTimeoutMs } from './steps/sync.js';

const pollMs = 5_000;

/** The same for every pass of one deletion, so that a restarted controller finds the hooks it made. */
function deletionSyncId(app: Application): string {
  return `pd-${createHash('sha256').update(`${app.metadata.uid ?? ''}/${app.metadata.deletionTimestamp ?? ''}`).digest('hex').slice(0, 10)}`;
}

/** Whether a recorded hook is the one made from this manifest (a generateName hook by its prefix). */
function madeFrom(record: OperationHook, hook: PreparedObject): boolean {
  const { name, generateName } = hook.object.metadata;
  return record.kind === hook.key.kind && record.namespace === hook.key.namespace
    && (name !== undefined ? record.name === name : generateName !== undefined && record.name.startsWith(generateName));
}

/** After prepare: only the PostDelete hooks are checked (and run); the revision's other objects are not applied again. */
const keepPostDeleteHooks: Step = {
  name: 'post-delete-hooks',
  run: (ctx) => {
    ctx.prepared = [];
    ctx.hooks = (ctx.hooks ?? []).filter((h) => hookSpecOf(h.object)?.postDelete === true);
    return Promise.resolve(ok(undefined));
  },
};

/** Failures that waiting does not mend: the project or the cluster Secret does not permit the hooks. */
const refusals: readonly string[] = [reasons.projectDenied, reasons.outsideClusterScope];

/**
 * The PostDelete hooks of the revision the app last synced, if its project permits them; `error`
 * when they cannot be rendered (or are not permitted: `refused`).
 */
async function renderHooks(ctx: ReconcileContext): Promise<{ hooks: readonly PreparedObject[] } | { error: string; refused: boolean }> {
  const result = await runPipeline(ctx, [findDestination, checkProject, resolveRevision, render, prepare, keepPostDeleteHooks, checkClusterScope, checkProjectResources]);
  if (!result.ok) return { error: result.error.message, refused: refusals.includes(result.error.reason) };
  return { hooks: ctx.hooks ?? [] };
}

/**
 * Runs the app's PostDelete hooks: 'done' once there are none, or they all ended (or the wait
 * timed out); otherwise when to look again.
 */
export async function runPostDeleteHooks(deps: ReconcileDeps, app: Application, log: Logger, signal: AbortSignal): Promise<'done' | ReconcileResult> {
  const revision = app.status?.sync?.revision;
  if (revision === undefined) return 'done';
  const key = appKeyOf(app);
  const requests = { ...readRequests(app), syncRevision: revision, operation: undefined };
  const ctx: ReconcileContext = { deps, key, app, requests, log, signal, force: false };
  const now = new Date(deps.now()).toISOString();
  const previous = app.status?.operationState;
  const syncId = deletionSyncId(app);
  const started: OperationState = previous?.syncPhase === 'PostDelete' && previous.syncId === syncId ? previous : {
    phase: 'Running', message: 'running PostDelete hooks', startedAt: now, revision, initiatedBy: 'deletion', syncPhase: 'PostDelete', wave: 0, waveStartedAt: now, syncId, hooks: [],
  };
  const elapsed = deps.now() - Date.parse(started.startedAt);
  const timedOut = elapsed >= hookTimeoutMs(app);
  const rendered = await renderHooks(ctx);
  if ('error' in rendered) {
    if (!timedOut && !rendered.refused) return { requeueAfterMs: pollMs };
    deps.events.record(app, 'Warning', eventReasons.postDeleteHookFailed, boundText(`PostDelete hooks not run: the revision ${revision.slice(0, 7)} could not be rendered, or its project does not permit them: ${rendered.error}`, 1024));
    return 'done';
  }
  if (rendered.hooks.length === 0) return 'done';
  const applier = stepApplier(ctx, [], syncId);
  const records = [...(started.hooks ?? [])];
  for (const hook of rendered.hooks) {
    if (records.some((r) => madeFrom(r, hook))) continue;
    const stored = await applier.createHook({ key: hook.key, action: 'hook', object: hook.object, phase: 'PostDelete', wave: 0, mode: 'apply' });
    records.push(hookRecord(stored, 'PostDelete', 0));
  }
  const target = targetOf(ctx);
  const observed = await observeHooks(deps, target, records);
  const running = observed.filter((h) => h.status === 'Running');
  if (running.length > 0 && !timedOut) {
    const state: OperationState = { ...started, hooks: observed, waitingFor: `PostDelete hook ${boundList(running.map((h) => `${h.kind}/${h.name}`))} to complete` };
    await writeStatusIfChanged(deps, app, { ...(app.status ?? {}), operationState: state }, { now, removeHandled: false });
    return { requeueAfterMs: pollMs };
  }
  // Timed out: those still running are stopped; then the delete policies of the ended ones.
  await deleteHooks(target, observed, stillRunning);
  const ended = endRunning(observed, 'timed out');
  await deleteHooks(target, ended, removedByPolicy);
  const failed = ended.filter((h) => h.status === 'Failed');
  if (failed.length > 0) {
    deps.events.record(app, 'Warning', eventReasons.postDeleteHookFailed,
      `PostDelete hook ${boundList(failed.map((h) => `${h.kind}/${h.name}${h.message !== undefined ? ` (${h.message})` : ''}`))} did not succeed; the app is deleted anyway`);
  }
  return 'done';
}

/** True for a hook a deletion created: the finalizer leaves it alone while it runs. */
export function isPostDeleteHook(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[syncIdAnnotation]?.endsWith('/PostDelete') === true;
}
