/**
 * The sync windows of the app's project, as the reconcile obeys them: an automated sync (auto-sync,
 * self-heal, retry) waits while they hold it back, a manual one goes ahead only when they let
 * manual syncs through (else it is recorded as failed, never dropped), and a sync already running
 * finishes (as in Argo CD).
 */
import type { OperationState } from '../api/application.js';
import { reasons } from '../api/conditions.js';
import { syncWindowState, type SyncWindowState } from '../projects/index.js';
import { targetOf, type ReconcileContext } from './context.js';
import type { SyncDecision, SyncTrigger } from './decide.js';
import type { SyncProgress } from './steps/sync.js';

/** What sync windows hold back as automated. */
const automatedTriggers: ReadonlySet<SyncTrigger> = new Set<SyncTrigger>(['automated', 'self-heal', 'retry']);

/** The project's sync windows for the app now; undefined when the app's project is not known (nothing holds back). */
export function windowStateOf(ctx: ReconcileContext): SyncWindowState | undefined {
  if (ctx.project === undefined) return undefined;
  const target = targetOf(ctx);
  return syncWindowState(ctx.project, {
    name: ctx.app.metadata.name ?? '',
    destination: { server: target.server, name: target.cluster, namespace: ctx.app.spec.destination.namespace ?? '' },
  }, new Date(ctx.deps.now()));
}

/** The message a held-back sync shows (the window and until when). */
const heldMessage = (state: SyncWindowState): string => state.message ?? 'a sync window holds syncs back';

/**
 * An automated sync decided while the windows hold automated syncs back does not start: the app
 * is compared as usual, and looked at again when the windows change (nextChange). Any other
 * decision is returned as it is.
 */
export function holdAutomated(decision: SyncDecision, state: SyncWindowState | undefined, now: number): SyncDecision {
  if (!decision.sync || state === undefined || state.automatedAllowed || !automatedTriggers.has(decision.trigger)) return decision;
  const opensInMs = state.nextChange === undefined ? undefined : Math.max(1_000, state.nextChange.getTime() - now);
  return { sync: false, prune: decision.prune, why: heldMessage(state), window: heldMessage(state), ...(opensInMs === undefined ? {} : { retryInMs: opensInMs }) };
}

/** Whether a sync asked for by hand must be refused now. */
export function refusesManual(state: SyncWindowState | undefined): state is SyncWindowState {
  return state !== undefined && !state.manualAllowed;
}

export interface ManualRequest {
  readonly initiatedBy: string;
  /** The sync token (recorded form) the request came with, so that it counts as handled. */
  readonly syncToken?: string;
}

/**
 * A manual sync the windows refuse: recorded as a failed operation that never ran, with why and
 * until when. It names no revision, so that automated sync does not take it for a failed attempt
 * to retry: once the windows allow, an automated app syncs as for a new revision.
 */
export function windowRefusal(state: SyncWindowState, request: ManualRequest, now: string): { decision: SyncDecision; progress: SyncProgress } {
  const message = `sync not started: ${heldMessage(state)}`;
  const operation: OperationState = {
    phase: 'Failed', message, startedAt: now, finishedAt: now, initiatedBy: request.initiatedBy,
    ...(request.syncToken === undefined ? {} : { syncToken: request.syncToken }),
  };
  return {
    decision: { sync: false, prune: false, why: message, window: heldMessage(state) },
    progress: {
      state: operation, finished: true, ok: false, message, records: [], applied: new Map(), pruned: new Set(), refusedEmpty: false,
      refusedBy: reasons.syncWindowClosed,
    },
  };
}
