// The Applications view: every app of the stream, filtered, updated live.
import { useCallback, useMemo, useState } from 'preact/hooks';
import type { AppListEvent } from '../../../api-types.js';
import { filterApps, noFilter, sortApps, type AppListFilter } from '../app-list-filter.js';
import { appKey, applyAppListEvent, type AppMap } from '../app-list-state.js';
import { api } from '../api.js';
import { AppRow } from '../components/AppRow.js';
import { ListFilters } from '../components/ListFilters.js';
import { StatusSummary } from '../components/StatusSummary.js';
import { StreamMarker } from '../components/StreamMarker.js';
import { useEventStream } from '../sse.js';
import { asAppListEvent } from '../stream-events.js';
import { useNow } from '../use-now.js';

const emptyApps: AppMap = new Map();

export function AppList() {
  const [apps, setApps] = useState<AppMap>(emptyApps);
  const [loaded, setLoaded] = useState(false);
  const [streamError, setStreamError] = useState<string | undefined>(undefined);
  const [filter, setFilter] = useState<AppListFilter>(noFilter);
  const now = useNow();
  const onEvent = useCallback((event: AppListEvent) => {
    if (event.type === 'error') {
      setStreamError(event.message);
      return;
    }
    if (event.type === 'snapshot') setLoaded(true);
    setStreamError(undefined);
    setApps((current) => applyAppListEvent(current, event));
  }, []);
  const stream = useEventStream(api.appListStreamUrl, asAppListEvent, onEvent);
  const sorted = useMemo(() => sortApps(apps.values()), [apps]);
  const shown = useMemo(() => filterApps(sorted, filter), [sorted, filter]);
  return (
    <section class="page">
      <div class="page-title">
        <h1>Applications</h1>
        <span class="count" data-testid="app-count">
          {shown.length} of {sorted.length} apps
        </span>
        <StreamMarker state={stream} />
      </div>
      <StatusSummary apps={sorted} filter={filter} onChange={setFilter} />
      <ListFilters apps={sorted} filter={filter} onChange={setFilter} />
      {streamError === undefined ? null : <div class="error-box">{streamError}</div>}
      <div class="card table-card">
        <table class="app-table" data-testid="app-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Project</th>
              <th>Sync</th>
              <th>Health</th>
              <th>Revision</th>
              <th>Last sync</th>
              <th>Destination</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((app) => (
              <AppRow key={appKey(app)} app={app} now={now} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <div class="empty">{loaded ? (sorted.length === 0 ? 'No applications yet.' : 'No application matches the filters.') : 'Loading…'}</div> : null}
      </div>
    </section>
  );
}
