/** Dotted field access into the values conditions and templates see (`app.status.sync.revision`). */

import { isRecord } from '../api/object.js';

const segment = /^[A-Za-z_][A-Za-z0-9_-]*$|^[0-9]+$/;

/** `a.b.0.c` → its segments, or undefined when it is not a dotted path of names (and list indexes). */
export function parseFieldPath(text: string): string[] | undefined {
  const parts = text.split('.');
  return parts.every((p) => segment.test(p)) ? parts : undefined;
}

/** The value at the path, or null when a field on the way is missing (a number segment indexes a list). */
export function fieldAt(root: unknown, path: readonly string[]): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (Array.isArray(current) && /^[0-9]+$/.test(part)) current = current[Number(part)];
    else if (isRecord(current)) current = current[part];
    else return null;
    if (current === undefined) return null;
  }
  return current;
}

/** A field's value as text: strings as they are, numbers and booleans printed, lists and maps as JSON, missing as ''. */
export function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text's characters (grapheme clusters, so an emoji stays whole). */
export function characters(text: string): string[] {
  return Array.from(graphemes.segment(text), (s) => s.segment);
}
