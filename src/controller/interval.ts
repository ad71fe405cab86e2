import type { Application } from '../api/application.js';
import { parseDuration } from './backoff.js';

/** The controller-wide floor on poll intervals (`--min-interval`) when none is given. */
export const defaultMinIntervalMs = 10_000;

/**
 * The app's Git poll interval: spec.interval, or the controller default, never below the
 * controller's floor (`--min-interval`) nor one second.
 */
export function intervalOf(app: Application, defaultMs: number, minMs = 1_000): number {
  const own = app.spec.interval === undefined ? undefined : parseDuration(app.spec.interval);
  return Math.max(1_000, minMs, own ?? defaultMs);
}

/** spec.interval when the floor raises it (the app is polled at the floor instead), else undefined. */
export function raisedInterval(app: Application, minMs: number): string | undefined {
  const own = app.spec.interval === undefined ? undefined : parseDuration(app.spec.interval);
  return own !== undefined && own < minMs ? app.spec.interval : undefined;
}

/**
 * Which apps were told that the floor raises their interval: each app once per spec.interval
 * value (again after a restart), so that the Warning is seen without repeating every poll.
 */
export class RaisedIntervals {
  private readonly told = new Map<string, string>();

  /** True the first time this app is seen with this raised interval. */
  firstTime(app: string, interval: string): boolean {
    if (this.told.get(app) === interval) return false;
    this.told.set(app, interval);
    return true;
  }

  forget(app: string): void {
    this.told.delete(app);
  }
}
