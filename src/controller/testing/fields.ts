import { isRecord } from '../../api/object.js';

/**
 * The FieldsV1 tree of the fields a manifest sets, as the API server records it for an apply:
 * `f:` for map keys, `k:{"name":…}` for list elements that have a name, a leaf for other lists.
 */
export function fieldsOfManifest(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) return {};
  const tree: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (isRecord(child)) tree[`f:${key}`] = { '.': {}, ...fieldsOfManifest(child) };
    else if (Array.isArray(child) && child.every((e) => isRecord(e) && typeof e['name'] === 'string')) {
      const list: Record<string, unknown> = { '.': {} };
      for (const e of child as Record<string, unknown>[]) list[`k:${JSON.stringify({ name: e['name'] })}`] = { '.': {}, ...fieldsOfManifest(e) };
      tree[`f:${key}`] = list;
    } else tree[`f:${key}`] = {};
  }
  return tree;
}
