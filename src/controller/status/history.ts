import type { HistoryEntry } from '../../api/application.js';

/** Appends a deployment to the history, keeping the newest `limit` entries (ids keep counting up). */
export function appendHistory(history: readonly HistoryEntry[] | undefined, entry: Omit<HistoryEntry, 'id'>, limit: number): HistoryEntry[] {
  const list = [...(history ?? [])];
  const id = list.reduce((max, h) => Math.max(max, h.id), 0) + 1;
  list.push({ id, ...entry });
  return list.slice(Math.max(0, list.length - Math.max(1, limit)));
}
