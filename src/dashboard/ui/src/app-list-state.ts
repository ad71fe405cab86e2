// The Applications view's data: the events of /api/apps/stream applied to a map keyed by
// namespace/name. An upsert replaces one entry and keeps the others' identity, so unchanged
// rows are not rendered again.
import type { AppListEvent, AppSummary } from '../../api-types.js';

export type AppMap = ReadonlyMap<string, AppSummary>;

export function appKey(app: { readonly namespace: string; readonly name: string }): string {
  return `${app.namespace}/${app.name}`;
}

/** The map after one event; the same map when the event changes nothing (an error event). */
export function applyAppListEvent(apps: AppMap, event: AppListEvent): AppMap {
  switch (event.type) {
    case 'snapshot':
      return new Map(event.apps.map((app) => [appKey(app), app]));
    case 'upsert': {
      const next = new Map(apps);
      next.set(appKey(event.app), event.app);
      return next;
    }
    case 'delete': {
      const key = appKey(event);
      if (!apps.has(key)) return apps;
      const next = new Map(apps);
      next.delete(key);
      return next;
    }
    case 'error':
      return apps;
  }
}
