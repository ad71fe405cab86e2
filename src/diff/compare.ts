import { isRecord, type KubeObject } from '../api/object.js';
import type { IgnoreRule } from './ignore.js';
import { removePointers } from './ignore.js';
import type { SelectedPaths } from './ignored-paths.js';
import { isSecret, normalizeForCompare, normalizeSecret } from './normalize.js';
import { ownsPath } from './fields-v1.js';
import { escapeToken } from './pointer.js';

/** One difference; `path` is a JSON pointer such as /spec/replicas. `undefined` means the field is absent on that side. */
export interface FieldChange {
  path: string;
  live: unknown;
  desired: unknown;
}

export interface ObjectDiff {
  equal: boolean;
  changes: FieldChange[];
}

export interface DiffOptions {
  ignore?: readonly IgnoreRule[];
  /** What the rules' jq expressions select in each side (selectIgnoredPaths): left out of that side. */
  selected?: SelectedPaths;
  /**
   * Count only fields this field manager owns in `predicted` or in `live` (what the manifest
   * sets, or set before and now drops). Fields the manifest never set (a controller's
   * annotation, a server default) are never drift, whatever version of the object the dry run
   * started from.
   */
  manager?: string;
}

/** Stands in for Secret values in a FieldChange: changes end up in status messages and Events, secrets must not. */
export const redactedValue = '<redacted>';

/**
 * Compares `predicted` (what the live object would be after applying, or the desired object for an offline view) with
 * `live`. Both are normalised first (normalizeSecret, then normalizeForCompare) and the ignored fields removed (the
 * rules' pointers from both sides, what their jq expressions selected from each side), so raw objects can be passed.
 * Maps are compared key by key (a key on one side only is a change, so `{}` and absent differ); arrays element by
 * element when their lengths match, otherwise as a whole at the array's path. Changes are ordered by path, keys
 * sorted, so the same difference always reads the same. Values under a Secret's data are redacted.
 */
export function diffObjects(predicted: KubeObject, live: KubeObject, options: DiffOptions = {}): ObjectDiff {
  const pointers = (options.ignore ?? []).flatMap((rule) => rule.pointers);
  const ignoredManagers = (options.ignore ?? []).flatMap((rule) => rule.managers ?? []);
  const desired = removePointers(normalizeForCompare(normalizeSecret(predicted)), [...pointers, ...(options.selected?.desired ?? [])]);
  const current = removePointers(normalizeForCompare(normalizeSecret(live)), [...pointers, ...(options.selected?.live ?? [])]);
  const all: FieldChange[] = [];
  collectChanges('', desired, current, all);
  const { manager } = options;
  const changes = all.filter((change) =>
    (manager === undefined || ownsPath(predicted, manager, change.path) || ownsPath(live, manager, change.path))
    && !ignoredManagers.some((m) => ownsPath(live, m, change.path)));
  const reported = isSecret(predicted) || isSecret(live) ? changes.map(redactSecretData) : changes;
  return { equal: reported.length === 0, changes: reported };
}

function collectChanges(path: string, desired: unknown, live: unknown, out: FieldChange[]): void {
  if (Array.isArray(desired) && Array.isArray(live)) {
    const desiredItems = desired as unknown[];
    const liveItems = live as unknown[];
    if (desiredItems.length !== liveItems.length) {
      out.push({ path, live, desired });
      return;
    }
    desiredItems.forEach((item, index) => {
      collectChanges(`${path}/${String(index)}`, item, liveItems[index], out);
    });
    return;
  }
  if (isRecord(desired) && isRecord(live)) {
    const keys = [...new Set([...Object.keys(desired), ...Object.keys(live)])].sort();
    for (const key of keys) collectChanges(`${path}/${escapeToken(key)}`, desired[key], live[key], out);
    return;
  }
  if (desired !== live) out.push({ path, live, desired });
}

const secretValuePaths = ['/data', '/stringData'];

function redactSecretData(change: FieldChange): FieldChange {
  const underData = secretValuePaths.some((prefix) => change.path === prefix || change.path.startsWith(`${prefix}/`));
  if (!underData) return change;
  return { path: change.path, live: redact(change.live), desired: redact(change.desired) };
}

function redact(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isRecord(value)) return Object.fromEntries(Object.keys(value).map((key) => [key, redactedValue]));
  return redactedValue;
}
