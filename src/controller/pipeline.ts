import type { Failure } from '../api/result.js';
import type { ReconcileContext, Step } from './context.js';
import { checkClusterScope } from './steps/cluster-scope.js';
import { compare } from './steps/compare.js';
import { findDestination } from './steps/destination.js';
import { guardNamespaces } from './steps/guard.js';
import { readLive } from './steps/live.js';
import { prepare } from './steps/prepare.js';
import { checkProject, checkProjectResources } from './steps/project.js';
import { render } from './steps/render.js';
import { resolveRevision } from './steps/resolve.js';
import { validate } from './steps/validate.js';

/** The steps before a sync, in order (DESIGN.md §2.2). */
export const comparePipeline: readonly Step[] = [
  validate, findDestination, checkProject, resolveRevision, render, prepare, checkClusterScope, checkProjectResources, guardNamespaces, readLive, compare,
];

export type PipelineResult = { readonly ok: true } | { readonly ok: false; readonly step: string; readonly error: Failure };

/** Runs the steps in order; the first that fails ends the run, with nothing applied or pruned. */
export async function runPipeline(ctx: ReconcileContext, steps: readonly Step[] = comparePipeline): Promise<PipelineResult> {
  for (const step of steps) {
    const result = await step.run(ctx);
    if (!result.ok) return { ok: false, step: step.name, error: result.error };
  }
  return { ok: true };
}
