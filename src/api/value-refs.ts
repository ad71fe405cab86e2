import type { ApplicationSource } from './application.js';

/** A values file of another source: `$<ref>/<path>` (Argo CD's multi-source syntax). */
export function parseValueRef(name: string): { ref: string; path: string } | undefined {
  const match = /^\$([A-Za-z0-9_-]+)\/(.+)$/.exec(name);
  return match === null ? undefined : { ref: match[1] ?? '', path: match[2] ?? '' };
}

/** The refs a source's helm valueFiles name, each once. */
export function refsOf(source: Pick<ApplicationSource, 'helm'>): string[] {
  const refs = (source.helm?.valueFiles ?? []).map(parseValueRef).filter((r) => r !== undefined).map((r) => r.ref);
  return [...new Set(refs)];
}
