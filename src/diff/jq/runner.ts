import { Worker, type ResourceLimits } from 'node:worker_threads';
import { isJqReady, isJqReply, type JqJob } from './worker-protocol.js';

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

interface Pending {
  readonly program: string;
  readonly input: string;
  readonly resolve: (outcome: JqOutcome) => void;
  readonly reject: (err: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  ready: boolean;
  current: { readonly id: number; readonly pending: Pending } | undefined;
  timer: NodeJS.Timeout | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** Stopped or failed: it takes no more work, and its exit settles nothing further. */
  done: boolean;
}

/**
 * Runs jq programs in one worker thread, one at a time, so that no expression can block or
 * exhaust the controller's own thread: a program that runs past the time limit, or exhausts
 * jq's memory, ends as an outcome ('timeout', 'exhausted') and the worker is replaced. The
 * worker starts on the first run and stops when idle; it never keeps the process alive.
 */
export class JqRunner {
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly queue: Pending[] = [];
  private thread: Thread | undefined;
  private nextId = 1;
  private closed = false;

  constructor(options: JqRunnerOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.idleMs = options.idleMs ?? 60_000;
    this.resourceLimits = { maxOldGenerationSizeMb: options.maxHeapMb ?? 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 };
  }

  /** Runs `program` on the JSON text `input`. Rejects only when the worker cannot run at all (or the runner is closed). */
  run(program: string, input: string): Promise<JqOutcome> {
    if (this.closed) return Promise.reject(new Error('the jq runner is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ program, input, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the jq runner is closed'));
    const thread = this.thread;
    if (thread === undefined) return;
    this.retire(thread);
    thread.current?.pending.reject(new Error('the jq runner is closed'));
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
    // The time limit starts when the program is handed over, not while the worker loads jq.
    thread.timer = setTimeout(() => {
      this.fail(thread, { kind: 'timeout', timeoutMs: this.timeoutMs });
    }, this.timeoutMs);
    thread.worker.postMessage({ id, program: pending.program, input: pending.input } satisfies JqJob);
  }

  private spawn(): Thread {
    const worker = startWorker(this.resourceLimits);
    const thread: Thread = { worker, ready: false, current: undefined, timer: undefined, idleTimer: undefined, done: false };
    this.thread = thread;
    worker.unref();
    worker.on('message', (reply: unknown) => {
      if (isJqReady(reply)) {
        thread.ready = true;
        this.idle(thread);
        this.dispatch();
        return;
      }
      const current = thread.current;
      if (!isJqReply(reply) || current === undefined || reply.id !== current.id) return;
      if ('outputs' in reply) {
        this.finish(thread);
        current.pending.resolve({ kind: 'outputs', outputs: reply.outputs });
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
      // A worker that cannot even start would only fail again: the runs waiting fail now (their reconciles retry).
      if (!thread.ready) for (const pending of this.queue.splice(0)) pending.reject(new Error(`the jq worker could not start: ${err.message}`));
      this.fail(thread, err);
    });
    worker.on('exit', (code) => {
      if (!thread.done) this.fail(thread, new Error(`the jq worker stopped (exit code ${code})`));
    });
    return thread;
  }

  /** Ends the thread's current run with `outcome` (or rejects it with an error), and lets another thread take its place. */
  private fail(thread: Thread, outcome: JqOutcome | Error): void {
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

  private finish(thread: Thread): void {
    clearTimeout(thread.timer);
    thread.timer = undefined;
    thread.current = undefined;
    thread.worker.unref();
    this.idle(thread);
  }

  private idle(thread: Thread): void {
    clearTimeout(thread.idleTimer);
    thread.idleTimer = setTimeout(() => {
      if (thread.current !== undefined || thread.done) return;
      this.retire(thread);
      void thread.worker.terminate();
    }, this.idleMs);
    thread.idleTimer.unref();
  }

  private retire(thread: Thread): void {
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
function startWorker(resourceLimits: ResourceLimits): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./jq-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
  return typescript ? new Worker(tsxBootstrap(entry), { resourceLimits, eval: true, execArgv: [] }) : new Worker(entry, { resourceLimits });
}

function tsxBootstrap(entry: URL): string {
  const loader = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
}
