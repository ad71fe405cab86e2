/**
 * Rejections are logged at warn level at most once a minute per provider and reason: a client
 * sending bad signatures cannot turn the receiver into a log flood. The rest go to debug, and the
 * next warning says how many there were (capstan_webhook_requests_total counts them all).
 */
import type { WebhookLogger } from './types.js';

export class LogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly intervalMs = 60_000, private readonly now: () => number = Date.now) {}

  /** Logs `msg` at warn level, or at debug level when the same key warned within the interval. */
  warn(log: WebhookLogger, key: string, fields: object, msg: string): void {
    const now = this.now();
    const last = this.last.get(key);
    if (last !== undefined && now - last.at < this.intervalMs) {
      last.suppressed += 1;
      log.debug(fields, msg);
      return;
    }
    this.last.set(key, { at: now, suppressed: 0 });
    log.warn(last === undefined || last.suppressed === 0 ? fields : { ...fields, alsoSince: last.suppressed }, msg);
  }
}
