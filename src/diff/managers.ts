import { isRecord, type KubeObject } from '../api/object.js';
import type { FieldChange } from './compare.js';
import { parsePointer } from './pointer.js';

/**
 * Field managers (from metadata.managedFields) that own the fields a change touched, other than
 * `except` (Capstan itself). A path is followed through fieldsV1 (`f:<name>` keys) as deep as it
 * goes; list elements are not followed, so the owner of the enclosing list counts. When no
 * manager owns a changed path, the manager of the latest update is named.
 */
export function managersOfChanges(live: KubeObject, changes: readonly FieldChange[], except: string): string[] {
  const entries = (live.metadata.managedFields ?? []).filter((m) => m.manager !== undefined && m.manager !== except);
  const found = new Set<string>();
  for (const change of changes) {
    const tokens = parsePointer(change.path) ?? [];
    let best: { manager: string; depth: number }[] = [];
    for (const entry of entries) {
      const depth = ownedDepth(entry.fieldsV1, tokens);
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

/** How many leading tokens of `path` the fieldsV1 tree covers (0 when none). */
function ownedDepth(fields: unknown, tokens: readonly string[]): number {
  let node = fields;
  let depth = 0;
  for (const token of tokens) {
    if (!isRecord(node)) break;
    const next = node[`f:${token}`];
    if (next === undefined) break;
    node = next;
    depth++;
  }
  return depth;
}
