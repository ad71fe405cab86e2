import type { DestinationRef } from './destination-rules.js';
import { ruleMatches } from './glob.js';
import type { SyncWindow } from './types.js';

/** What the selectors of a sync window look at. */
export interface WindowedApp {
  /** The Application's name. */
  readonly name: string;
  readonly destination: DestinationRef;
}

const plain = { negation: false } as const;
const anyMatches = (patterns: readonly string[], text: string): boolean => patterns.some((pattern) => ruleMatches(pattern, text, plain));

/**
 * Whether a window applies to the app, as Argo CD decides: by default when any selector it sets
 * matches (applications on the app's name, clusters on the destination's name or server,
 * namespaces on the destination namespace); with andOperator, when every selector it sets does.
 * A window that sets no selector applies to nothing.
 */
export function windowApplies(window: SyncWindow, app: WindowedApp): boolean {
  const { destination } = app;
  const checks: boolean[] = [];
  if ((window.applications ?? []).length > 0) checks.push(anyMatches(window.applications ?? [], app.name));
  if ((window.clusters ?? []).length > 0) {
    const clusters = window.clusters ?? [];
    const byName = destination.name !== undefined && destination.name !== '' && anyMatches(clusters, destination.name);
    const byServer = destination.server !== undefined && destination.server !== '' && anyMatches(clusters, destination.server);
    checks.push(byName || byServer);
  }
  if ((window.namespaces ?? []).length > 0) checks.push(anyMatches(window.namespaces ?? [], destination.namespace));
  if (checks.length === 0) return false;
  return window.andOperator === true ? checks.every(Boolean) : checks.some(Boolean);
}
