import { KeyedBackoff, type BackoffOptions } from './backoff.js';
import { isTerminalError } from './errors.js';

export interface ReconcileResult {
  /** Run the key again after this long (e.g. to poll Git or to wait for health). */
  requeueAfterMs?: number;
}

/** Reconciles one key (`namespace/name`). A TerminalError means "do not retry"; any other error means retry with backoff. */
export type Reconciler = (key: string, signal: AbortSignal) => Promise<ReconcileResult>;

export type ReconcileOutcome = 'success' | 'error' | 'terminal';

export interface WorkQueueMetrics {
  /** Keys waiting (not running), reported whenever that number changes. */
  depth?(n: number): void;
  /**
   * Time from when the key became ready to when its reconcile started. A key added while it was
   * running counts from that add, so the wait for its own previous run is included.
   */
  latencyMs?(key: string, ms: number): void;
  durationMs?(key: string, ms: number, outcome: ReconcileOutcome): void;
}

export interface WorkQueueOptions {
  /** Most reconciles that run at once. */
  concurrency: number;
  /** Per-key retry delays after errors; default { baseMs: 1000, maxMs: 300_000 }. */
  backoff?: BackoffOptions;
  /**
   * Called after each failed reconcile with the backoff delay of its retry, or undefined when none is
   * scheduled (terminal, or shut down). A key added again meanwhile runs sooner than that.
   */
  onError?: (key: string, err: unknown, retryInMs: number | undefined) => void;
  metrics?: WorkQueueMetrics;
}

export interface ShutdownOptions {
  /** Give up waiting for running reconciles after this long; default: wait for as long as they take. */
  timeoutMs?: number;
  /** Abort the signal of running reconciles; default false (let in-flight reconciles finish). */
  abortRunning?: boolean;
}

interface Run {
  readonly controller: AbortController;
  /** Settles when the run has been accounted for; never rejects. */
  readonly done: Promise<void>;
}

interface Timer {
  readonly dueAt: number;
  readonly handle: NodeJS.Timeout;
}

type Completion =
  | { readonly outcome: 'success'; readonly requeueAfterMs: number | undefined }
  | { readonly outcome: 'error' | 'terminal'; readonly err: unknown };

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days); longer requeues are clamped to it.
const maxTimerDelayMs = 2 ** 31 - 1;

const defaultBackoff: BackoffOptions = { baseMs: 1000, maxMs: 300_000 };

/**
 * Keyed work queue for the reconcile loop (DESIGN.md §2.1), "stingy" like controller-runtime's:
 * a key waiting twice runs once, one key never runs twice at the same time, and a key added while
 * it runs runs once more afterwards. Each key is in at most one of: waiting, running (possibly
 * marked dirty), or scheduled by a timer — so a key never has two pending runs.
 */
export class WorkQueue {
  private readonly concurrency: number;
  private readonly backoff: KeyedBackoff;
  private readonly onError: WorkQueueOptions['onError'];
  private readonly metrics: WorkQueueMetrics;

  /**
   * Ready keys → when they became ready; Map order is the FIFO order. A key re-added while running
   * joins the end when its run finishes (as in client-go), so one busy key cannot starve the others.
   */
  private readonly waiting = new Map<string, number>();
  private readonly running = new Map<string, Run>();
  /** Running keys added again meanwhile → when that first happened. */
  private readonly dirty = new Map<string, number>();
  private readonly timers = new Map<string, Timer>();
  private idleWaiters: (() => void)[] = [];
  private pumpScheduled = false;
  private closed = false;

