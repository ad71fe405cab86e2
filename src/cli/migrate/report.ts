/**
 * What `capstan migrate --from argocd --dry-run` found, and how it is printed. Pure: the report
 * is gathered by inspect-argocd.ts; this file only shapes and prints it.
 */
import type { ResourceKey } from '../../api/object.js';
import type { ConfigNote } from '../../argocd/settings.js';
import type { Unsupported } from '../../argocd/unsupported.js';

/** How many object names each list of a report keeps (the counts are always complete). */
export const namesShown = 20;

/** A bounded list of object names: the first `namesShown`, and how many there are in all. */
export interface NameList {
  readonly count: number;
  readonly names: readonly string[];
}

/** What the first reconcile of an app Capstan compared would do. */
export interface AppChanges {
  readonly outcome: 'compared';
  /** Automated sync on: the first reconcile applies the differences. Off: the app shows OutOfSync, nothing is applied. */
  readonly autoSync: boolean;
  readonly create: NameList;
  readonly update: NameList;
  /** Tracked objects Git no longer declares, pruned by the first reconcile (automated sync with prune). */
  readonly prune: NameList;
  /** Tracked objects Git no longer declares that stay: automated prune is off. */
  readonly keep: NameList;
  /** Objects that exist and equal Git: taken over with no write. */
  readonly adopted: number;
  /** Objects Git declares that another app owns: left alone. */
  readonly shared: readonly string[];
}

/** The app has fields Capstan does not carry out: the controller refuses it (InvalidSpec), nothing is compared. */
export interface AppRefused {
  readonly outcome: 'refused';
  readonly unsupported: readonly Unsupported[];
}

/** The comparison could not be made (the controller would report the same failure). */
export interface AppFailed {
  readonly outcome: 'failed';
  readonly error: string;
}

export type AppOutcome = AppChanges | AppRefused | AppFailed;

export interface MigrationApp {
  readonly name: string;
  readonly project: string;
  /** `repoURL path@targetRevision` of each source. */
  readonly sources: readonly string[];
  /** `server-or-name/namespace`. */
  readonly destination: string;
  readonly outcome: AppOutcome;
}

export interface MigrationProject {
  readonly name: string;
  readonly unsupported: readonly Unsupported[];
}

export interface MigrationConfig {
  /** Whether argocd-cm exists (without it Argo CD's defaults apply). */
  readonly found: boolean;
  readonly trackingMethod: string;
  readonly problems: readonly ConfigNote[];
  readonly ignored: number;
}

export interface MigrationReport {
  readonly namespace: string;
  readonly config: MigrationConfig;
  readonly applications: readonly MigrationApp[];
  readonly projects: readonly MigrationProject[];
}

export interface MigrationSummary {
  readonly applications: number;
  readonly wouldChange: number;
  readonly unsupportedFields: number;
  readonly failed: number;
  readonly configProblems: number;
}

/** Up to `namesShown` of `names`, sorted, and their number. */
export function nameList(names: readonly string[]): NameList {
  return { count: names.length, names: [...names].sort().slice(0, namesShown) };
}

/** `Kind.group namespace/name`, as `capstan app plan` names objects. */
export function objectName(key: ResourceKey): string {
  const kind = key.group === '' ? key.kind : `${key.kind}.${key.group}`;
  return `${kind} ${key.namespace === '' ? '' : `${key.namespace}/`}${key.name}`;
}

/** The comparison's findings as the first reconcile would act on them: prunes only with automated prune on. */
export function changesOf(found: {
  readonly autoSync: boolean; readonly autoPrune: boolean;
  readonly create: readonly ResourceKey[]; readonly update: readonly ResourceKey[]; readonly prunable: readonly ResourceKey[];
  readonly adopted: number; readonly shared: readonly string[];
}): AppChanges {
  const prunes = found.autoSync && found.autoPrune;
  return {
    outcome: 'compared',
    autoSync: found.autoSync,
    create: nameList(found.create.map(objectName)),
    update: nameList(found.update.map(objectName)),
    prune: nameList(prunes ? found.prunable.map(objectName) : []),
    keep: nameList(prunes ? [] : found.prunable.map(objectName)),
    adopted: found.adopted,
    shared: found.shared,
  };
}

/** Whether the first reconcile would write to the app's objects. */
export function wouldChange(outcome: AppOutcome): boolean {
  return outcome.outcome === 'compared' && outcome.autoSync && outcome.create.count + outcome.update.count + outcome.prune.count > 0;
}

