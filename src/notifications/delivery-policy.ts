/** When a failed delivery is tried again: exponential backoff, and which answers are worth another try. */

export interface DeliveryPolicy {
  /** The wait after the first failure; each next one doubles. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, maxAttempts: 5 };

/** How one try ended: the receiver's HTTP status (and Retry-After, in seconds), or no answer at all. */
export type DeliveryOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'network-error'; readonly message: string };

export type NextStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'give-up'; readonly reason: string };

/** The wait before try `attempt + 1` after try `attempt` (1-based) failed: 1 s, 2 s, 4 s, … up to the cap. */
export function retryDelayMs(attempt: number, policy: DeliveryPolicy = defaultDeliveryPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(exponent, 30));
}

/** Is the outcome a success (2xx)? */
export function isDelivered(outcome: DeliveryOutcome): boolean {
  return outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300;
}

/** Is the failure worth another try: no answer, 5xx, 429 (and 408)? Other 4xx (and 1xx/3xx) will not change. */
export function isRetryable(outcome: DeliveryOutcome): boolean {
  if (outcome.kind === 'network-error') return true;
  return outcome.status >= 500 || outcome.status === 429 || outcome.status === 408;
}

/** What to do after try `attempt` (1-based) ended with the outcome. */
export function nextStep(attempt: number, outcome: DeliveryOutcome, policy: DeliveryPolicy = defaultDeliveryPolicy): NextStep {
  if (isDelivered(outcome)) return { kind: 'delivered' };
  const what = outcome.kind === 'network-error' ? outcome.message : `the receiver answered ${outcome.status}`;
  if (!isRetryable(outcome)) return { kind: 'give-up', reason: `${what}; not retried` };
  if (attempt >= policy.maxAttempts) return { kind: 'give-up', reason: `${what}; gave up after ${attempt} tries` };
  let delayMs = retryDelayMs(attempt, policy);
  if (outcome.kind === 'answered' && outcome.retryAfterSeconds !== undefined && outcome.retryAfterSeconds >= 0) {
    delayMs = Math.min(policy.maxDelayMs, Math.max(delayMs, outcome.retryAfterSeconds * 1000));
  }
  return { kind: 'retry', delayMs };
}

/** Retry-After as seconds (a number of seconds or an HTTP date), undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
