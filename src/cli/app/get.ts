import { type Application, appSources, isMultiSource, primarySource } from '../../api/application.js';
import { coloursFor, type ColourMode } from '../output/colour.js';
import { printStructured, type OutputFormat } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { colourHealth, colourSync } from '../output/status-colour.js';
import { emptyCell, humanAge, renderTable } from '../output/table.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';
import { hookColumns, hookRows, operationSummary } from './operation-view.js';
import { redactApplication } from './redact.js';

export interface GetFlags {
  output: OutputFormat;
  color: ColourMode;
}

/** `capstan app get NAME`: summary, conditions and resources of one Application. */
export function printApp(fetched: Application, flags: GetFlags, io: CommandIO): void {
  const found = redactApplication(fetched);
  if (flags.output === 'json' || flags.output === 'yaml') {
    printStructured(found, flags.output, io.out);
    return;
  }
  const app = terminalSafeDeep(found);
  const c = coloursFor(flags.color, { stream: io.out, env: io.env });
  const s = app.status;
  const op = s?.operationState;
  const summary: [string, string][] = [
    ['Name', `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`],
    ['Repo', primarySource(app.spec).repoURL + (isMultiSource(app.spec) ? ` (and ${appSources(app.spec).length - 1} more sources)` : '')],
    ['Path', primarySource(app.spec).chart !== undefined ? `chart ${primarySource(app.spec).chart ?? ''}` : primarySource(app.spec).path ?? '.'],
    ['Target', primarySource(app.spec).targetRevision ?? 'HEAD'],
    ['Destination', app.spec.destination.namespace ?? emptyCell],
    ['Sync Policy', app.spec.syncPolicy?.automated === undefined ? 'manual' : `automated (prune=${String(app.spec.syncPolicy.automated.prune ?? false)}, selfHeal=${String(app.spec.syncPolicy.automated.selfHeal ?? false)})`],
    ['Sync Status', `${colourSync(s?.sync?.status, c) || emptyCell}${s?.sync?.revision !== undefined ? ` to ${s.sync.revision.slice(0, 7)}` : ''}`],
    ['Health', `${colourHealth(s?.health?.status, c) || emptyCell}${s?.health?.message !== undefined ? ` (${s.health.message})` : ''}`],
    ...operationSummary(op),
    ['Reconciled', s?.reconciledAt !== undefined ? `${humanAge(s.reconciledAt)} ago` : emptyCell],
  ];
  const width = Math.max(...summary.map(([k]) => k.length)) + 2;
  io.out.write(summary.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n') + '\n');
  const conditions = s?.conditions ?? [];
  if (conditions.length > 0) {
    io.out.write('\nCONDITIONS\n');
    io.out.write(renderTable(['type', 'status', 'reason', 'age', 'message'], conditions.map((x) => [x.type, x.status, x.reason, humanAge(x.lastTransitionTime), x.message])));
  }
  const hooks = hookRows(op);
  if (hooks.length > 0) {
    io.out.write('\nHOOKS\n');
    io.out.write(renderTable(hookColumns, hooks));
  }
  const resources = s?.resources ?? [];
  if (resources.length > 0) {
    io.out.write('\nRESOURCES\n');
    io.out.write(renderTable(['group', 'kind', 'namespace', 'name', 'status', 'health', 'message'], resources.map((r) => [
      r.group, r.kind, r.namespace, r.name,
      `${colourSync(r.status, c)}${r.requiresPruning === true ? ' (requires pruning)' : ''}`,
      colourHealth(r.health?.status, c), r.message ?? r.health?.message ?? '',
    ])));
    if (s?.resourcesTruncated !== undefined) io.out.write(`… and ${s.resourcesTruncated} more not listed\n`);
  }
}

/** `capstan app history NAME` */
export function printHistory(app: Application, flags: GetFlags, io: CommandIO): void {
  const history = app.status?.history ?? [];
  if (flags.output === 'json' || flags.output === 'yaml') {
    printStructured(history, flags.output, io.out);
    return;
  }
  // Who approved which plan, in columns of their own once some entry was an approved plan.
  const approvals = history.some((h) => h.approvedBy !== undefined || h.planHash !== undefined);
  io.out.write(renderTable(['id', 'deployed', 'revision', 'initiated by', ...(approvals ? ['approved by', 'plan'] : [])], terminalSafeDeep([...history]).reverse().map((h) => [
    String(h.id), `${h.deployedAt} (${humanAge(h.deployedAt)} ago)`, h.revision, h.initiatedBy,
    ...(approvals ? [h.approvedBy ?? '', h.planHash ?? ''] : []),
  ])));
}
