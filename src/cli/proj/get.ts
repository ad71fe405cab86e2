import { windowOpen } from '../../projects/sync-windows.js';
import type { AppProject } from '../../projects/types.js';
import { validateProject } from '../../projects/validate.js';
import { printStructured, type OutputFormat } from '../output/format.js';
import type { CommandIO } from '../output/io.js';
import { emptyCell, renderTable } from '../output/table.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';
import { ageCell, groupKind, isImplicit } from './view.js';

export interface ProjectGetFlags {
  output: OutputFormat;
}

const orNone = (items: readonly string[] | undefined): string => ((items ?? []).length === 0 ? emptyCell : (items ?? []).join(', '));

function section(io: CommandIO, title: string, columns: readonly string[], rows: readonly (readonly string[])[]): void {
  if (rows.length === 0) return;
  io.out.write(`\n${title}\n`);
  io.out.write(renderTable(columns, rows));
}

function resourceRows(project: AppProject): string[][] {
  const { spec } = project;
  const rows = (scope: string, rule: string, items: readonly Parameters<typeof groupKind>[0][] | undefined): string[][] =>
    (items ?? []).map((item) => [scope, rule, groupKind(item)]);
  return [
    ...rows('cluster', 'allow', spec.clusterResourceWhitelist),
    ...rows('cluster', 'deny', spec.clusterResourceBlacklist),
    ...(spec.namespaceResourceWhitelist === undefined ? [['namespaced', 'allow', 'every kind']] : rows('namespaced', 'allow', spec.namespaceResourceWhitelist)),
    ...rows('namespaced', 'deny', spec.namespaceResourceBlacklist),
  ];
}

/** `capstan proj get NAME`: every rule of one project, and what keeps it from being used. */
export function printProject(fetched: AppProject, flags: ProjectGetFlags, io: CommandIO, now = new Date()): void {
  if (flags.output === 'json' || flags.output === 'yaml') {
    printStructured(fetched, flags.output, io.out);
    return;
  }
  const project = terminalSafeDeep(fetched);
  const { spec } = project;
  const orphaned = spec.orphanedResources;
  const summary: [string, string][] = [
    ['Name', `${project.metadata.namespace ?? ''}/${project.metadata.name ?? ''}${isImplicit(project) ? ' (implicit: no AppProject named default exists)' : ''}`],
    ['Description', spec.description ?? emptyCell],
    ['Source Repos', orNone(spec.sourceRepos)],
    ['Source Namespaces', orNone(spec.sourceNamespaces)],
    ['Orphaned Resources', orphaned === undefined ? 'not tracked' : `${orphaned.warn === true ? 'warn' : 'tracked, no warning'}${(orphaned.ignore ?? []).length > 0 ? `; ignoring ${(orphaned.ignore ?? []).map((k) => `${k.group ?? ''}/${k.kind ?? '*'}/${k.name ?? '*'}`).join(', ')}` : ''}`],
    ['Age', ageCell(project)],
  ];
  const width = Math.max(...summary.map(([k]) => k.length)) + 2;
  io.out.write(summary.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n') + '\n');
  section(io, 'DESTINATIONS', ['server', 'name', 'namespace'], (spec.destinations ?? []).map((d) => [d.server ?? '', d.name ?? '', d.namespace ?? '']));
  if ((spec.destinations ?? []).length === 0) io.out.write('\nDESTINATIONS\nnone: apps of this project may deploy nowhere\n');
  section(io, 'RESOURCES', ['scope', 'rule', 'group/kind'], resourceRows(project));
  section(io, 'SYNC WINDOWS', ['kind', 'schedule', 'duration', 'time zone', 'applications', 'namespaces', 'clusters', 'manual sync', 'match', 'open now'], (spec.syncWindows ?? []).map((w) => {
    const open = windowOpen(w, now);
    return [
      w.kind, w.schedule, w.duration, w.timeZone ?? 'UTC', orNone(w.applications), orNone(w.namespaces), orNone(w.clusters),
      w.manualSync === true ? 'yes' : 'no', w.andOperator === true ? 'all' : 'any', open === undefined ? 'invalid' : open ? 'yes' : 'no',
    ];
  }));
  section(io, 'SERVICE ACCOUNTS', ['server', 'namespace', 'service account'], (spec.destinationServiceAccounts ?? []).map((a) => [a.server, a.namespace ?? '', a.defaultServiceAccount]));
  const problems = validateProject(fetched);
  if (problems.length > 0) {
    io.out.write('\nPROBLEMS (apps of this project are refused until they are fixed)\n');
    io.out.write(terminalSafeDeep(problems).map((p) => `- ${p}\n`).join(''));
  }
}
