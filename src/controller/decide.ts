import { appAnnotations } from '../api/annotations.js';
import type { Application } from '../api/application.js';

export interface SyncDecision {
  readonly sync: boolean;
  readonly prune: boolean;
  readonly initiatedBy: string;
  readonly why: string;
}

export interface DecisionInput {
  readonly app: Application;
  readonly sha: string;
  /** Some desired object differs from the cluster or is missing. */
  readonly outOfSync: boolean;
  readonly hasPrunable: boolean;
  /** A `capstan.dev/sync` token not handled yet. */
  readonly requestedToken: string | undefined;
}

/** Auto-sync is paused while a sync-revision (rollback) annotation pins the app. */
export function isAutoSyncPaused(app: Application): boolean {
  return (app.metadata.annotations?.[appAnnotations.syncRevision] ?? '') !== '';
}

/**
 * Whether this reconcile syncs (pure). A requested sync always runs. Automated sync runs when
 * Git moved to a revision not synced yet and something differs; with selfHeal it also runs to
 * revert drift. A failed automated sync of the same revision is retried up to retry.limit.
 */
export function decideSync(input: DecisionInput): SyncDecision {
  const { app, sha } = input;
  const automated = app.spec.syncPolicy?.automated;
  const prune = automated?.prune ?? false;
  const needed = input.outOfSync || (prune && input.hasPrunable);
  if (input.requestedToken !== undefined) {
    return { sync: true, prune, initiatedBy: `user (${input.requestedToken})`, why: 'sync requested' };
  }
  if (automated === undefined) return { sync: false, prune, initiatedBy: '', why: 'manual sync policy' };
  if (isAutoSyncPaused(app)) return { sync: false, prune, initiatedBy: '', why: 'auto-sync paused by a sync-revision annotation' };
  if (!needed) return { sync: false, prune, initiatedBy: '', why: 'in sync' };
  const op = app.status?.operationState;
  const attemptedThis = op?.revision === sha;
  if (attemptedThis && (op.phase === 'Failed' || op.phase === 'Error')) {
    const limit = app.spec.syncPolicy?.retry?.limit ?? 0;
    if (limit >= 0 && (op.retryCount ?? 0) >= limit) return { sync: false, prune, initiatedBy: '', why: 'automated sync of this revision failed; retries exhausted' };
    return { sync: true, prune, initiatedBy: 'automated (retry)', why: 'retrying a failed sync' };
  }
  if (!attemptedThis || op.phase === 'Interrupted' || op.phase === 'Running') {
    return { sync: true, prune, initiatedBy: 'automated', why: `new revision ${sha.slice(0, 7)}` };
  }
  if (automated.selfHeal === true) return { sync: true, prune, initiatedBy: 'automated (self-heal)', why: 'drift' };
  return { sync: false, prune, initiatedBy: '', why: 'drift (selfHeal is off)' };
}
