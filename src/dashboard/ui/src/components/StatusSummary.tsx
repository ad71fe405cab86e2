// Counts of the apps by sync and health status; clicking one filters the list to it.
import { useMemo } from 'preact/hooks';
import type { AppSummary } from '../../../api-types.js';
import type { AppListFilter } from '../app-list-filter.js';

interface StatusSummaryProps {
  readonly apps: readonly AppSummary[];
  readonly filter: AppListFilter;
  readonly onChange: (filter: AppListFilter) => void;
}

const syncOrder = ['Synced', 'OutOfSync', 'Unknown'];
const healthOrder = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

function countBy(apps: readonly AppSummary[], field: 'sync' | 'health', order: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const app of apps) counts.set(app[field], (counts.get(app[field]) ?? 0) + 1);
  const rank = (status: string): number => (order.includes(status) ? order.indexOf(status) : order.length);
  return [...counts].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

export function StatusSummary({ apps, filter, onChange }: StatusSummaryProps) {
  const sync = useMemo(() => countBy(apps, 'sync', syncOrder), [apps]);
  const health = useMemo(() => countBy(apps, 'health', healthOrder), [apps]);
  if (apps.length === 0) return null;
  const chip = (field: 'sync' | 'health', status: string, count: number) => {
    const active = filter[field] === status;
    return (
      <button
        key={`${field}-${status}`}
        type="button"
        class={`summary-chip status-${status.toLowerCase()}${active ? ' active' : ''}`}
        aria-pressed={active}
        title={active ? 'Show all' : `Only ${status}`}
        onClick={() => {
          onChange({ ...filter, [field]: active ? '' : status });
        }}
      >
        <strong>{count}</strong> {status}
      </button>
    );
  };
  return (
    <div class="summary">
      <div class="summary-group">
        <span class="summary-label">Sync</span>
        {sync.map(([status, count]) => chip('sync', status, count))}
      </div>
      <div class="summary-group">
        <span class="summary-label">Health</span>
        {health.map(([status, count]) => chip('health', status, count))}
      </div>
    </div>
  );
}
