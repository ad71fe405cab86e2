import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { OperationResourceResult, ResourceAction } from '../api/application.js';
import { formatResourceKey, type KubeObject, type ResourceKey } from '../api/object.js';
import { boundList } from '../api/text.js';
import { kindRank } from './kind-order.js';
import type { PlanStep, PlanWave } from './plan.js';
import type { Applier, HealthProbe } from './ports.js';

export interface ExecuteOptions {
  readonly applier: Applier;
  readonly health: HealthProbe;
  /** How long to wait for a wave to become healthy before the next wave starts. */
  readonly waveTimeoutMs?: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Objects that must be healthy before `wave` starts. Default: what earlier waves applied.
   * A caller passes every object of earlier waves, applied now or in sync already.
   */
  readonly prerequisites?: (wave: PlanWave) => ResourceKey[];
  /**
   * Errors that say nothing about the object (the API server throttling or failing, a lost
   * lease): the operation stops and the error is thrown, so the caller retries it later,
   * instead of recording the step as failed.
   */
  readonly isRetryable?: (err: unknown) => boolean;
  /** Steps of one kind rank written at once (default 8). */
  readonly parallelism?: number;
}

export interface ExecutionResult {
  readonly ok: boolean;
  /** The signal stopped the operation before it finished. */
  readonly interrupted: boolean;
  readonly message: string;
  readonly records: OperationResourceResult[];
  /** Objects as stored after apply, by formatted resource key. */
  readonly applied: Map<string, KubeObject>;
}

function stepMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function record(step: PlanStep, action: ResourceAction, message?: string): OperationResourceResult {
  return { group: step.key.group, kind: step.key.kind, namespace: step.key.namespace, name: step.key.name, action, ...(message ? { message } : {}) };
}

/** Consecutive steps of the same kind rank (applies in kind order, prunes in reverse): each group is written at once. */
function rankGroups(steps: readonly PlanStep[]): PlanStep[][] {
  const groups: PlanStep[][] = [];
  let previous: string | undefined;
  for (const step of steps) {
    const id = `${step.action}:${kindRank(step.key.kind)}`;
    if (id !== previous) groups.push([]);
    groups[groups.length - 1]?.push(step);
    previous = id;
  }
  return groups;
}

/**
 * Runs a plan wave by wave: before a wave starts, what earlier waves hold must be healthy;
 * then the wave's steps are written, one kind rank after another (objects of one rank at
 * once). A step the API server refuses fails the operation after its wave: later waves do
 * not run. A retryable error stops the operation and is thrown. An aborted signal stops it
 * before the next wave or while it waits, reported as interrupted.
 */
export async function executePlan(waves: readonly PlanWave[], options: ExecuteOptions): Promise<ExecutionResult> {
  const records: OperationResourceResult[] = [];
  const applied = new Map<string, KubeObject>();
  const appliedKeys: ResourceKey[] = [];
  const end = (ok: boolean, message: string): ExecutionResult =>
    ({ ok, interrupted: !ok && options.signal?.aborted === true, message, records, applied });
  const pool = new PQueue({ concurrency: options.parallelism ?? 8 });
  for (const wave of waves) {
    const before = options.prerequisites?.(wave) ?? [...appliedKeys];
    if (before.length > 0) {
      const waited = await waitHealthy(before, `before ${wave.phase} wave ${wave.wave}`, options);
      if (waited !== undefined) return end(false, waited);
    }
    if (options.signal?.aborted === true) return end(false, 'interrupted before all waves ran');
    let failed: string | undefined;
    for (const group of rankGroups(wave.steps)) {
      const outcomes = await Promise.all(group.map((step) => pool.add(() => runStep(step, options))));
      const retryable = outcomes.find((o) => o.kind === 'retry');
      outcomes.forEach((o, i) => {
        const step = group[i];
        if (step === undefined) return;
        if (o.kind === 'applied') {
          applied.set(formatResourceKey(step.key), o.stored);
          appliedKeys.push(step.key);
          records.push(record(step, o.created ? 'created' : 'configured'));
        } else if (o.kind === 'deleted') {
          records.push(record(step, o.gone ? 'unchanged' : 'pruned', o.gone ? 'already gone' : undefined));
        } else if (o.kind === 'failed') {
          failed ??= `${step.key.kind}/${step.key.name}: ${o.message}`;
          records.push(record(step, 'failed', o.message));
        }
      });
      if (retryable?.kind === 'retry') throw retryable.error;
    }
    if (failed !== undefined) return end(false, `${wave.phase} wave ${wave.wave} failed: ${failed}`);
  }
  return end(true, summarize(records));
}

type StepOutcome =
  | { kind: 'applied'; stored: KubeObject; created: boolean }
  | { kind: 'deleted'; gone: boolean }
  | { kind: 'failed'; message: string }
  | { kind: 'retry'; error: unknown };

async function runStep(step: PlanStep, options: ExecuteOptions): Promise<StepOutcome> {
  try {
    if (step.action === 'apply') {
      const { stored, created } = await options.applier.apply(step.object, step.mode);
      return { kind: 'applied', stored, created };
    }
    return { kind: 'deleted', gone: (await options.applier.delete(step.key, step.object)) === 'gone' };
  } catch (err) {
    if (options.isRetryable?.(err) === true) return { kind: 'retry', error: err };
    return { kind: 'failed', message: stepMessage(err) };
  }
}

async function waitHealthy(keys: readonly ResourceKey[], when: string, options: ExecuteOptions): Promise<string | undefined> {
  const deadline = Date.now() + (options.waveTimeoutMs ?? 300_000);
  const names = (list: readonly ResourceKey[]): string => boundList(list.map((k) => `${k.kind}/${k.name}`));
  for (;;) {
    if (options.signal?.aborted === true) return `interrupted while waiting for resources to become healthy ${when}`;
    const statuses = await Promise.all(keys.map((k) => options.health(k)));
    const pending = keys.filter((_, i) => statuses[i] !== 'Healthy');
    const degraded = keys.filter((_, i) => statuses[i] === 'Degraded');
    if (pending.length === 0) return undefined;
    if (degraded.length > 0) return `${names(degraded)} degraded ${when}`;
    if (Date.now() > deadline) return `timed out ${when} waiting for ${names(pending)} to become healthy`;
    await sleep(options.pollMs ?? 1_000, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => undefined);
  }
}

function summarize(records: readonly OperationResourceResult[]): string {
  const counts = new Map<ResourceAction, number>();
  for (const r of records) counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
  if (counts.size === 0) return 'nothing to change';
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}