  constructor(
    private readonly reconcile: Reconciler,
    options: WorkQueueOptions,
  ) {
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
      throw new RangeError(`work queue concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.concurrency = options.concurrency;
    this.backoff = new KeyedBackoff(options.backoff ?? defaultBackoff);
    this.onError = options.onError;
    this.metrics = options.metrics ?? {};
  }

  /** Enqueues `key` now. A pending delayed add of the same key is superseded. Ignored after shutdown. */
  add(key: string): void {
    if (this.closed) return;
    this.cancelTimer(key);
    const now = performance.now();
    if (this.running.has(key)) {
      if (!this.dirty.has(key)) this.dirty.set(key, now);
      return;
    }
    if (this.waiting.has(key)) return;
    this.waiting.set(key, now);
    this.reportDepth();
    this.schedulePump();
  }

  /** Enqueues `key` after `delayMs`. The earliest pending add of a key wins; a later one never postpones it. */
  addAfter(key: string, delayMs: number): void {
    if (this.closed) return;
    if (!(delayMs > 0)) {
      this.add(key);
      return;
    }
    if (this.waiting.has(key) || this.dirty.has(key)) return;
    const delay = Math.min(delayMs, maxTimerDelayMs);
    const dueAt = performance.now() + delay;
    const existing = this.timers.get(key);
    if (existing !== undefined && existing.dueAt <= dueAt) return;
    this.cancelTimer(key);
    const handle = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delay);
    // A scheduled requeue alone must not keep the process alive.
    handle.unref();
    this.timers.set(key, { dueAt, handle });
  }

  /**
   * Drops the pending delayed add and backoff state of `key` (for a deleted object).
   * A key already waiting or running is left alone: that run observes the deletion.
   */
  forget(key: string): void {
    this.cancelTimer(key);
    this.backoff.reset(key);
  }

  /** Keys waiting to run (not counting running ones). */
  get depth(): number {
    return this.waiting.size;
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * Stops taking work: cancels timers, drops waiting keys, optionally aborts running reconciles,
   * and waits for the running ones. Resolves false if they did not finish within `timeoutMs`.
   */
  async shutdown(options: ShutdownOptions = {}): Promise<boolean> {
    const { timeoutMs, abortRunning = false } = options;
    this.closed = true;
    for (const key of [...this.timers.keys()]) this.cancelTimer(key);
    this.dirty.clear();
    if (this.waiting.size > 0) {
      this.waiting.clear();
      this.reportDepth();
    }
    const runs = [...this.running.values()];
    if (abortRunning) for (const run of runs) run.controller.abort();
    this.settleIdle();
    if (runs.length === 0) return true;
    const finished = Promise.all(runs.map((run) => run.done)).then(() => true);
    if (timeoutMs === undefined) return finished;
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timeout = setTimeout(resolve, timeoutMs, false);
      timeout.unref();
    });
    try {
      return await Promise.race([finished, timedOut]);
    } finally {
      clearTimeout(timeout);
    }
  }

  /** Resolves when nothing is waiting or running (delayed adds do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // Runs start one microtask after the add, so a burst of synchronous adds is deduplicated and
  // ordered first, and a reconcile never runs inside the caller's stack.
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    void Promise.resolve().then(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency) {
      const next = this.waiting.entries().next();
      if (next.done === true) return;
      const [key, readyAt] = next.value;
      this.waiting.delete(key);
      this.reportDepth();
      this.start(key, readyAt);
    }
  }

  private start(key: string, readyAt: number): void {
    const startedAt = performance.now();
    this.observe(() => this.metrics.latencyMs?.(key, startedAt - readyAt));
    const controller = new AbortController();
    const done = this.runOnce(key, controller.signal).then((completion) => {
      this.finish(key, startedAt, completion);
    });
    this.running.set(key, { controller, done });
  }

  // An async function turns a synchronous throw of the reconcile into a rejection, caught here.
  private async runOnce(key: string, signal: AbortSignal): Promise<Completion> {
    try {
      const result = await this.reconcile(key, signal);
      return { outcome: 'success', requeueAfterMs: result.requeueAfterMs };
    } catch (err) {
      return { outcome: isTerminalError(err) ? 'terminal' : 'error', err };
    }
  }

  private finish(key: string, startedAt: number, completion: Completion): void {
    this.running.delete(key);
    let requeueInMs: number | undefined;
    if (completion.outcome === 'error') {
      // After shutdown nothing is retried, so the failure is not counted either.
      if (!this.closed) requeueInMs = this.backoff.next(key);
    } else {
      this.backoff.reset(key);
      if (completion.outcome === 'success') requeueInMs = validDelay(completion.requeueAfterMs);
    }

    // State first, observers after: an observer that calls back into the queue sees it consistent.
    const dirtySince = this.dirty.get(key);
    if (dirtySince !== undefined) {
      // Added during the run: that add is earlier than any requeue, so it wins.
      this.dirty.delete(key);
      this.waiting.set(key, dirtySince);
      this.reportDepth();
    } else if (requeueInMs !== undefined) {
      this.addAfter(key, requeueInMs);
    }
    this.schedulePump();

    const durationMs = performance.now() - startedAt;
    this.observe(() => this.metrics.durationMs?.(key, durationMs, completion.outcome));
    if (completion.outcome !== 'success') {
      const { err } = completion;
      this.observe(() => this.onError?.(key, err, requeueInMs));
    }
    this.settleIdle();
  }

  private cancelTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer.handle);
    this.timers.delete(key);
  }

  private reportDepth(): void {
    const n = this.waiting.size;
    this.observe(() => this.metrics.depth?.(n));
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.running.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Calls a metrics or error hook; a throwing observer must not stall the queue or leave a key running. */
  private observe(hook: () => void): void {
    try {
      hook();
    } catch {
      // Deliberately ignored: observers are reporting only, and the queue has no better place to report to.
    }
  }
}

/** A usable requeue delay (0 means "now"), or undefined for NaN and negative values, which are ignored. */
function validDelay(ms: number | undefined): number | undefined {
  return ms !== undefined && ms >= 0 ? ms : undefined;
}
