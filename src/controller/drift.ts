import { fieldManager } from '../api/annotations.js';
import { describeChanges, displayPath } from '../diff/summary.js';
import { managersOfChanges } from '../diff/managers.js';
import type { ComparedObject } from './steps/compare.js';

/** One desired object that differs from the cluster, described for status and Events. */
export interface Drift {
  /** 'Deployment/web' */
  readonly object: string;
  readonly missing: boolean;
  /** 'spec.replicas: 2 → 5' (bounded) */
  readonly summary: string;
  /** Display paths of the changed fields. */
  readonly paths: readonly string[];
  /** Who changed them, from the live object's managedFields (never Capstan itself). */
  readonly managers: readonly string[];
}

export function driftOf(compared: readonly ComparedObject[]): Drift[] {
  return compared.filter((c) => !c.inSync).map((c) => {
    const object = `${c.prepared.key.kind}/${c.prepared.key.name}`;
    if (c.live === undefined) return { object, missing: true, summary: 'missing', paths: [], managers: [] };
    return {
      object, missing: false,
      summary: describeChanges(c.changes, 3),
      paths: [...new Set(c.changes.map((ch) => displayPath(ch.path)))],
      managers: managersOfChanges(c.live, c.changes, fieldManager),
    };
  });
}

/** 'Deployment/web (spec.replicas: 2 → 5, by kubectl-edit)' */
export function describeDrift(d: Drift): string {
  if (d.missing) return `${d.object} (missing)`;
  const by = d.managers.length > 0 ? `, by ${d.managers.join(', ')}` : '';
  return d.summary === '' ? d.object : `${d.object} (${d.summary}${by})`;
}

/** 'Deployment/web: spec.replicas changed by kubectl-edit; restored' */
export function describeRestored(d: Drift): string {
  if (d.missing) return `${d.object}: was missing; re-created`;
  const by = d.managers.length > 0 ? ` by ${d.managers.join(', ')}` : '';
  return `${d.object}: ${d.paths.slice(0, 5).join(', ')} changed${by}; restored`;
}
