import { parseDuration } from '../controller/backoff.js';
import type { SelfHealBackoffOptions } from '../controller/self-heal.js';

/** The controller's --self-heal-backoff-* flags as given (commander keeps them as text). */
export interface SelfHealBackoffFlags {
  readonly selfHealBackoffDuration: string;
  readonly selfHealBackoffFactor: string;
  readonly selfHealBackoffMax: string;
}

function positiveDuration(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new Error(`--${name} "${value}" is not a duration such as 2s or 5m`);
  return ms;
}

/**
 * The self-heal backoff the flags ask for, or an error naming the flag: a delay that is not a
 * positive duration, a factor below 1 (the delay would shrink), a longest delay below the first.
 */
export function selfHealBackoffOf(flags: SelfHealBackoffFlags): SelfHealBackoffOptions {
  const durationMs = positiveDuration('self-heal-backoff-duration', flags.selfHealBackoffDuration);
  const maxMs = positiveDuration('self-heal-backoff-max', flags.selfHealBackoffMax);
  const text = flags.selfHealBackoffFactor.trim();
  const factor = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(factor) || factor < 1) {
    throw new Error(`--self-heal-backoff-factor "${flags.selfHealBackoffFactor}" must be a number of at least 1 (1 keeps the delay, 2 doubles it)`);
  }
  if (maxMs < durationMs) {
    throw new Error(`--self-heal-backoff-max "${flags.selfHealBackoffMax}" is below --self-heal-backoff-duration "${flags.selfHealBackoffDuration}"`);
  }
  return { durationMs, factor, maxMs };
}
