import { appAnnotations } from '../api/annotations.js';
import type { Application, RetryPolicy } from '../api/application.js';
import { parseDuration } from './backoff.js';
import type { SelfHealState } from './self-heal.js';

/** What started a sync: closed, so that Events and history can tell them apart without parsing text. */
export type SyncTrigger = 'user' | 'automated' | 'self-heal' | 'retry' | 'resume';

/** Who approved the plan a sync applies (the field manager of capstan.dev/approve), and its hash. */
export interface SyncApproval {
  readonly by: string;
  readonly planHash: string;
}

export type SyncDecision =
  | {
    readonly sync: true; readonly prune: boolean; readonly trigger: SyncTrigger; readonly initiatedBy: string; readonly why: string;
    /** A sync of a plan the approval gate let through: who approved it, and the plan's hash. */
    readonly approved?: SyncApproval;
  }
  | {
    readonly sync: false; readonly prune: boolean; readonly why: string;
    /** A failed sync is retried after this long (retry.backoff). */
    readonly retryInMs?: number;
    /** retry.limit is used up for this revision. */
    readonly exhausted?: boolean;
    /** Self-heal waits: the same drift came back after each of its last heals. */
    readonly fight?: SelfHealState;
    /** A sync window of the app's project holds the sync back: why, and until when. */
    readonly window?: string;
    /** The app requires approval and its plan waits for it (the message says how to approve). */
    readonly approval?: string;
  };

export interface DecisionInput {
  readonly app: Application;
  readonly sha: string;
  /** specHash() of the app now. */
  readonly specHash: string;
  /** Some desired object differs from the cluster or is missing. */
  readonly outOfSync: boolean;
  readonly hasPrunable: boolean;
  /** A `capstan.dev/sync` token not handled yet. */
  readonly syncToken: string | undefined;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** Self-heal backoff for the drift found now (default: none, heal at once). */
  readonly selfHeal?: SelfHealState;
}

/** Auto-sync is paused while a sync-revision (rollback) annotation pins the app. */
export function isAutoSyncPaused(app: Application): boolean {
  return (app.metadata.annotations?.[appAnnotations.syncRevision] ?? '') !== '';
}

/** Automated syncs are retried 5 times when spec.syncPolicy.retry says nothing (Argo CD's default); -1 retries forever. */
export const defaultRetryLimit = 5;

export function retryLimitOf(app: Application): number {
  return app.spec.syncPolicy?.retry?.limit ?? defaultRetryLimit;
}

const defaultBackoff = { durationMs: 5_000, factor: 2, maxMs: 180_000 };

/** How long after the n-th failed attempt (n = retryCount, from 0) the next one runs: duration·factor^n, capped at maxDuration. */
export function retryDelayMs(retry: RetryPolicy | undefined, retryCount: number): number {
  const backoff = retry?.backoff;
  const duration = (backoff?.duration === undefined ? undefined : parseDuration(backoff.duration)) ?? defaultBackoff.durationMs;
  const max = (backoff?.maxDuration === undefined ? undefined : parseDuration(backoff.maxDuration)) ?? defaultBackoff.maxMs;
  const factor = backoff?.factor ?? defaultBackoff.factor;
  return Math.min(max, duration * factor ** Math.max(0, retryCount));
}

const label: Record<SyncTrigger, (token: string | undefined) => string> = {
  user: (token) => `user (${token ?? ''})`,
  automated: () => 'automated',
  'self-heal': () => 'automated (self-heal)',
  retry: () => 'automated (retry)',
  resume: () => 'automated',
};

function start(trigger: SyncTrigger, prune: boolean, why: string, token?: string): SyncDecision {
  return { sync: true, prune, trigger, initiatedBy: label[trigger](token), why };
}

/**
 * Whether this reconcile syncs (pure). A requested sync always runs. Automated sync runs when
 * Git moved to a revision not synced yet, or the spec changed what is applied (specHash), and
 * something differs; with selfHeal it also runs to revert drift, after the self-heal backoff when
 * the same drift keeps coming back (a field fight). A failed automated sync of the
 * same revision and spec is retried up to retry.limit times, each after its backoff delay.
 */
export function decideSync(input: DecisionInput): SyncDecision {
  const { app, sha } = input;
  const automated = app.spec.syncPolicy?.automated;
  const prune = automated?.prune ?? false;
  const needed = input.outOfSync || (prune && input.hasPrunable);
  if (input.syncToken !== undefined) return start('user', prune, 'sync requested', input.syncToken);
  if (automated === undefined) return { sync: false, prune, why: 'manual sync policy' };
  if (isAutoSyncPaused(app)) return { sync: false, prune, why: 'auto-sync paused by a sync-revision annotation' };
  if (!needed) return { sync: false, prune, why: 'in sync' };
  const op = app.status?.operationState;
  // An operation recorded before specHash existed counts as of the current spec.
  const attemptedThis = op !== undefined && op.revision === sha && (op.specHash ?? input.specHash) === input.specHash;
  if (!attemptedThis) {
    const why = op?.revision === sha ? 'the spec changed what is applied' : `new revision ${sha.slice(0, 7)}`;
    return start('automated', prune, why);
  }
  if (op.phase === 'Interrupted' || op.phase === 'Running') return start('automated', prune, 'resuming an interrupted sync');
  if (op.terminated === true) return { sync: false, prune, why: 'the sync of this revision was terminated; a new commit, a spec change or a requested sync starts again' };
  // An operation with its own retry (the operation field) retried itself; it is not retried again here.
  if (op.phase === 'Failed' && op.retry !== undefined) return { sync: false, prune, why: 'the requested operation failed after its own retries', exhausted: true };
  if (op.phase === 'Failed' || op.phase === 'Error') {
    const limit = retryLimitOf(app);
    const count = op.retryCount ?? 0;
    if (limit >= 0 && count >= limit) return { sync: false, prune, why: 'automated sync of this revision failed; retries exhausted', exhausted: true };
    const finished = Date.parse(op.finishedAt ?? op.startedAt);
    const due = (Number.isNaN(finished) ? 0 : finished) + retryDelayMs(app.spec.syncPolicy?.retry, count);
    if (input.now < due) return { sync: false, prune, why: 'waiting to retry a failed sync', retryInMs: due - input.now };
    return start('retry', prune, 'retrying a failed sync');
  }
  if (automated.selfHeal === true) {
    const fight = input.selfHeal;
    if (fight === undefined || fight.attempts === 0) return start('self-heal', prune, 'drift');
    if (fight.waitMs > 0) {
      return { sync: false, prune, why: `self-heal backs off: the same drift came back after ${fight.attempts} heals in a row`, retryInMs: fight.waitMs, fight };
    }
    return start('self-heal', prune, `drift that came back after ${fight.attempts} heals in a row`);
  }
  return { sync: false, prune, why: 'drift (selfHeal is off)' };
}
