import type { Application, OperationResourceResult, OperationState, ResourceStatus } from '../../api/application.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';

/** What a dry run's record means for the object, judged by the comparison of the same reconcile. */
function dryRunAction(r: OperationResourceResult, resources: readonly ResourceStatus[]): string | undefined {
  if (r.action === 'pruned') return 'would prune';
  if (r.action !== 'configured') return r.action;
  const compared = resources.find((s) => s.group === r.group && s.kind === r.kind && s.namespace === r.namespace && s.name === r.name);
  if (compared?.status === 'Synced') return undefined;
  if (compared?.health?.status === 'Missing') return 'would create';
  return compared === undefined ? 'would apply' : 'would update';
}

function resourceLine(action: string, width: number, r: OperationResourceResult, message: string | undefined): string {
  return `  ${action.padEnd(width)} ${r.kind}/${r.name}${message !== undefined ? `: ${message}` : ''}`;
}

/**
 * The lines `capstan app sync --wait` prints for a finished operation: its phase and message,
 * then each object it changed. A dry run lists what a sync would change: objects the comparison
 * found in sync are counted, not listed.
 */
export function operationResultLines(op: OperationState, resources: readonly ResourceStatus[] = []): string[] {
  const shown = terminalSafeDeep(op);
  const lines = [`${shown.phase}: ${shown.message}${shown.revision !== undefined ? ` (revision ${shown.revision.slice(0, 7)})` : ''}`];
  const records = shown.resources ?? [];
  if (op.dryRun !== true) {
    for (const r of records) if (r.action !== 'unchanged') lines.push(resourceLine(r.action, 10, r, r.message));
    return lines;
  }
  let inSync = 0;
  for (const r of records) {
    const action = dryRunAction(r, resources);
    if (action === undefined) inSync++;
    else lines.push(resourceLine(action, 12, r, r.message === 'dry run' ? undefined : r.message));
  }
  if (records.length > 0 && inSync === records.length) lines.push('  nothing would change');
  else if (inSync > 0) lines.push(`  (${inSync} in sync, not listed)`);
  return lines;
}

/** Prints a finished operation; exit code 1 unless it succeeded. */
export function printOperationResult(app: Application, op: OperationState, io: CommandIO): void {
  io.out.write(`${operationResultLines(op, app.status?.resources).join('\n')}\n`);
  if (op.phase !== 'Succeeded') io.setExitCode(1);
}