export function summaryOf(report: MigrationReport): MigrationSummary {
  const unsupported = (o: AppOutcome): number => (o.outcome === 'refused' ? o.unsupported.length : 0);
  return {
    applications: report.applications.length,
    wouldChange: report.applications.filter((a) => wouldChange(a.outcome)).length,
    unsupportedFields: report.applications.reduce((n, a) => n + unsupported(a.outcome), 0) + report.projects.reduce((n, p) => n + p.unsupported.length, 0),
    failed: report.applications.filter((a) => a.outcome.outcome === 'failed').length,
    configProblems: report.config.problems.length,
  };
}

/** 0 when the take-over would change nothing and everything is supported; 1 otherwise (also when a comparison failed or argocd-cm has problems). */
export function exitCodeOf(summary: MigrationSummary): 0 | 1 {
  return summary.wouldChange + summary.unsupportedFields + summary.failed + summary.configProblems === 0 ? 0 : 1;
}

/** `N applications, M would change, K unsupported fields`, and the failed comparisons and argocd-cm problems when there are any. */
export function summaryLine(s: MigrationSummary): string {
  const extra = [
    ...(s.failed > 0 ? [`${s.failed} could not be compared`] : []),
    ...(s.configProblems > 0 ? [`${s.configProblems} argocd-cm problems`] : []),
  ];
  return [`${s.applications} applications, ${s.wouldChange} would change, ${s.unsupportedFields} unsupported fields`, ...extra].join(', ');
}

function listLines(verb: string, list: NameList): string[] {
  if (list.count === 0) return [];
  const more = list.count > list.names.length ? [`      … and ${list.count - list.names.length} more`] : [];
  return [`    ${verb} ${list.count}:`, ...list.names.map((n) => `      ${n}`), ...more];
}

function outcomeLines(outcome: AppOutcome): string[] {
  switch (outcome.outcome) {
    case 'refused':
      return [
        '  would be refused (InvalidSpec): Argo CD fields Capstan does not carry out; nothing compared',
        ...outcome.unsupported.map((u) => `    ${u.path}: ${u.reason}`),
      ];
    case 'failed':
      return [`  comparison failed: ${outcome.error}`];
    case 'compared': {
      const { create, update, prune, keep } = outcome;
      const counts = `${create.count} to create, ${update.count} to update, ${prune.count} to prune`;
      const head = outcome.autoSync
        ? `  first reconcile: ${counts}`
        : `  first reconcile: nothing applied (no automated sync); out of sync: ${counts}`;
      return [
        head,
        `    taken over with no write (equal to Git): ${outcome.adopted}`,
        ...listLines(outcome.autoSync ? 'create' : 'missing', create),
        ...listLines(outcome.autoSync ? 'update' : 'differ', update),
        ...listLines('prune', prune),
        ...listLines('not pruned (automated prune off), Git no longer declares', keep),
        ...outcome.shared.map((s) => `    ${s}`),
      ];
    }
  }
}

/** The report as text: argocd-cm, each Application, each AppProject, then the summary line. */
export function formatReport(report: MigrationReport): string {
  const { config } = report;
  const lines = [
    `Argo CD in namespace ${report.namespace}`,
    config.found
      ? `argocd-cm: tracking by ${config.trackingMethod}; ${config.problems.length} keys Capstan does not carry out, ${config.ignored} ignored (no bearing on what is applied)`
      : `argocd-cm: not found; Argo CD's defaults apply (tracking by ${config.trackingMethod})`,
    ...config.problems.map((p) => `  ${p.message}`),
    '',
    `Applications (${report.applications.length}):`,
  ];
  for (const app of report.applications) {
    lines.push(`- ${app.name} (project ${app.project}) → ${app.destination}`);
    for (const source of app.sources) lines.push(`  source: ${source}`);
    lines.push(...outcomeLines(app.outcome));
  }
  lines.push('', `AppProjects (${report.projects.length}):`);
  for (const project of report.projects) {
    lines.push(`- ${project.name}: ${project.unsupported.length === 0 ? 'supported as it is' : `${project.unsupported.length} unsupported fields`}`);
    lines.push(...project.unsupported.map((u) => `    ${u.path}: ${u.reason}`));
  }
  lines.push('', summaryLine(summaryOf(report)));
  return lines.join('\n') + '\n';
}

/** The report for `-o json`: everything found, and the summary. */
export function reportJson(report: MigrationReport): MigrationReport & { summary: MigrationSummary } {
  return { ...report, summary: summaryOf(report) };
}
