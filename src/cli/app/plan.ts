// `capstan app plan NAME`: what a sync would do, read from status.plan, printed as a plan.
import type { Application, DeployPlan, DeployPlanItem } from '../../api/application.js';
import type { Colours } from '../output/colour.js';
import { printStructured, type OutputFormat } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe, terminalSafeDeep } from '../output/terminal-safe.js';

const symbols: Record<DeployPlanItem['action'], string> = { create: '+', update: '~', prune: '-', hook: '*' };

function objectName(i: DeployPlanItem): string {
  const kind = i.group === '' ? i.kind : `${i.kind}.${i.group}`;
  return i.namespace === '' ? `${kind}/${i.name}` : `${kind} ${i.namespace}/${i.name}`;
}

function itemLines(i: DeployPlanItem, c: Colours): string[] {
  const paint = (text: string): string => (i.action === 'create' ? c.green(text) : i.action === 'update' ? c.yellow(text) : i.action === 'prune' ? c.red(text) : c.cyan(text));
  const what = i.action === 'hook' ? ` (${(i.phases ?? []).join(', ')} hook)` : i.action === 'prune' ? ' (prune)' : '';
  return [`  ${paint(symbols[i.action])} ${objectName(i)}${c.dim(what)}`, ...(i.paths ?? []).map((p) => `      ${c.dim(p)}`)];
}

export function formatPlan(app: Application, plan: DeployPlan, c: Colours): string {
  const key = `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;
  const { create, update, prune, hook } = plan.counts;
  return [
    `Plan for ${key} at ${plan.revision.slice(0, 12)} (plan ${c.bold(plan.hash)}):`,
    '',
    ...plan.items.flatMap((i) => itemLines(i, c)),
    ...(plan.itemsTruncated !== undefined ? [`  … and ${plan.itemsTruncated} more (counted below)`] : []),
    '',
    `Plan: ${c.green(`${create} to create`)}, ${c.yellow(`${update} to update`)}, ${c.red(`${prune} to prune`)}, ${c.cyan(`${hook} hook${hook === 1 ? '' : 's'}`)}.`,
    '',
  ].join('\n');
}

/** Prints the plan; returns whether there is one (an app that is Synced, or has not been compared, has none). */
export function printPlan(app: Application, flags: { output: OutputFormat }, c: Colours, io: CommandIO): boolean {
  const plan = app.status?.plan;
  if (flags.output === 'json' || flags.output === 'yaml') {
    printStructured(plan ?? null, flags.output, io.out);
    return plan !== undefined;
  }
  if (plan === undefined) {
    const sync = app.status?.sync?.status ?? 'Unknown';
    io.out.write(terminalSafe(`${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''} has no plan: it is ${sync}${sync === 'Synced' ? ' (nothing to do)' : ''}`) + '\n');
    return false;
  }
  io.out.write(formatPlan(app, terminalSafeDeep(plan), c));
  return true;
}
