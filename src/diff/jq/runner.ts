import { WorkerRunner } from '../../worker/runner.js';
import { isJqOutputs, type JqJob } from './worker-protocol.js';

export interface JqRunnerOptions {
  /** A program running longer is stopped, and its worker replaced (default 5 s). */
  readonly timeoutMs?: number;
  /** The worker idle this long is stopped, giving its memory back (default 60 s). */
  readonly idleMs?: number;
  /** JavaScript heap of the worker in MiB (jq's own memory is capped by its build at 256 MiB; default 128). */
  readonly maxHeapMb?: number;
}

/** How one run ended: its outputs, jq's error message, or stopped for its time or memory. */
export type JqOutcome =
  | { readonly kind: 'outputs'; readonly outputs: unknown[] }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'exhausted'; readonly message: string };

/**
 * Runs jq programs in one worker thread (see WorkerRunner), one at a time, so that no expression
 * can block or exhaust the controller's own thread: a program that runs past the time limit, or
 * exhausts jq's memory, ends as an outcome ('timeout', 'exhausted') and the worker is replaced.
 */
export class JqRunner {
  private readonly runner: WorkerRunner<unknown[]>;

  constructor(options: JqRunnerOptions = {}) {
    this.runner = new WorkerRunner({
      name: 'jq', entry: new URL('./jq-worker', import.meta.url), timeoutMs: options.timeoutMs ?? 5_000,
      ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}), maxHeapMb: options.maxHeapMb ?? 128,
    }, isJqOutputs);
  }

  /** Runs `program` on the JSON text `input`. Rejects only when the worker cannot run at all (or the runner is closed). */
  async run(program: string, input: string): Promise<JqOutcome> {
    const outcome = await this.runner.run({ program, input } satisfies JqJob);
    return outcome.kind === 'value' ? { kind: 'outputs', outputs: outcome.value } : outcome;
  }

  close(): Promise<void> {
    return this.runner.close();
  }
}
