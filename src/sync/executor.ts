import { setTimeout as sleep } from 'node:timers/promises';
import type { OperationResourceResult, ResourceAction } from '../api/application.js';
import { formatResourceKey, type KubeObject } from '../api/object.js';
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
}

export interface ExecutionResult {
  readonly ok: boolean;
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
 * Runs a plan wave by wave: apply (server-side) and prune the steps of a wave, then, if more
 * waves follow, wait until what the wave applied is healthy. The first failing step ends the
 * operation after its wave: later waves do not run.
 */
export async function executePlan(waves: readonly PlanWave[], options: ExecuteOptions): Promise<ExecutionResult> {
  const records: OperationResourceResult[] = [];
  const applied = new Map<string, KubeObject>();
  const note = (r: OperationResourceResult): void => {
    records.push(r);
    options.onStep?.(r);
  };
  for (const [index, wave] of waves.entries()) {
    if (options.signal?.aborted === true) return { ok: false, message: 'interrupted before all waves ran', records, applied };
    let failed: string | undefined;
    for (const step of wave.steps) {
      try {
        if (step.action === 'apply') {
          const { stored, created } = await options.applier.apply(step.object);
          applied.set(formatResourceKey(step.key), stored);
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
    if (failed !== undefined) return { ok: false, message: `${wave.phase} wave ${wave.wave} failed: ${failed}`, records, applied };
    const last = index === waves.length - 1;
    if (!last) {
      const waited = await waitHealthy(wave, options);
      if (waited !== undefined) return { ok: false, message: waited, records, applied };
    }
  }
  return { ok: true, message: summarize(records), records, applied };
}

async function waitHealthy(wave: PlanWave, options: ExecuteOptions): Promise<string | undefined> {
  const deadline = Date.now() + (options.waveTimeoutMs ?? 300_000);
  const keys = wave.steps.filter((s) => s.action === 'apply').map((s) => s.key);
  for (;;) {
    const statuses = await Promise.all(keys.map((k) => options.health(k)));
    const pending = keys.filter((_, i) => statuses[i] !== 'Healthy');
    const degraded = keys.filter((_, i) => statuses[i] === 'Degraded');
    if (pending.length === 0) return undefined;
    if (degraded.length > 0) return `${wave.phase} wave ${wave.wave}: ${degraded.map((k) => `${k.kind}/${k.name}`).join(', ')} degraded`;
    if (Date.now() > deadline) return `${wave.phase} wave ${wave.wave}: timed out waiting for ${pending.map((k) => `${k.kind}/${k.name}`).join(', ')} to become healthy`;
    if (options.signal?.aborted === true) return 'interrupted while waiting for a wave to become healthy';
    await sleep(options.pollMs ?? 1_000);
  }
}

function summarize(records: readonly OperationResourceResult[]): string {
  const counts = new Map<ResourceAction, number>();
  for (const r of records) counts.set(r.action, (counts.get(r.action) ?? 0) + 1);
  if (counts.size === 0) return 'nothing to change';
  return [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
}
