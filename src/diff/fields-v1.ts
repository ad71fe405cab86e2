/**
 * Reading metadata.managedFields (the `FieldsV1` format): which fields a field manager owns.
 * A FieldsV1 tree has `f:<name>` for map fields, `k:<json>` for list elements with merge keys,
 * `v:<json>` for elements of sets, `i:<n>` for positions, and `.` for "this node itself".
 */
import { isRecord, type KubeObject } from '../api/object.js';
import { arrayIndexOf, parsePointer } from './pointer.js';

/** The FieldsV1 trees of `manager` in `obj` (its Apply and Update entries; subresources such as status excluded). */
export function fieldsOf(obj: KubeObject | undefined, manager: string): unknown[] {
  return (obj?.metadata.managedFields ?? [])
    .filter((m) => m.manager === manager && m.subresource === undefined && m.fieldsV1 !== undefined)
    .map((m) => m.fieldsV1);
}

export interface OwnedWalk {
  /** How many leading tokens of the path the tree covers. */
  readonly depth: number;
  /** The path ends at or inside an owned field, or encloses owned fields. */
  readonly owned: boolean;
}

/** True when a FieldsV1 node has no children of its own: the field is owned as a whole (an atomic value). */
function isLeaf(node: unknown): boolean {
  return isRecord(node) && Object.keys(node).every((k) => k === '.');
}

/** The child of `node` that stands for element `element` (at `index`) of a list. */
function listChild(node: Record<string, unknown>, element: unknown, index: number): unknown {
  for (const [key, child] of Object.entries(node)) {
    if (key.startsWith('k:') && isRecord(element)) {
      const mergeKey = parseJson(key.slice(2));
      if (isRecord(mergeKey) && Object.entries(mergeKey).every(([k, v]) => JSON.stringify(element[k]) === JSON.stringify(v))) return child;
    } else if (key.startsWith('v:')) {
      if (JSON.stringify(parseJson(key.slice(2))) === JSON.stringify(element)) return child;
    } else if (key === `i:${index}`) {
      return child;
    }
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Follows a JSON pointer through a FieldsV1 tree, resolving list positions through the list
 * elements of `obj` (the object the tree belongs to). Owned means the manager owns the field at
 * the path, something under it, or an atomic field that contains it.
 */
export function walkOwned(fields: unknown, obj: unknown, path: string): OwnedWalk {
  const tokens = parsePointer(path) ?? [];
  let node = fields;
  let value = obj;
  let depth = 0;
  for (const token of tokens) {
    if (!isRecord(node)) return { depth, owned: false };
    if (depth > 0 && isLeaf(node) && node['.'] === undefined) return { depth, owned: true };
    const index = Array.isArray(value) ? arrayIndexOf(token) : undefined;
    let next: unknown;
    if (index !== undefined && Array.isArray(value)) {
      next = listChild(node, value[index], index);
      value = value[index];
    } else {
      next = node[`f:${token}`];
      value = isRecord(value) ? value[token] : undefined;
    }
    if (next === undefined) return { depth, owned: false };
    node = next;
    depth++;
  }
  return { depth, owned: isRecord(node) };
}

/**
 * True when `manager` owns the field at `path` (or under it, or an atomic field around it) in
 * `obj`. A Secret's `stringData` is stored as `data`: owning /stringData/x counts for /data/x.
 */
export function ownsPath(obj: KubeObject | undefined, manager: string, path: string): boolean {
  const trees = fieldsOf(obj, manager);
  const alternates = obj?.kind === 'Secret' && path.startsWith('/data') ? [path, path.replace(/^\/data/, '/stringData')] : [path];
  return trees.some((tree) => alternates.some((p) => walkOwned(tree, obj, p).owned));
}
