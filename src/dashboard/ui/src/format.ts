// Small text forms of an Application's fields, shared by the views.
import { appSources, type Application, type ApplicationDestination } from '../../../api/application.js';

/** A commit's first 7 characters; a chart version or other short revision as it is. */
export function shortRevision(revision: string | undefined): string {
  if (revision === undefined) return '';
  return /^[0-9a-f]{40}$/i.test(revision) ? revision.slice(0, 7) : revision;
}

/** Each source as "repoURL path@targetRevision", or "repoURL chart@version" for a chart. */
export function sourceLines(app: Application): string[] {
  return appSources(app.spec).map((source) => {
    const where = source.chart ?? source.path ?? '';
    const revision = source.targetRevision ?? 'HEAD';
    return [source.repoURL, where === '' ? '' : ` ${where}`, `@${revision}`].join('');
  });
}

export function destinationLabel(destination: ApplicationDestination): string {
  const cluster = destination.name ?? destination.server ?? 'in-cluster';
  return `${cluster} / ${destination.namespace ?? '(no namespace)'}`;
}

/** "automated, prune, self-heal", or "manual". */
export function syncPolicyLabel(app: Application): string {
  const automated = app.spec.syncPolicy?.automated;
  if (automated === undefined) return 'manual';
  return ['automated', automated.prune === true ? 'prune' : '', automated.selfHeal === true ? 'self-heal' : ''].filter((p) => p !== '').join(', ');
}
