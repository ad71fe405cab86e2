// Filtering of the Applications view: pure, so the list stays fast with a thousand apps and
// the rules are unit-tested without a browser.
import type { AppSummary } from '../../api-types.js';

/** The filter controls of the list; '' means "all". */
export interface AppListFilter {
  readonly sync: string;
  readonly health: string;
  readonly project: string;
  readonly namespace: string;
  readonly cluster: string;
  /** Free text matched against name, namespace, project, repository URL and path. */
  readonly search: string;
}

export const noFilter: AppListFilter = { sync: '', health: '', project: '', namespace: '', cluster: '', search: '' };

export type FilterField = Exclude<keyof AppListFilter, 'search'>;

export const filterFields: readonly FilterField[] = ['sync', 'health', 'project', 'namespace', 'cluster'];

/** The apps the filter lets through, in the order given. */
export function filterApps(apps: readonly AppSummary[], filter: AppListFilter): AppSummary[] {
  const words = filter.search.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  return apps.filter((app) => filterFields.every((field) => filter[field] === '' || app[field] === filter[field]) && matchesWords(app, words));
}

function matchesWords(app: AppSummary, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const text = [app.name, app.namespace, app.project, app.repoURL, app.path ?? ''].join('\n').toLowerCase();
  return words.every((word) => text.includes(word));
}

/** The distinct values of one field, sorted: the options of its select. */
export function filterOptions(apps: readonly AppSummary[], field: FilterField): string[] {
  const values = new Set<string>();
  for (const app of apps) if (app[field] !== '') values.add(app[field]);
  return [...values].sort((a, b) => a.localeCompare(b));
}

/** Apps sorted by namespace, then name. */
export function sortApps(apps: Iterable<AppSummary>): AppSummary[] {
  return [...apps].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
