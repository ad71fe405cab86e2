import { boundList, compareCodeUnits } from '../api/text.js';
import type { Drift } from './drift.js';

/** Where self-heal stands for one app's drift: how long it must still wait, and why. */
export interface SelfHealState {
  /** 0: heal now. */
  readonly waitMs: number;
  /** Heals of this same drift in a row, each undone again (0: a new drift). */
  readonly attempts: number;
  /** The delay between heals now in force (0 while there is no fight). */
  readonly delayMs: number;
  /** The longest delay there will be (--self-heal-backoff-max). */
  readonly maxDelayMs: number;
  /**
   * The delay in force is a new step: the fight just began, or the last heal that was undone
   * made it longer. False once it stops growing at maxDelayMs. A SelfHealBackoff Event is
   * recorded for each step, not for each heal.
   */
  readonly newDelay: boolean;
}

interface Attempts {
  readonly signature: string;
  readonly attempts: number;
  readonly lastAt: number;
}

export interface SelfHealBackoffOptions {
  /** The delay after the first heal that was undone (--self-heal-backoff-duration). */
  readonly durationMs?: number;
  /** After each further heal that is undone, the delay is multiplied by this (--self-heal-backoff-factor). */
  readonly factor?: number;
  /** The longest delay (--self-heal-backoff-max). */
  readonly maxMs?: number;
}

/** Argo CD's self-heal backoff: 2 s, twice as long after each heal that is undone, at most 5 minutes. */
export const selfHealBackoffDefaults = { durationMs: 2_000, factor: 2, maxMs: 300_000 } as const;

/**
 * Self-heal backoff per app. When self-heal reverts a drift and the same drift (the same
 * objects and fields) is back soon after, another writer is fighting Capstan over those fields
 * (an HPA, a mutating webhook, a second controller): each further heal waits `durationMs`, then
 * `factor` times as long each time, up to `maxMs`, whatever the app's poll interval. Twice the
 * longest delay without a heal ends the fight; healing a different drift starts a new count.
 */
export class SelfHealBackoff {
  private readonly apps = new Map<string, Attempts>();
  private readonly durationMs: number;
  private readonly factor: number;
  private readonly maxMs: number;

  constructor(options: SelfHealBackoffOptions = {}) {
    const durationMs = options.durationMs ?? selfHealBackoffDefaults.durationMs;
    const factor = options.factor ?? selfHealBackoffDefaults.factor;
    const maxMs = options.maxMs ?? selfHealBackoffDefaults.maxMs;
    if (!(Number.isFinite(durationMs) && durationMs > 0)) throw new RangeError(`self-heal backoff durationMs must be a positive number, got ${durationMs}`);
    if (!(Number.isFinite(factor) && factor >= 1)) throw new RangeError(`self-heal backoff factor must be at least 1, got ${factor}`);
    if (!(Number.isFinite(maxMs) && maxMs >= durationMs)) throw new RangeError(`self-heal backoff maxMs must be at least durationMs, got ${maxMs}`);
    this.durationMs = durationMs;
    this.factor = factor;
    this.maxMs = maxMs;
  }

  /** Before a self-heal of `signature` at `now`. */
  state(app: string, signature: string, now: number): SelfHealState {
    const current = this.current(app, signature, now);
    if (current === undefined) return { waitMs: 0, attempts: 0, delayMs: 0, maxDelayMs: this.maxMs, newDelay: false };
    const delayMs = this.delayAfter(current.attempts);
    return {
      waitMs: Math.max(0, current.lastAt + delayMs - now), attempts: current.attempts, delayMs, maxDelayMs: this.maxMs,
      newDelay: current.attempts === 1 || delayMs > this.delayAfter(current.attempts - 1),
    };
  }

  /** A self-heal of `signature` succeeded at `now`. */
  healed(app: string, signature: string, now: number): void {
    const current = this.current(app, signature, now);
    this.apps.set(app, { signature, attempts: (current?.attempts ?? 0) + 1, lastAt: now });
  }

  forget(app: string): void {
    this.apps.delete(app);
  }

  get size(): number {
    return this.apps.size;
  }

  /** The delay after `attempts` heals in a row that were undone (from 1); factor^n overflows to Infinity, which min() caps. */
  private delayAfter(attempts: number): number {
    return Math.min(this.maxMs, this.durationMs * this.factor ** (attempts - 1));
  }

  /**
   * The fight over `signature`, if there is one. Reconciles in between that find no drift (or
   * another one) do not end it: the other writer may just not have struck yet.
   */
  private current(app: string, signature: string, now: number): Attempts | undefined {
    const known = this.apps.get(app);
    if (known === undefined) return undefined;
    // Quiet for longer than two of the longest delays: the fight is over.
    if (now - known.lastAt > 2 * this.maxMs) {
      this.apps.delete(app);
      return undefined;
    }
    return known.signature === signature ? known : undefined;
  }
}

/** What identifies a drift across reconciles: the objects and fields, not their values. */
export function driftSignature(drift: readonly Drift[], prunable: readonly string[]): string {
  const parts = drift.map((d) => `${d.object}:${d.missing ? '(missing)' : [...d.paths].sort(compareCodeUnits).join(',')}`);
  return [...parts, ...prunable.map((p) => `${p}:(prune)`)].sort(compareCodeUnits).join(';');
}

/** '2s', '1.5s', '4m16s', '5m': a delay as an operator writes it in a flag. */
export function formatDelay(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${seconds}s`;
  const whole = Math.round(seconds);
  const rest = whole % 60;
  return `${Math.floor(whole / 60)}m${rest === 0 ? '' : `${rest}s`}`;
}

/** 'ConfigMap/settings data.colour (set by fighter)' for each object, bounded. */
function foughtOver(drift: readonly Drift[]): string {
  return boundList(drift.map((d) => {
    if (d.missing) return `${d.object} (deleted)`;
    const by = d.managers.length > 0 ? ` (set by ${d.managers.join(', ')})` : '';
    return `${d.object} ${d.paths.slice(0, 5).join(', ')}${by}`;
  }), { maxItems: 3, maxChars: 600 });
}

/** 'waits 8s (longer after each heal that is undone, up to 5m)' or, at the cap, 'waits 5m (the longest)'. */
function delayInForce(fight: SelfHealState): string {
  const growth = fight.delayMs >= fight.maxDelayMs ? 'the longest' : `longer after each heal that is undone, up to ${formatDelay(fight.maxDelayMs)}`;
  return `${formatDelay(fight.delayMs)} between attempts (${growth})`;
}

/** The Ready message while self-heal backs off: what is fought over, by whom, and how often Capstan heals it now. */
export function describeFight(drift: readonly Drift[], fight: SelfHealState): string {
  return `${foughtOver(drift)} changed back after each of the last ${fight.attempts} self-heals: `
    + `another writer is fighting over these fields; self-heal now waits ${delayInForce(fight)}`;
}

/** The SelfHealBackoff Event: the objects, fields and other writers, and the delay now in force. */
export function describeBackoff(drift: readonly Drift[], fight: SelfHealState): string {
  return `self-heal backs off: ${foughtOver(drift)} changed back after each self-heal; it now waits ${delayInForce(fight)}`;
}
