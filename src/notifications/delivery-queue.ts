/**
 * Deliveries of notifications, apart from reconciles: a bounded queue, a few sends at a time, each
 * failed try tried again after a backoff (delivery-policy.ts) on a timer, so that a slow or failing
 * receiver holds up nothing but its own messages. What does not fit is dropped and said so.
 */

import PQueue from 'p-queue';
import type { Result } from '../api/result.js';
import { defaultDeliveryPolicy, nextStep, type DeliveryOutcome, type DeliveryPolicy } from './delivery-policy.js';
import { sendRequest } from './sender.js';
import type { NotificationRequest } from './types.js';

export type DeliveryResult =
  | { readonly delivered: true; readonly attempts: number }
  | { readonly delivered: false; readonly attempts: number; readonly reason: string };

export interface DeliveryJob {
  /**
   * The request for one try (secrets are read then, so a rotated one is used), or why it cannot
   * be sent at all. A rejection (the Secret could not be read) counts as a failed try.
   */
  readonly request: () => Promise<Result<NotificationRequest, string>>;
  /** Called once, when the message was delivered or given up. */
  readonly done: (result: DeliveryResult) => void;
  /** Called after a failed try that will be tried again. */
  readonly retrying?: (attempt: number, delayMs: number, why: string) => void;
}

export interface DeliveryQueueOptions {
  /** Sends at once (default 4). */
  readonly concurrency?: number;
  /** Jobs waiting, to be sent or tried again, beyond which new ones are dropped (default 1000). */
  readonly maxPending?: number;
  readonly policy?: DeliveryPolicy;
  readonly send?: (request: NotificationRequest, signal: AbortSignal) => Promise<DeliveryOutcome>;
  /** False while this controller may not act (it lost its lease): jobs end undelivered. */
  readonly canSend?: () => boolean;
}

export class DeliveryQueue {
  private readonly queue: PQueue;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly maxPending: number;
  private readonly policy: DeliveryPolicy;
  private readonly send: (request: NotificationRequest, signal: AbortSignal) => Promise<DeliveryOutcome>;
  private waiting = 0;
  private stopped = false;

  constructor(private readonly options: DeliveryQueueOptions = {}) {
    this.queue = new PQueue({ concurrency: options.concurrency ?? 4 });
    this.maxPending = options.maxPending ?? 1000;
    this.policy = options.policy ?? defaultDeliveryPolicy;
    this.send = options.send ?? ((request, signal) => sendRequest(request, { signal }));
  }

  /** Jobs not yet done. */
  get pending(): number {
    return this.waiting;
  }

  /** Queues the job; false (and nothing queued) when the queue is full or stopped. */
  add(job: DeliveryJob): boolean {
    if (this.stopped || this.waiting >= this.maxPending) return false;
    this.waiting++;
    this.schedule(job, 1);
    return true;
  }

  /** Drops what waits and stops the sends under way. */
  stop(): void {
    this.stopped = true;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
  }

  private schedule(job: DeliveryJob, attempt: number): void {
    void this.queue.add(() => this.attempt(job, attempt));
  }

  private async attempt(job: DeliveryJob, attempt: number): Promise<void> {
    if (this.stopped) return;
    if (this.options.canSend?.() === false) {
      this.finish(job, { delivered: false, attempts: attempt - 1, reason: 'this controller is not the leader any more' });
      return;
    }
    let outcome: DeliveryOutcome;
    try {
      const request = await job.request();
      if (!request.ok) {
        this.finish(job, { delivered: false, attempts: attempt, reason: request.error });
        return;
      }
      outcome = await this.send(request.value, this.abort.signal);
    } catch (err) {
      outcome = { kind: 'network-error', message: err instanceof Error ? err.message : String(err) };
    }
    // Stopped during the send.
    if (this.abort.signal.aborted) return;
    const step = nextStep(attempt, outcome, this.policy);
    if (step.kind === 'delivered') {
      this.finish(job, { delivered: true, attempts: attempt });
    } else if (step.kind === 'give-up') {
      this.finish(job, { delivered: false, attempts: attempt, reason: step.reason });
    } else {
      job.retrying?.(attempt, step.delayMs, outcome.kind === 'answered' ? `the receiver answered ${outcome.status}` : outcome.message);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.schedule(job, attempt + 1);
      }, step.delayMs);
      timer.unref();
      this.timers.add(timer);
    }
  }

  private finish(job: DeliveryJob, result: DeliveryResult): void {
    this.waiting--;
    job.done(result);
  }
}
