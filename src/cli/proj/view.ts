import { describeDestination } from '../../projects/destination-rules.js';
import { windowOpen } from '../../projects/sync-windows.js';
import type { AppProject, ClusterResourceRestriction, GroupKind, SyncWindow } from '../../projects/types.js';
import { emptyCell, humanAge } from '../output/table.js';

/** How a project's list of globs is shown in one cell. */
export const joined = (items: readonly string[] | undefined, limit = 3): string => {
  const all = items ?? [];
  if (all.length <= limit) return all.join(', ');
  return `${all.slice(0, limit).join(', ')}, … (${all.length})`;
};

export const groupKind = (item: GroupKind | ClusterResourceRestriction): string =>
  `${item.group === '' ? 'core' : item.group}/${item.kind}${'name' in item && item.name !== undefined && item.name !== '' ? ` named ${item.name}` : ''}`;

/** `deny 0 22 * * * 1h` for one window. */
export const windowText = (window: SyncWindow): string => `${window.kind} ${window.schedule} ${window.duration}`;

/** The windows of a project in one cell: how many of each kind, and which are open at `now`. */
export function windowsCell(project: AppProject, now: Date): string {
  const windows = project.spec.syncWindows ?? [];
  if (windows.length === 0) return '';
  const count = (kind: string): number => windows.filter((w) => w.kind === kind).length;
  const open = windows.filter((w) => windowOpen(w, now) === true).map((w) => w.kind);
  const kinds = [count('allow') > 0 ? `${count('allow')} allow` : '', count('deny') > 0 ? `${count('deny')} deny` : ''].filter((k) => k !== '').join(', ');
  return open.length === 0 ? kinds : `${kinds} (open now: ${open.join(', ')})`;
}

export const destinationsCell = (project: AppProject): string => {
  const destinations = project.spec.destinations ?? [];
  return destinations.length === 0 ? '0' : `${destinations.length}: ${joined(destinations.map(describeDestination), 2)}`;
};

export const ageCell = (project: AppProject): string =>
  project.metadata.creationTimestamp === undefined ? emptyCell : humanAge(project.metadata.creationTimestamp);

/** An implicit project is not stored: it has no creation time. */
export const isImplicit = (project: AppProject): boolean => project.metadata.creationTimestamp === undefined;
