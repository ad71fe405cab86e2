import { isRecord, valueAt } from '../api/object.js';

// Objects reach health rules as untyped JSON: every read below narrows what it finds and
// treats anything of the wrong shape as absent, so a malformed status never throws.

export { valueAt };

export function numberAt(root: unknown, ...path: string[]): number | undefined {
  const value = valueAt(root, path);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A replica or pod count: the API server omits counts that are zero. */
export function countAt(root: unknown, ...path: string[]): number {
  return numberAt(root, ...path) ?? 0;
}

export function stringAt(root: unknown, ...path: string[]): string | undefined {
  const value = valueAt(root, path);
  return typeof value === 'string' ? value : undefined;
}

export function booleanAt(root: unknown, ...path: string[]): boolean | undefined {
  const value = valueAt(root, path);
  return typeof value === 'boolean' ? value : undefined;
}

/** The entries of the list at a path that are records; an empty list when there is none. */
export function recordsAt(root: unknown, ...path: string[]): Record<string, unknown>[] {
  const value = valueAt(root, path);
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
