import type { KubeObject } from '../api/object.js';
import type { FieldChange } from './compare.js';
import { walkOwned } from './fields-v1.js';

/**
 * Field managers (from metadata.managedFields) that own the fields a change touched, other than
 * `except` (Capstan itself). A path is followed through fieldsV1 as deep as it goes, list
 * elements included (by merge key); the deepest owner wins. When no manager owns a changed
 * path, the manager of the latest update is named.
 */
export function managersOfChanges(live: KubeObject, changes: readonly FieldChange[], except: string): string[] {
  const entries = (live.metadata.managedFields ?? []).filter((m) => m.manager !== undefined && m.manager !== except);
  const found = new Set<string>();
  for (const change of changes) {
    let best: { manager: string; depth: number }[] = [];
    for (const entry of entries) {
      const { depth } = walkOwned(entry.fieldsV1, live, change.path);
      if (depth === 0) continue;
      if (best.length === 0 || depth > (best[0]?.depth ?? 0)) best = [{ manager: entry.manager ?? '', depth }];
      else if (depth === best[0]?.depth) best.push({ manager: entry.manager ?? '', depth });
    }
    for (const b of best) found.add(b.manager);
  }
  if (found.size === 0) {
    const latest = [...entries].filter((e) => e.time !== undefined).sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '')).pop();
    if (latest?.manager !== undefined) found.add(latest.manager);
  }
  return [...found].sort();
}
