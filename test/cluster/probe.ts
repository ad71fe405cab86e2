import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClientTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface HttpResult {
  readonly status: number;
  readonly body: string;
}

/** One GET with a short timeout; network errors reject. */
export function httpGet(url: string, tls?: ClientTls, timeoutMs = 3_000): Promise<HttpResult> {
  return new Promise((resolveResult, reject) => {
    const make = url.startsWith('https:') ? request : httpRequest;
    const req = make(url, { method: 'GET', timeout: timeoutMs, ...(tls ?? {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolveResult({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export class WaitTimeoutError extends Error {
  readonly code = 'WAIT_TIMEOUT';
}

/**
 * Polls `check` until it returns true. `alive` is consulted between attempts so that a
 * process that died is reported at once instead of after the timeout.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; alive?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    const dead = options.alive?.();
    if (dead !== undefined) throw new WaitTimeoutError(`${what}: ${dead}`);
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new WaitTimeoutError(`timed out after ${options.timeoutMs / 1000}s waiting for ${what}${detail}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
