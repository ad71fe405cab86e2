import PQueue from 'p-queue';
import type { OperationResourceResult, ResourceAction } from '../api/application.js';
import { formatResourceKey, type KubeObject } from '../api/object.js';
import { kindRank } from './kind-order.js';
import type { PlanStep, PlanWave } from './plan.js';
import type { Applier } from './ports.js';

export interface WaveOptions {
  readonly applier: Applier;
  /**
   * Errors that say nothing about the object (the API server throttling or failing, a lost
   * lease): the wave stops and the error is thrown, so the caller retries it later, instead of
   * recording the step as failed.
   */
  readonly isRetryable?: (err: unknown) => boolean;
  /** Steps of one kind rank written at once (default 8). */
  readonly parallelism?: number;
}

export interface WaveResult {
  /** The first step the API server refused, if any ('Kind/name: message'). */
  readonly failed: string | undefined;
  readonly records: OperationResourceResult[];
  /** Objects as stored after apply (hooks included), by formatted resource key of the step. */
  readonly applied: Map<string, KubeObject>;
  /** Hooks created, with the step that made them. */
  readonly hooks: { step: PlanStep; stored: KubeObject }[];
}

function stepMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function record(step: PlanStep, action: ResourceAction, message?: string, name?: string): OperationResourceResult {
  return { group: step.key.group, kind: step.key.kind, namespace: step.key.namespace, name: name ?? step.key.name, action, ...(message ? { message } : {}) };
}

/** Consecutive steps of the same kind rank (applies in kind order, prunes in reverse): each group is written at once. */
function rankGroups(steps: readonly PlanStep[]): PlanStep[][] {
  const groups: PlanStep[][] = [];
  let previous: string | undefined;
  for (const step of steps) {
    const id = `${step.action === 'prune' ? 'prune' : 'apply'}:${kindRank(step.key.kind)}`;
    if (id !== previous) groups.push([]);
    groups[groups.length - 1]?.push(step);
    previous = id;
  }
  return groups;
}

type StepOutcome =
  | { kind: 'applied'; stored: KubeObject; created: boolean }
  | { kind: 'deleted'; gone: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'retry'; error: unknown };

async function runStep(step: PlanStep, options: WaveOptions): Promise<StepOutcome> {
  try {
    if (step.action === 'apply') {
      const { stored, created } = await options.applier.apply(step.object, step.mode);
      return { kind: 'applied', stored, created };
    }
    if (step.action === 'hook') return { kind: 'applied', stored: await options.applier.createHook(step), created: true };
    return { kind: 'deleted', gone: (await options.applier.delete(step.key, step.object)) === 'gone' };
  } catch (err) {
    if (options.isRetryable?.(err) === true) return { kind: 'retry', error: err };
    return { kind: 'failed', message: stepMessage(err) };
  }
}

/**
 * Writes one wave: its steps one kind rank after another (objects of one rank at once). A step
 * the API server refuses is recorded and named in `failed`; the other steps still run. A
 * retryable error stops the wave and is thrown. Waiting for the wave to become healthy is the
 * caller's business: nothing here waits.
 */
export async function runWave(wave: PlanWave, options: WaveOptions): Promise<WaveResult> {
  const records: OperationResourceResult[] = [];
  const applied = new Map<string, KubeObject>();
  const hooks: { step: PlanStep; stored: KubeObject }[] = [];
  const pool = new PQueue({ concurrency: options.parallelism ?? 8 });
  let failed: string | undefined;
  for (const group of rankGroups(wave.steps)) {
    const outcomes = await Promise.all(group.map((step) => pool.add(() => runStep(step, options))));
    const retryable = outcomes.find((o) => o.kind === 'retry');
    outcomes.forEach((o, i) => {
      const step = group[i];
      if (step === undefined) return;
      if (o.kind === 'applied') {
        applied.set(formatResourceKey(step.key), o.stored);
        if (step.action === 'hook') {
          hooks.push({ step, stored: o.stored });
          records.push(record(step, 'created', `${step.phase} hook`, o.stored.metadata.name));
        } else {
          records.push(record(step, o.created ? 'created' : 'configured'));
        }
      } else if (o.kind === 'deleted') {
        records.push(record(step, o.gone ? 'unchanged' : 'pruned', o.gone ? 'already gone' : undefined));
      } else if (o.kind === 'failed') {
        failed ??= `${step.key.kind}/${step.key.name}: ${o.message}`;
        records.push(record(step, 'failed', o.message));
      }
    });
    if (retryable?.kind === 'retry') throw retryable.error;
  }
  return { failed, records, applied, hooks };
}

/** '3 created, 1 pruned' for the records of a whole operation. */
export function summarizeRecords(records: readonly OperationResourceResult[]): string {
  const counts = new Map<ResourceAction, number>();
  for (const r of records) counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
  if (counts.size === 0) return 'nothing to change';
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}
