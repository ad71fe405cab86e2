import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ClusterPorts } from './components.js';
import { isRunning, type RecordedProcess } from './processes.js';

/** What `cluster:up` records so that later commands can find, reuse or stop the control plane. */
export interface ClusterState {
  readonly version: 1;
  readonly cacheKey: string;
  readonly server: string;
  readonly kubeconfig: string;
  readonly ports: ClusterPorts;
  readonly processes: RecordedProcess[];
  readonly startedAt: string;
}

export type StateAssessment =
  | { readonly kind: 'absent' }
  | { readonly kind: 'running'; readonly state: ClusterState }
  | { readonly kind: 'stale'; readonly reason: string; readonly processes: RecordedProcess[] };

export function readState(file: string): ClusterState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

export function writeState(file: string, state: ClusterState): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Classifies what a state directory holds: nothing, a control plane whose processes all run,
 * or leftovers of a crashed or interrupted run (some processes dead, or no state file at all
 * but a directory that is not empty).
 */
export function assessState(file: string, dirExists: boolean, cacheKey: string): StateAssessment {
  const state = readState(file);
  if (state === undefined) {
    return dirExists ? { kind: 'stale', reason: 'state directory without a valid state file', processes: [] } : { kind: 'absent' };
  }
  const processes = state.processes;
  if (state.cacheKey !== cacheKey) return { kind: 'stale', reason: `built for ${state.cacheKey}, now ${cacheKey}`, processes };
  const dead = processes.filter((p) => !isRunning(p));
  if (dead.length > 0) return { kind: 'stale', reason: `not running: ${dead.map((p) => p.name).join(', ')}`, processes };
  return { kind: 'running', state };
}
