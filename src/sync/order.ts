import type { ResourceKey } from '../api/object.js';
import { compareKindOrder, compareStrings } from './kind-order.js';

/** The phases in the order they run; SyncFail only after a failure, PostDelete once the app is deleted (both planned apart). */
export const syncPhases = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'PostDelete'] as const;
export type SyncPhase = (typeof syncPhases)[number];

export interface Orderable {
  phase: SyncPhase;
  wave: number;
  key: ResourceKey;
}

/** Phase, then wave: the order in which waves run. */
export function comparePhaseWave(a: Pick<Orderable, 'phase' | 'wave'>, b: Pick<Orderable, 'phase' | 'wave'>): number {
  return syncPhases.indexOf(a.phase) - syncPhases.indexOf(b.phase) || a.wave - b.wave;
}

/**
 * THE sync order (DESIGN.md §6.8): phase → wave → kind order → namespace → name. The group breaks the last tie, so
 * the order is total and a plan never depends on input order.
 */
export function compareSyncOrder(a: Orderable, b: Orderable): number {
  return (
    comparePhaseWave(a, b) ||
    compareKindOrder(a.key.kind, b.key.kind) ||
    compareStrings(a.key.namespace, b.key.namespace) ||
    compareStrings(a.key.name, b.key.name) ||
    compareStrings(a.key.group, b.key.group)
  );
}

/** The order of prunes within a wave: reverse kind order (a Deployment before its ConfigMap, a Namespace last), then namespace and name. */
export function comparePruneOrder(a: Orderable, b: Orderable): number {
  return (
    comparePhaseWave(a, b) ||
    compareKindOrder(b.key.kind, a.key.kind) ||
    compareStrings(a.key.namespace, b.key.namespace) ||
    compareStrings(a.key.name, b.key.name) ||
    compareStrings(a.key.group, b.key.group)
  );
}
