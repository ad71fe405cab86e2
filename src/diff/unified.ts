import { createHmac, randomBytes } from 'node:crypto';
import { structuredPatch, type StructuredPatchHunk } from 'diff';
import { dump } from 'js-yaml';
import { isRecord, type KubeObject } from '../api/object.js';
import type { IgnoreRule } from './ignore.js';
import { removePointers } from './ignore.js';
import type { SelectedPaths } from './ignored-paths.js';
import { isSecret, normalizeForCompare, normalizeSecret } from './normalize.js';

export interface UnifiedDiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
  ignore?: readonly IgnoreRule[];
  /** What the rules' jq expressions selected in each side (as diffObjects takes it). */
  selected?: SelectedPaths;
}

const nullFile = '/dev/null';

/**
 * A unified diff from the live object to the desired one, both as YAML with sorted keys, after the normalisation
 * diffObjects applies (server-owned fields, status and ignored pointers left out). A missing side is /dev/null.
 * '' when they are equal. Secret values are shown as `<redacted hmac:…>`: equal values read the same and a changed
 * value shows as a changed line, but the text reveals nothing about the value. The hash is keyed afresh for every
 * call, so it cannot be matched against guesses, nor compared between two diffs.
 */
export function unifiedObjectDiff(live: KubeObject | undefined, desired: KubeObject | undefined, options: UnifiedDiffOptions = {}): string {
  const reference = desired ?? live;
  if (reference === undefined) return '';
  const pointers = (options.ignore ?? []).flatMap((rule) => rule.pointers);
  const redact = secretRedactor();
  const render = (obj: KubeObject | undefined, selected: readonly string[]): string =>
    (obj === undefined ? '' : yamlOf(redact(normalized(obj, [...pointers, ...selected]))));
  const before = render(live, options.selected?.live ?? []);
  const after = render(desired, options.selected?.desired ?? []);
  if (before === after) return '';
  const label = objectLabel(reference);
  const patch = structuredPatch(label, label, before, after, undefined, undefined, { context: options.context ?? 3 });
  const header = [`--- ${live === undefined ? nullFile : `live/${label}`}`, `+++ ${desired === undefined ? nullFile : `git/${label}`}`];
  return [...header, ...patch.hunks.flatMap(hunkLines)].join('\n') + '\n';
}

function normalized(obj: KubeObject, pointers: readonly string[]): KubeObject {
  return removePointers(normalizeForCompare(normalizeSecret(obj)), pointers);
}

function yamlOf(obj: KubeObject): string {
  return dump(obj, { sortKeys: true, noRefs: true, lineWidth: -1 });
}

/** `Kind/namespace/name`, or `Kind/name` for a cluster-scoped object. */
function objectLabel(obj: KubeObject): string {
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  return namespace === '' ? `${obj.kind}/${name}` : `${obj.kind}/${namespace}/${name}`;
}

function hunkLines(hunk: StructuredPatchHunk): string[] {
  // Unified diff convention: an empty range starts one line earlier (`@@ -0,0 +1,5 @@`).
  const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
  return [`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines];
}

const secretValueFields = ['data', 'stringData'];

/** Replaces the values of a Secret's data with keyed hashes; other objects pass through. One key per diff. */
function secretRedactor(): (obj: KubeObject) => KubeObject {
  const key = randomBytes(32);
  const token = (value: unknown): string => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `<redacted hmac:${createHmac('sha256', key).update(text).digest('hex').slice(0, 8)}>`;
  };
  return (obj) => {
    if (!isSecret(obj)) return obj;
    const copy: KubeObject = { ...obj };
    for (const field of secretValueFields) {
      const values = obj[field];
      if (isRecord(values)) copy[field] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, token(v)]));
    }
    return copy;
  };
}
