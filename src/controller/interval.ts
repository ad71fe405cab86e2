import type { Application } from '../api/application.js';
import { parseDuration } from './backoff.js';

/** The app's Git poll interval (spec.interval), or the controller default; never below one second. */
export function intervalOf(app: Application, defaultMs: number): number {
  const own = app.spec.interval === undefined ? undefined : parseDuration(app.spec.interval);
  return Math.max(1_000, own ?? defaultMs);
}
