/** Small readers for untrusted headers and JSON payloads: every value is checked before use. */
import { valueAt } from '../../api/object.js';
import type { WebhookHeaders } from './types.js';

/** The value at `path` inside nested objects, or undefined when any step is missing. */
export function fieldAt(value: unknown, ...path: string[]): unknown {
  return valueAt(value, path);
}

/** A non-empty string at `path`, trimmed, or undefined. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  const found = fieldAt(value, ...path);
  if (typeof found !== 'string') return undefined;
  const trimmed = found.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The given strings without blanks and repeats, in order. */
export function distinct(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

/** Git hosts report a deleted branch as the all-zero SHA: that is no revision. */
export function commitOrUndefined(sha: string | undefined): string | undefined {
  return sha === undefined || /^0+$/.test(sha) ? undefined : sha;
}

/** A header's trimmed value, or undefined when absent or blank. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The media type of Content-Type, lower case and without parameters ('application/json'). */
export function mediaType(headers: WebhookHeaders): string {
  return (headerValue(headers, 'content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}
