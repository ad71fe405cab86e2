import { setTimeout as sleep } from 'node:timers/promises';
import type { OperationResourceResult, ResourceAction } from '../api/application.js';
import { formatResourceKey, type KubeObject, type ResourceKey } from '../api/object.js';
import type { PlanStep, PlanWave } from './plan.js';
import type { Applier, HealthProbe } from './ports.js';

export interface ExecuteOptions {
  readonly applier: Applier;
  readonly health: HealthProbe;
  /** How long to wait for a wave to become healthy before the next wave starts. */
  readonly waveTimeoutMs?: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  /** Called after each step, e.g. for logs and Events. */
  readonly onStep?: (record: OperationResourceResult) => void;
  /**
   * Objects that must be healthy before `wave` starts. Default: what earlier waves applied.
   * A caller passes every object of earlier waves, applied now or in sync already.
   */
  readonly prerequisites?: (wave: PlanWave) => ResourceKey[];
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

/** An error the API server gave for one step: the operation fails, with this message. */
function stepMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function record(step: PlanStep, action: ResourceAction, message?: string): OperationResourceResult {
  return { group: step.key.group, kind: step.key.kind, namespace: step.key.namespace, name: step.key.name, action, ...(message ? { message } : {}) };
}

/**
 * Runs a plan wave by wave: before a wave starts, what earlier waves hold must be healthy;
 * then the wave's steps are applied (server-side) or pruned. The first failing step ends the
 * operation after its wave: later waves do not run. An aborted signal stops between steps of
 * waiting and is reported as interrupted.
 */
export async function executePlan(waves: readonly PlanWave[], options: ExecuteOptions): Promise<ExecutionResult> {
  const records: OperationResourceResult[] = [];
  const applied = new Map<string, KubeObject>();
  const appliedKeys: ResourceKey[] = [];
  const note = (r: OperationResourceResult): void => {
    records.push(r);
    options.onStep?.(r);
  };
  const end = (ok: boolean, message: string): ExecutionResult =>
    ({ ok, interrupted: !ok && options.signal?.aborted === true, message, records, applied });
  for (const wave of waves) {
    const before = options.prerequisites?.(wave) ?? [...appliedKeys];
    if (before.length > 0) {
      const waited = await waitHealthy(before, `before ${wave.phase} wave ${wave.wave}`, options);
      if (waited !== undefined) return end(false, waited);
    }
    if (options.signal?.aborted === true) return end(false, 'interrupted before all waves ran');
    let failed: string | undefined;
    for (const step of wave.steps) {
      try {
        if (step.action === 'apply') {
          const { stored, created } = await options.applier.apply(step.object);
          applied.set(formatResourceKey(step.key), stored);
          appliedKeys.push(step.key);
          note(record(step, created ? 'created' : 'configured'));
        } else {
          const outcome = await options.applier.delete(step.key, step.object);
          note(record(step, outcome === 'deleted' ? 'pruned' : 'unchanged', outcome === 'gone' ? 'already gone' : undefined));
        }
      } catch (err) {
        failed ??= `${step.key.kind}/${step.key.name}: ${stepMessage(err)}`;
        note(record(step, 'failed', stepMessage(err)));
      }
    }
    if (failed !== undefined) return end(false, `${wave.phase} wave ${wave.wave} failed: ${failed}`);
  }
  return end(true, summarize(records));
}

async function waitHealthy(keys: readonly ResourceKey[], when: string, options: ExecuteOptions): Promise<string | undefined> {
  const deadline = Date.now() + (options.waveTimeoutMs ?? 300_000);
  const names = (list: readonly ResourceKey[]): string => list.map((k) => `${k.kind}/${k.name}`).join(', ');
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
