/** How `capstan app get` shows the operation: where a running one is, its hooks, its next attempt. Pure. */
import { isCompleted, type OperationState } from '../../api/application.js';
import { emptyCell, humanAge, humanDuration } from '../output/table.js';

/** `Running — PreSync wave 0, waiting for hook Job/migrate to complete before Sync wave 0` */
export function runningOperationText(op: OperationState): string {
  const scope = [op.dryRun === true ? 'dry run' : '', op.selected !== undefined ? `only ${op.selected.length} selected resource${op.selected.length === 1 ? '' : 's'}` : '']
    .filter((s) => s !== '');
  const suffix = scope.length > 0 ? ` (${scope.join(', ')})` : '';
  if (op.phase === 'Terminating' || (op.nextAttemptAt !== undefined && op.syncPhase === undefined)) return `${op.phase} — ${op.message}${suffix}`;
  const at = op.syncPhase !== undefined && op.wave !== undefined ? `${op.syncPhase} wave ${op.wave}` : 'starting';
  return `${op.phase} — ${at}${op.waitingFor !== undefined ? `, waiting for ${op.waitingFor}` : ''}${suffix}`;
}

/**
 * `2026-12-01T00:00:08Z, in 8s (retry 1)`. A Running operation waiting to retry already counts
 * the coming attempt; a Failed one (auto-sync's retry) counts the attempt that failed.
 */
export function nextAttemptText(op: OperationState, now: Date): string | undefined {
  if (op.nextAttemptAt === undefined) return undefined;
  const due = Date.parse(op.nextAttemptAt) - now.getTime();
  const when = Number.isNaN(due) ? '' : due > 0 ? `, in ${humanDuration(due)}` : ', due now';
  const retry = isCompleted(op.phase) ? (op.retryCount ?? 0) + 1 : (op.retryCount ?? 1);
  return `${op.nextAttemptAt}${when} (retry ${retry})`;
}

/** The summary lines about the operation: `Operation` while it runs, else `Last Operation`; then `Next Attempt`. */
export function operationSummary(op: OperationState | undefined, now: Date = new Date()): [string, string][] {
  if (op === undefined) return [['Last Operation', emptyCell]];
  const rows: [string, string][] = isCompleted(op.phase)
    ? [['Last Operation', `${op.phase} ${op.finishedAt !== undefined ? `${humanAge(op.finishedAt, now)} ago` : ''}: ${op.message}`]]
    : [['Operation', runningOperationText(op)]];
  const next = nextAttemptText(op, now);
  if (next !== undefined) rows.push(['Next Attempt', next]);
  return rows;
}

export const hookColumns = ['phase', 'wave', 'kind', 'name', 'status', 'message'] as const;

/** The HOOKS table's rows, in the order the operation ran them. */
export function hookRows(op: OperationState | undefined): string[][] {
  return (op?.hooks ?? []).map((h) => [h.phase, String(h.wave), h.kind, h.name, h.status, h.message ?? '']);
}
