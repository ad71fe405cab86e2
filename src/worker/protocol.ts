// The messages between a WorkerRunner and its worker thread: structured-clone data only.
import { parentPort, type MessagePort } from 'node:worker_threads';

export interface WorkerJob {
  readonly id: number;
  readonly input: unknown;
}

/**
 * The job's value, or its error. `fatal`: the worker cannot take more jobs (its WebAssembly
 * instance ran out of memory): the runner replaces it.
 */
export type WorkerReply =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: string; readonly fatal: boolean };

export function isWorkerReply(value: unknown): value is WorkerReply {
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'number') return false;
  return 'value' in value || ('error' in value && typeof value.error === 'string');
}

/** The first message of a worker: it has loaded and takes jobs. */
export const WORKER_READY = 'worker-ready';

export function isWorkerReady(value: unknown): value is typeof WORKER_READY {
  return value === WORKER_READY;
}

/** A job's error: `fatal` when the worker is unusable from now on. */
export class WorkerJobError extends Error {
  constructor(message: string, readonly fatal: boolean) {
    super(message);
  }
}

/**
 * The worker's side: answers each job with `handle`'s value, or with the message of what it
 * threw (a WorkerJobError with `fatal` closes the worker). Call once the worker has loaded.
 */
export function serveJobs(handle: (input: unknown) => unknown, port: MessagePort | null = parentPort): void {
  if (port === null) throw new Error('this module runs as a worker thread of a WorkerRunner');
  port.on('message', (job: WorkerJob) => {
    try {
      port.postMessage({ id: job.id, value: handle(job.input) } satisfies WorkerReply);
    } catch (err) {
      const fatal = err instanceof WorkerJobError && err.fatal;
      port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err), fatal } satisfies WorkerReply);
      if (fatal) port.close();
    }
  });
  port.postMessage(WORKER_READY);
}
