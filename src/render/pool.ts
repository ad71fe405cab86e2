import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { RenderRequest, SerializedRender, SourceRenderer } from './serialized.js';
import { renderLimits, type RenderLimits } from './types.js';
import { isReadyMessage, isRenderReply, type RenderJob, type RenderWorkerData } from './worker-protocol.js';

export interface RenderPoolOptions {
  /** Overrides of DEFAULT_RENDER_LIMITS, for every render. */
  readonly limits?: Partial<RenderLimits>;
  /**
   * Worker threads rendering at the same time (default 1: renders are cached, so they are few,
   * and each worker may take its whole heap).
   */
  readonly workers?: number;
  /** A worker idle this long is stopped, giving its memory back (default 60 s). */
  readonly idleMs?: number;
  /** A render taking longer fails with TimedOut, and its worker is stopped (default 30 s). */
  readonly timeoutMs?: number;
  /** Heap of each worker in MiB; a render that needs more fails with TooLarge (default: what the limits allow, 172 for the default limits). */
  readonly maxHeapMb?: number;
  readonly logger?: Logger;
}

const MiB = 1024 * 1024;

/**
 * Heap a render within the limits may need: the file text (twice, as bytes and as a string),
 * the parsed nodes and their expanded copy, its JSON text (at most as large, and usually much
 * smaller), and room for the reader itself. A 10 MiB file that takes 47 MiB once read renders
 * in 100 MiB.
 */
function heapFor(limits: RenderLimits): number {
  return Math.max(128, Math.ceil((2 * limits.maxManifestBytes + 2 * limits.maxExpandedBytes) / MiB) + 32);
}

interface Pending {
  readonly job: RenderJob;
  readonly resolve: (result: SerializedRender) => void;
  readonly reject: (err: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  /** It has loaded and takes work; the time limit of a render starts when it is handed over. */
  ready: boolean;
  current: Pending | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Stops the worker once it has been idle for idleMs. */
  idleTimer: NodeJS.Timeout | undefined;
  /** Stopped or failed: it takes no more work, and its exit settles nothing further. */
  done: boolean;
}

/**
 * Renders in worker threads, so that no source can block or exhaust the controller's own
 * thread: each worker has a bounded heap and each render a time limit. A worker that runs out
 * of memory or time fails that render only (TooLarge or TimedOut) and is replaced; the other
 * renders, and the controller, go on.
 */
export class RenderPool implements SourceRenderer {
  private readonly limits: RenderLimits;
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly logger: Logger | undefined;
  private readonly threads = new Set<Thread>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.limits = renderLimits(options.limits ?? {});
    this.size = Math.max(1, Math.floor(options.workers ?? 1));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.idleMs = options.idleMs ?? 60_000;
    this.resourceLimits = { maxOldGenerationSizeMb: options.maxHeapMb ?? heapFor(this.limits), maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };
    this.logger = options.logger;
  }

  /** Worker threads running now (idle or busy). */
  get workers(): number {
    return this.threads.size;
  }

  render(request: RenderRequest): Promise<SerializedRender> {
    if (this.closed) return Promise.reject(new Error('the render pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { id: this.nextId++, request }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the render pool is closed'));
    await Promise.all([...this.threads].map(async (thread) => {
      this.retire(thread);
      thread.current?.reject(new Error('the render pool is closed'));
      thread.current = undefined;
      await thread.worker.terminate();
    }));
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const thread of this.threads) {
      if (!thread.ready || thread.current !== undefined || thread.done) continue;
      const pending = this.queue.shift();
      if (pending === undefined) return;
      this.assign(thread, pending);
    }
    const starting = [...this.threads].filter((t) => !t.ready).length;
    const wanted = Math.min(this.size - this.threads.size, this.queue.length - starting);
    for (let i = 0; i < wanted; i++) this.spawn();
  }

  private assign(thread: Thread, pending: Pending): void {
    clearTimeout(thread.idleTimer);
    thread.current = pending;
    thread.worker.ref();
    thread.timer = setTimeout(() => {
      const message = `rendering took longer than ${formatMs(this.timeoutMs)} and was stopped`;
      this.fail(thread, { ok: false, errors: [{ code: 'TimedOut', file: pending.job.request.sourcePath, message }] });
    }, this.timeoutMs);
    thread.worker.postMessage(pending.job);
  }

  private spawn(): Thread {
    const data: RenderWorkerData = { limits: this.limits };
    const worker = startWorker({ workerData: data, resourceLimits: this.resourceLimits });
    const thread: Thread = { worker, ready: false, current: undefined, timer: undefined, idleTimer: undefined, done: false };
    this.threads.add(thread);
    worker.unref();
    worker.on('message', (reply: unknown) => {
      if (isReadyMessage(reply)) {
        thread.ready = true;
        this.idle(thread);
        this.dispatch();
        return;
      }
      const pending = thread.current;
      if (!isRenderReply(reply) || pending === undefined || reply.id !== pending.job.id) return;
      this.finish(thread);
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.result);
      this.dispatch();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const pending = thread.current;
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY' && pending !== undefined) {
        const message = `rendering needed more than the ${this.resourceLimits.maxOldGenerationSizeMb} MiB of memory a render may use, and was stopped`;
        this.fail(thread, { ok: false, errors: [{ code: 'TooLarge', file: pending.job.request.sourcePath, message }] });
        return;
      }
      this.fail(thread, err);
    });
    worker.on('exit', (code) => {
      if (!thread.done) this.fail(thread, new Error(`the render worker stopped (exit code ${code})`));
      this.threads.delete(thread);
      this.dispatch();
    });
    worker.once('error', (err) => {
      // A worker that cannot even start would only fail again: the renders waiting fail now (their reconciles retry later).
      if (thread.ready) return;
      for (const pending of this.queue.splice(0)) pending.reject(new Error(`the render worker could not start: ${err.message}`));
    });
    return thread;
  }

  /** Ends a thread's current render with `outcome` (a result, or an error to reject with), and replaces the thread. */
  private fail(thread: Thread, outcome: SerializedRender | Error): void {
    if (thread.done) return;
    const pending = thread.current;
    this.retire(thread);
    thread.current = undefined;
    if (pending !== undefined) {
      if (outcome instanceof Error) pending.reject(outcome);
      else pending.resolve(outcome);
    }
    const reason = outcome instanceof Error ? outcome.message : outcome.ok ? 'done' : outcome.errors.map((e) => e.code).join(', ');
    this.logger?.warn({ reason, source: pending?.job.request.sourcePath }, 'render worker stopped; another takes its place');
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

  /** From now on the thread waits for work; after idleMs without any it is stopped. */
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
    this.threads.delete(thread);
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}

/**
 * A worker running render-worker, from wherever this module runs: built JavaScript in dist/,
 * or TypeScript (under tsx, or a test runner), where the worker first registers tsx's loader:
 * a worker thread does not inherit the loader hooks of the thread that starts it.
 */
function startWorker(options: { workerData: RenderWorkerData; resourceLimits: ResourceLimits }): Worker {
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./render-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
  if (!typescript) return new Worker(entry, options);
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true, execArgv: [] });
}
