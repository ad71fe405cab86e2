import { Worker, type ResourceLimits } from 'node:worker_threads';
import { isWorkerReady, isWorkerReply, type WorkerJob } from './protocol.js';

export interface WorkerRunnerOptions {
  /** What the worker runs, for error messages ("the jq worker could not start"). */
  readonly name: string;
  /** The worker's module without its extension, next to the caller: `new URL('./jq-worker', import.meta.url)`. */
  readonly entry: URL;
  /** A job running longer is stopped, and its worker replaced. */
  readonly timeoutMs: number;
  /** The worker idle this long is stopped, giving its memory back (default 60 s). */
  readonly idleMs?: number;
  /** JavaScript heap of the worker in MiB (default 128). */
  readonly maxHeapMb?: number;
}

/** How one job ended: the worker's value, its error message, or stopped for its time or memory. */
export type WorkerOutcome<Value> =
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'exhausted'; readonly message: string };

interface Pending<Value> {
  readonly input: unknown;
  readonly resolve: (outcome: WorkerOutcome<Value>) => void;
  readonly reject: (err: Error) => void;
}

interface Thread<Value> {
  readonly worker: Worker;
  ready: boolean;
  current: { readonly id: number; readonly pending: Pending<Value> } | undefined;
  timer: NodeJS.Timeout | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** Stopped or failed: it takes no more work, and its exit settles nothing further. */
  done: boolean;
}

/**
 * Runs jobs in one worker thread, one at a time, so that no job can block or exhaust the
 * controller's own thread: a job that runs past the time limit, or exhausts the worker's memory,
 * ends as an outcome ('timeout', 'exhausted') and the worker is replaced. The worker starts on
 * the first job and stops when idle; it never keeps the process alive. The worker module answers
 * with the messages of ./protocol.ts; `isValue` checks what it returns.
 */
export class WorkerRunner<Value> {
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly queue: Pending<Value>[] = [];
  private thread: Thread<Value> | undefined;
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: WorkerRunnerOptions, private readonly isValue: (value: unknown) => value is Value) {
    this.timeoutMs = options.timeoutMs;
    this.idleMs = options.idleMs ?? 60_000;
    this.resourceLimits = { maxOldGenerationSizeMb: options.maxHeapMb ?? 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
  }

  /** Runs one job on `input` (structured-clone data). Rejects only when the worker cannot run at all (or the runner is closed). */
  run(input: unknown): Promise<WorkerOutcome<Value>> {
    if (this.closed) return Promise.reject(new Error(`the ${this.options.name} runner is closed`));
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const closedError = (): Error => new Error(`the ${this.options.name} runner is closed`);
    for (const pending of this.queue.splice(0)) pending.reject(closedError());
    const thread = this.thread;
    if (thread === undefined) return;
    this.retire(thread);
    thread.current?.pending.reject(closedError());
    thread.current = undefined;
    await thread.worker.terminate();
  }

  private dispatch(): void {
    if (this.closed || this.queue.length === 0) return;
    const thread = this.thread ?? this.spawn();
    if (!thread.ready || thread.current !== undefined) return;
    const pending = this.queue.shift();
    if (pending === undefined) return;
    clearTimeout(thread.idleTimer);
    const id = this.nextId++;
    thread.current = { id, pending };
    thread.worker.ref();
    // The time limit starts when the job is handed over, not while the worker loads.
    thread.timer = setTimeout(() => {
      this.fail(thread, { kind: 'timeout', timeoutMs: this.timeoutMs });
    }, this.timeoutMs);
    thread.worker.postMessage({ id, input: pending.input } satisfies WorkerJob);
  }

  private spawn(): Thread<Value> {
    const worker = startWorker(this.options.entry, this.resourceLimits);
    const thread: Thread<Value> = { worker, ready: false, current: undefined, timer: undefined, idleTimer: undefined, done: false };
    this.thread = thread;
    worker.unref();
    worker.on('message', (reply: unknown) => {
      if (isWorkerReady(reply)) {
        thread.ready = true;
        this.idle(thread);
        this.dispatch();
        return;
      }
      const current = thread.current;
      if (!isWorkerReply(reply) || current === undefined || reply.id !== current.id) return;
      if ('value' in reply) {
        this.finish(thread);
        current.pending.resolve(this.isValue(reply.value) ? { kind: 'value', value: reply.value } : { kind: 'error', message: `the ${this.options.name} worker answered with an unexpected value` });
      } else if (reply.fatal) {
        this.fail(thread, { kind: 'exhausted', message: reply.error });
      } else {
        this.finish(thread);
        current.pending.resolve({ kind: 'error', message: reply.error });
      }
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY' && thread.current !== undefined) {
        this.fail(thread, { kind: 'exhausted', message: err.message });
        return;
      }
      // A worker that cannot even start would only fail again: the jobs waiting fail now (their callers retry).
      if (!thread.ready) for (const pending of this.queue.splice(0)) pending.reject(new Error(`the ${this.options.name} worker could not start: ${err.message}`));
      this.fail(thread, err);
    });
    worker.on('exit', (code) => {
      if (!thread.done) this.fail(thread, new Error(`the ${this.options.name} worker stopped (exit code ${code})`));
    });
    return thread;
  }

  /** Ends the thread's current job with `outcome` (or rejects it with an error), and lets another thread take its place. */
  private fail(thread: Thread<Value>, outcome: WorkerOutcome<Value> | Error): void {
    if (thread.done) return;
    const current = thread.current;
    this.retire(thread);
    thread.current = undefined;
    if (current !== undefined) {
      if (outcome instanceof Error) current.pending.reject(outcome);
      else current.pending.resolve(outcome);
    }
    void thread.worker.terminate();
    this.dispatch();
  }

  private finish(thread: Thread<Value>): void {
    clearTimeout(thread.timer);
    thread.timer = undefined;
    thread.current = undefined;
    thread.worker.unref();
    this.idle(thread);
  }

  private idle(thread: Thread<Value>): void {
    clearTimeout(thread.idleTimer);
    thread.idleTimer = setTimeout(() => {
      if (thread.current !== undefined || thread.done) return;
      this.retire(thread);
      void thread.worker.terminate();
    }, this.idleMs);
    thread.idleTimer.unref();
  }

  private retire(thread: Thread<Value>): void {
    clearTimeout(thread.timer);
    clearTimeout(thread.idleTimer);
    thread.timer = undefined;
    thread.done = true;
    if (this.thread === thread) this.thread = undefined;
  }
}

/**
 * The worker, from wherever this module runs: built JavaScript in dist/, or TypeScript (under
 * tsx, or a test runner), where the worker first registers tsx's loader: a worker thread does not
 * inherit the loader hooks of the thread that starts it.
 */
function startWorker(entryBase: URL, resourceLimits: ResourceLimits): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`${entryBase.href}.${typescript ? 'ts' : 'js'}`);
  return typescript ? new Worker(tsxBootstrap(entry), { resourceLimits, eval: true, execArgv: [] }) : new Worker(entry, { resourceLimits });
}

function tsxBootstrap(entry: URL): string {
  const loader = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
}
