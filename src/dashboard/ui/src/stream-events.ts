// The events of the two streams, read from the JSON of a server-sent event: an object with a
// known `type`, or undefined (ignored).
import type { AppEvent, AppListEvent } from '../../api-types.js';

const appListTypes: ReadonlySet<string> = new Set(['snapshot', 'upsert', 'delete', 'error']);
const appTypes: ReadonlySet<string> = new Set(['app', 'tree', 'delete', 'error']);

function typeOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('type' in data)) return undefined;
  return typeof data.type === 'string' ? data.type : undefined;
}

export function asAppListEvent(data: unknown): AppListEvent | undefined {
  const type = typeOf(data);
  return type !== undefined && appListTypes.has(type) ? (data as AppListEvent) : undefined;
}

export function asAppEvent(data: unknown): AppEvent | undefined {
  const type = typeOf(data);
  return type !== undefined && appTypes.has(type) ? (data as AppEvent) : undefined;
}
