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
}

interface Attempts {
  readonly signature: string;
  readonly attempts: number;
  readonly lastAt: number;
}

export interface SelfHealBackoffOptions {
  /** The delay after the first heal that was undone; doubled after each further one. Default 5 s. */
  readonly baseMs?: number;
}

const noFight: SelfHealState = { waitMs: 0, attempts: 0, delayMs: 0 };

/**
 * Self-heal backoff per app. When self-heal reverts a drift and the same drift (the same
 * objects and fields) is back soon after, another writer is fighting Capstan over those fields
 * (an HPA, a mutating webhook, a second controller): each further heal waits 5 s, then twice
 * as long each time, up to the app's poll interval. Two intervals without a heal end the
 * fight; healing a different drift starts a new count.
 */
export class SelfHealBackoff {
  private readonly apps = new Map<string, Attempts>();
  private readonly baseMs: number;

  constructor(options: SelfHealBackoffOptions = {}) {
    this.baseMs = Math.max(1, options.baseMs ?? 5_000);
  }

  /** Before a self-heal of `signature` at `now`, with the app's interval as the longest delay. */
  state(app: string, signature: string, now: number, maxDelayMs: number): SelfHealState {
    const current = this.current(app, signature, now, maxDelayMs);
    if (current === undefined) return noFight;
    const delayMs = Math.min(Math.max(maxDelayMs, this.baseMs), this.baseMs * 2 ** (current.attempts - 1));
    return { waitMs: Math.max(0, current.lastAt + delayMs - now), attempts: current.attempts, delayMs };
  }

  /** A self-heal of `signature` succeeded at `now`. */
  healed(app: string, signature: string, now: number, maxDelayMs: number): void {
    const current = this.current(app, signature, now, maxDelayMs);
    this.apps.set(app, { signature, attempts: (current?.attempts ?? 0) + 1, lastAt: now });
  }

  forget(app: string): void {
    this.apps.delete(app);
  }

  get size(): number {
    return this.apps.size;
  }

  /**
   * The fight over `signature`, if there is one. Reconciles in between that find no drift (or
   * another one) do not end it: the other writer may just not have struck yet.
   */
  private current(app: string, signature: string, now: number, maxDelayMs: number): Attempts | undefined {
    const known = this.apps.get(app);
    if (known === undefined) return undefined;
    // Quiet for longer than two of the longest delays: the fight is over.
    if (now - known.lastAt > 2 * Math.max(maxDelayMs, this.baseMs)) {
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

/** 'ConfigMap/settings data.colour (set by fighter)' for each object, bounded. */
function foughtOver(drift: readonly Drift[]): string {
  return boundList(drift.map((d) => {
    if (d.missing) return `${d.object} (deleted)`;
    const by = d.managers.length > 0 ? ` (set by ${d.managers.join(', ')})` : '';
    return `${d.object} ${d.paths.slice(0, 5).join(', ')}${by}`;
  }), { maxItems: 3, maxChars: 600 });
}

/** The Ready message while self-heal backs off: what is fought over, by whom, and how often Capstan heals it now. */
export function describeFight(drift: readonly Drift[], fight: SelfHealState): string {
  return `${foughtOver(drift)} changed back after each of the last ${fight.attempts} self-heals: `
    + `another writer is fighting over these fields; self-heal now waits ${Math.round(fight.delayMs / 1000)}s between attempts`;
}
