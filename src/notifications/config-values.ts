/** Reading the YAML values of notification keys: the document, `$<key>` Secret references, URLs. */

import { CORE_SCHEMA, load } from 'js-yaml';
import type { Result } from '../api/result.js';
import type { ConfigValue } from './types.js';

/** The Secret in the controller's namespace that `$<key>` values of notification services name. */
export const notificationsSecretName = 'capstan-notifications-secret';

export function loadYaml(text: string): Result<unknown, string> {
  try {
    return { ok: true, value: load(text, { schema: CORE_SCHEMA }) };
  } catch (err) {
    return { ok: false, error: `not YAML (${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)})` };
  }
}

const secretKey = /^[-._a-zA-Z0-9]+$/;

/** A string, or `$<key>` of Secret capstan-notifications-secret; undefined when wrong (said in problems). */
export function configValue(value: unknown, field: string, problems: string[]): ConfigValue | undefined {
  if (typeof value !== 'string' || value === '') {
    problems.push(`${field} must be a non-empty string (or $<key> of Secret ${notificationsSecretName})`);
    return undefined;
  }
  if (!value.startsWith('$')) return { literal: value };
  const key = value.slice(1);
  if (!secretKey.test(key)) {
    problems.push(`${field}: ${JSON.stringify(key)} is not a Secret key (letters, digits, -, _ and .)`);
    return undefined;
  }
  return { secretKey: key };
}

/** Is the value, when written in the config, an http(s) URL? A Secret reference is checked when it is read. */
export function checkUrl(value: ConfigValue | undefined, field: string, problems: string[]): void {
  if (value === undefined || !('literal' in value)) return;
  if (!isHttpUrl(value.literal)) problems.push(`${field}: ${JSON.stringify(value.literal)} is not an http or https URL`);
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Fields of a mapping that are not among the known ones, as problems. */
export function unknownFields(doc: Readonly<Record<string, unknown>>, known: readonly string[], what: string, problems: string[]): void {
  for (const field of Object.keys(doc)) {
    if (!known.includes(field)) problems.push(`${field} is not a field of ${what} (${known.join(', ')})`);
  }
}
