/** Sends one notification request over HTTP(S) and says how it ended. Redirects are not followed. */

import { parseRetryAfter, type DeliveryOutcome } from './delivery-policy.js';
import type { NotificationRequest } from './types.js';

export const defaultSendTimeoutMs = 10_000;

export async function sendRequest(request: NotificationRequest, options: { timeoutMs?: number; signal?: AbortSignal; now?: () => number } = {}): Promise<DeliveryOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? defaultSendTimeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === '' || request.method === 'GET' ? {} : { body: request.body }),
      redirect: 'manual',
      signal,
    });
    // The answer's body is not read: drop it so the connection is freed.
    await response.body?.cancel().catch(() => undefined);
    const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after') ?? undefined, (options.now ?? Date.now)());
    return { kind: 'answered', status: response.status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  } catch (err) {
    return { kind: 'network-error', message: describeError(err, timeout) };
  }
}

/** Why no answer came, without the URL (it may hold a token). */
function describeError(err: unknown, timeout: AbortSignal): string {
  if (timeout.aborted) return 'no answer within the timeout';
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : undefined;
  const code = cause !== undefined && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  if (code !== undefined) return `the receiver could not be reached (${code})`;
  if (err instanceof Error && err.name === 'AbortError') return 'the delivery was stopped';
  return 'the receiver could not be reached';
}
