// The deploy plan of an OutOfSync app: what a sync of the current render would do to each object.
import type { DeployPlan, DeployPlanItem } from '../../api/application.js';
import type { ResourceKey } from '../../api/object.js';
import { displayPath } from '../../diff/summary.js';
import { hookSpecOf } from '../../sync/hooks.js';
import { objectHash } from '../diff-cache.js';
import type { ComparedObject } from '../steps/compare.js';
import type { PreparedObject } from '../steps/prepare.js';
import type { LiveView } from '../steps/live.js';

/** Items kept in status; the counts always cover every object. */
export const maxPlanItems = 100;
const maxPathsPerItem = 20;

const order: Record<DeployPlanItem['action'], number> = { hook: 0, create: 1, update: 2, prune: 3 };
const keyText = (k: ResourceKey): string => `${k.group}/${k.kind}/${k.namespace}/${k.name}`;

interface Entry {
  readonly item: DeployPlanItem;
  /** What the hash covers beyond the item: the object to apply, or the object to delete, and the live values changed. */
  readonly hashed: unknown;
}

function entry(action: DeployPlanItem['action'], key: ResourceKey, extra: Partial<DeployPlanItem>, hashed: unknown): Entry {
  return { item: { action, group: key.group, kind: key.kind, namespace: key.namespace, name: key.name, ...extra }, hashed };
}

/**
 * The plan at `revision`: hooks the sync would run, objects it would create or update (with the
 * changed fields), and objects it would prune. Its hash covers, for each object, what would be
 * applied (or which live object deleted) and the live values an update changes, so a change of
 * Git or of those fields in the cluster gives another hash.
 */
export function buildPlan(revision: string, compared: readonly ComparedObject[], view: Pick<LiveView, 'prunable'>, hooks: readonly PreparedObject[]): DeployPlan {
  const entries: Entry[] = [];
  for (const h of hooks) {
    const phases = hookSpecOf(h.object)?.phases ?? [];
    if (phases.length === 0) continue;
    entries.push(entry('hook', h.key, { phases: [...phases] }, objectHash(h.object)));
  }
  for (const c of compared) {
    if (c.inSync) continue;
    if (c.live === undefined) {
      entries.push(entry('create', c.prepared.key, {}, objectHash(c.prepared.object)));
      continue;
    }
    const paths = [...new Set(c.changes.map((ch) => displayPath(ch.path)))];
    entries.push(entry('update', c.prepared.key, paths.length > 0 ? { paths: paths.slice(0, maxPathsPerItem) } : {},
      { object: objectHash(c.prepared.object), recreate: c.recreate, changes: c.changes.map((ch) => [ch.path, ch.live]) }));
  }
  for (const p of view.prunable) entries.push(entry('prune', p.key, {}, p.object.metadata.uid ?? keyText(p.key)));
  entries.sort((a, b) => order[a.item.action] - order[b.item.action] || keyText(a.item).localeCompare(keyText(b.item)));
  const counts = { create: 0, update: 0, prune: 0, hook: 0 };
  for (const e of entries) counts[e.item.action]++;
  const hash = objectHash({ revision, entries: entries.map((e) => [e.item.action, keyText(e.item), e.hashed]) }).slice(0, 16);
  const items = entries.slice(0, maxPlanItems).map((e) => e.item);
  return { revision, hash, counts, items, ...(entries.length > maxPlanItems ? { itemsTruncated: entries.length - maxPlanItems } : {}) };
}
