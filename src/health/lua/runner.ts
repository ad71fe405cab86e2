import { isHealthStatus, type HealthAssessment } from '../../api/health.js';
import { WorkerRunner } from '../../worker/runner.js';
import { isLuaCheckResult, type LuaHealthJob } from './protocol.js';
import type { LuaCheckResult } from './sandbox.js';

/** A health script and where it came from (named in its errors). */
export interface HealthScript {
  readonly source: string;
  /** The script also gets `string`, `math` and `coroutine` (Argo CD's useOpenLibs). */
  readonly openLibs: boolean;
  /** e.g. `capstan-config key resource.customizations.health.cert-manager.io_Certificate`. */
  readonly origin: string;
}

export interface LuaHealthRun {
  readonly health: HealthAssessment | null;
  readonly stopped: boolean;
}

export interface LuaHealthRunnerOptions {
  /** A run not answered within this long stops the worker (default 900 ms; the sandbox stops plain loops at 500 ms). */
  readonly timeoutMs?: number;
}

/**
 * Runs Lua health checks in a worker thread, so that no script can hang or crash the
 * controller: each ends as a health, `Unknown` with the reason when the script failed, did
 * not compile, returned something else than Argo CD's `{status, message}`, or ran past its
 * time or memory.
 */
export class LuaHealthRunner {
  private readonly runner: WorkerRunner<LuaCheckResult>;

  constructor(options: LuaHealthRunnerOptions = {}) {
    this.runner = new WorkerRunner({ name: 'Lua', entry: new URL('./lua-worker', import.meta.url), timeoutMs: options.timeoutMs ?? 900, maxHeapMb: 64 }, isLuaCheckResult);
  }

  /** The health `script` gives `obj`; null when it returned nothing (no health, as in Argo CD). */
  async assess(script: HealthScript, obj: unknown): Promise<HealthAssessment | null> {
    return (await this.run(script, obj)).health;
  }

  /** The health, and whether the run was stopped by its time or memory limit (rather than ending by itself). */
  async run(script: HealthScript, obj: unknown): Promise<LuaHealthRun> {
    let outcome;
    try {
      outcome = await this.runner.run({ source: script.source, openLibs: script.openLibs, object: obj } satisfies LuaHealthJob);
    } catch (err) {
      return { health: unknown(script, err instanceof Error ? err.message : String(err)), stopped: false };
    }
    switch (outcome.kind) {
      case 'value':
        return { health: healthOf(script, outcome.value), stopped: outcome.value.kind === 'error' && outcome.value.limit === true };
      case 'error':
        return { health: unknown(script, outcome.message), stopped: false };
      case 'timeout':
        return { health: unknown(script, `it did not finish within ${outcome.timeoutMs} ms`), stopped: true };
      case 'exhausted':
        return { health: unknown(script, `it ran out of memory (${outcome.message})`), stopped: true };
    }
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}

function healthOf(script: HealthScript, result: LuaCheckResult): HealthAssessment | null {
  if (result.kind === 'error') return unknown(script, result.message);
  if (result.status === undefined && result.message === undefined) return null;
  if (result.status === undefined || !isHealthStatus(result.status)) {
    return unknown(script, `it returned an invalid health status ${JSON.stringify(result.status ?? null)}`);
  }
  return result.message === undefined || result.message === '' ? { status: result.status } : { status: result.status, message: result.message };
}

function unknown(script: HealthScript, why: string): HealthAssessment {
  return { status: 'Unknown', message: `health check (${script.origin}) failed: ${why}` };
}
