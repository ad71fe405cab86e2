import type { Application, OperationResourceResult, OperationState } from '../../api/application.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';

/** What a dry run's record means for the object: the controller records created, configured or unchanged as the comparison found it. */
function dryRunAction(r: OperationResourceResult): string | undefined {
  switch (r.action) {
    case 'pruned': return 'would prune';
    case 'created': return 'would create';
    case 'configured': return 'would update';
    case 'unchanged': return undefined;
    default: return r.action;
  }
}

function resourceLine(action: string, width: number, r: OperationResourceResult, message: string | undefined): string {
  return `  ${action.padEnd(width)} ${r.kind}/${r.name}${message !== undefined ? `: ${message}` : ''}`;
}

/**
 * The lines `capstan app sync --wait` prints for a finished operation: its phase and message,
 * then each object it changed. A dry run lists what a sync would change: objects found in sync
 * (recorded unchanged) are counted, not listed.
 */
export function operationResultLines(op: OperationState): string[] {
  const shown = terminalSafeDeep(op);
  const lines = [`${shown.phase}: ${shown.message}${shown.revision !== undefined ? ` (revision ${shown.revision.slice(0, 7)})` : ''}`];
  const records = shown.resources ?? [];
  if (op.dryRun !== true) {
    for (const r of records) if (r.action !== 'unchanged') lines.push(resourceLine(r.action, 10, r, r.message));
    return lines;
  }
  let inSync = 0;
  for (const r of records) {
    const action = dryRunAction(r);
    if (action === undefined) inSync++;
    else lines.push(resourceLine(action, 12, r, r.message === 'dry run' ? undefined : r.message));
  }
  if (records.length > 0 && inSync === records.length) lines.push('  nothing would change');
  else if (inSync > 0) lines.push(`  (${inSync} in sync, not listed)`);
  return lines;
}

/** Prints a finished operation; exit code 1 unless it succeeded. */
export function printOperationResult(app: Application, op: OperationState, io: CommandIO): void {
  io.out.write(`${operationResultLines(op).join('\n')}\n`);
  if (op.phase !== 'Succeeded') io.setExitCode(1);
}
